/**
 * An arranged progression → a Standard MIDI File a producer drops into a DAW: a named chord track (and a
 * bass track with --bass), the tempo, 4/4, the key signature, and one marker per chord naming it, so the
 * DAW's timeline shows the progression. Write it with arrangementToMidiBytes: @tonejs/midi's own toArray()
 * gets the key signature wrong (see setKeySignature).
 */
import ToneMidi from '@tonejs/midi';
import type { NoteEvent } from '../types.js';
import type { Arrangement } from '../theory/progression/arrange.js';
import { keySignatureOf } from '../theory/progression/parse.js';
import { secondsPerBeat } from '../theory/progression/rhythm.js';
import type { Midi as MidiFile } from '../midi/write.js';

const { Midi } = ToneMidi;
type Track = ReturnType<MidiFile['addTrack']>;

/** General MIDI programs (0-based): Acoustic Grand Piano for the chords, Electric Bass (finger) for the bass. */
const CHORD_PROGRAM = 0;
export const BASS_PROGRAM = 33;
const CHORD_CHANNEL = 0;
const BASS_CHANNEL = 1;
const BASS_TRACK_NAME = 'Bass';
const TIME_SIGNATURE = [4, 4];
/**
 * Major keys by their signature, seven flats to seven sharps: a MIDI key signature stores the count of
 * sharps or flats, and @tonejs/midi names that count by its major key (A minor reads as "C", minor).
 */
const SIGNATURE_KEYS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];
const NO_ACCIDENTALS_INDEX = 7;
/** A Standard MIDI File: the 14-byte header chunk, then the first track's chunk id and length. */
const FIRST_TRACK_EVENTS = 22;
const FIRST_TRACK_LENGTH = 18;
const META_EVENT = 0xff;
const KEY_SIGNATURE = 0x59;
const VARIABLE_LENGTH_MORE = 0x80;
const VARIABLE_LENGTH_BITS = 0x7f;

/**
 * Sets the key signature event's sharps-or-flats and minor bytes. @tonejs/midi 2.0.28 writes the count as
 * its key list's index + 7 rather than − 7 (Tonejs/Midi issue #173), so every key comes out wrong; it reads
 * signatures correctly. Its first track holds only meta events, so walking them finds the signature.
 */
export function setKeySignature(bytes: Uint8Array, accidentals: number, minor: boolean): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = FIRST_TRACK_EVENTS + view.getUint32(FIRST_TRACK_LENGTH);
  const variableLength = (at: number): [number, number] => {
    let value = 0;
    let i = at;
    do value = (value << 7) | (bytes[i] & VARIABLE_LENGTH_BITS);
    while (bytes[i++] & VARIABLE_LENGTH_MORE);
    return [value, i];
  };
  let i = FIRST_TRACK_EVENTS;
  while (i < end) {
    i = variableLength(i)[1];
    if (bytes[i] !== META_EVENT) break;
    const type = bytes[i + 1];
    const [length, data] = variableLength(i + 2);
    if (type === KEY_SIGNATURE) {
      view.setInt8(data, accidentals);
      bytes[data + 1] = minor ? 1 : 0;
      return bytes;
    }
    i = data + length;
  }
  throw new Error('the MIDI file has no key signature in its first track');
}

export function arrangementToMidi(arrangement: Arrangement, name: string): MidiFile {
  const midi = new Midi();
  const ppq = midi.header.ppq;
  const beatSeconds = secondsPerBeat(arrangement.bpm);
  const ticksOf = (seconds: number): number => Math.round((seconds / beatSeconds) * ppq);
  midi.header.name = name;
  midi.header.setTempo(arrangement.bpm);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: TIME_SIGNATURE });
  const signature = keySignatureOf(arrangement.key);
  midi.header.keySignatures.push({
    ticks: 0,
    key: SIGNATURE_KEYS[signature.accidentals + NO_ACCIDENTALS_INDEX],
    scale: signature.minor ? 'minor' : 'major',
  });
  for (const chord of arrangement.chords)
    midi.header.meta.push({ type: 'marker', text: chord.symbol, ticks: Math.round(chord.startBeat * ppq) });
  midi.header.update();

  const addTrack = (trackName: string, channel: number, program: number, notes: NoteEvent[]): void => {
    const track: Track = midi.addTrack();
    track.name = trackName;
    track.channel = channel;
    track.instrument.number = program;
    for (const note of notes) {
      const ticks = ticksOf(note.start);
      // Half a step up so @tonejs/midi's floor(velocity × 127) gives back the integer velocity.
      track.addNote({
        midi: note.pitch,
        ticks,
        durationTicks: ticksOf(note.end) - ticks,
        velocity: (note.velocity + 0.5) / 127,
      });
    }
  };
  addTrack(name, CHORD_CHANNEL, CHORD_PROGRAM, arrangement.notes);
  if (arrangement.bass.length > 0) addTrack(BASS_TRACK_NAME, BASS_CHANNEL, BASS_PROGRAM, arrangement.bass);
  return midi;
}

/** The file's bytes, with the key's signature. */
export function arrangementToMidiBytes(arrangement: Arrangement, name: string): Uint8Array {
  const signature = keySignatureOf(arrangement.key);
  return setKeySignature(arrangementToMidi(arrangement, name).toArray(), signature.accidentals, signature.minor);
}
