/**
 * An arranged progression → a Standard MIDI File a producer drops into a DAW: a named chord track (and a
 * bass track with --bass), the tempo, 4/4, the key signature, and one marker per chord naming it, so the
 * DAW's timeline shows the progression. Write it with arrangementToMidiBytes (midiToBytes), not
 * @tonejs/midi's own toArray(), which gets the key signature wrong.
 */
import ToneMidi from '@tonejs/midi';
import type { NoteEvent } from '../types.js';
import type { Arrangement } from '../theory/progression/arrange.js';
import { keySignatureOf } from '../theory/progression/parse.js';
import { secondsPerBeat } from '../theory/progression/rhythm.js';
import { signatureKeyName, toneVelocity } from '../midi/toneWrite.js';
import { midiToBytes, type Midi as MidiFile } from '../midi/write.js';

const { Midi } = ToneMidi;
type Track = ReturnType<MidiFile['addTrack']>;

/** General MIDI programs (0-based): Acoustic Grand Piano for the chords, Electric Bass (finger) for the bass. */
const CHORD_PROGRAM = 0;
export const BASS_PROGRAM = 33;
const CHORD_CHANNEL = 0;
const BASS_CHANNEL = 1;
const BASS_TRACK_NAME = 'Bass';
const TIME_SIGNATURE = [4, 4];

/** The progression as @tonejs/midi objects, for callers that read or edit it before writing. */
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
    key: signatureKeyName(signature.accidentals),
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
    // In time order, so @tonejs/midi's sorted insert always appends: out of order (humanized) it costs a splice each.
    for (const note of [...notes].sort((x, y) => x.start - y.start)) {
      const ticks = ticksOf(note.start);
      track.addNote({
        midi: note.pitch,
        ticks,
        durationTicks: ticksOf(note.end) - ticks,
        velocity: toneVelocity(note.velocity),
      });
    }
  };
  addTrack(name, CHORD_CHANNEL, CHORD_PROGRAM, arrangement.notes);
  if (arrangement.bass.length > 0) addTrack(BASS_TRACK_NAME, BASS_CHANNEL, BASS_PROGRAM, arrangement.bass);
  return midi;
}

/** The file's bytes. */
export function arrangementToMidiBytes(arrangement: Arrangement, name: string): Uint8Array {
  return midiToBytes(arrangementToMidi(arrangement, name));
}
