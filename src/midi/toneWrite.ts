/**
 * A file in @tonejs/midi's object model → the SmfFile that smfWrite.ts writes, so files built or edited as objects
 * (an annotated copy, a progression) are written by jam's one writer. @tonejs/midi's own toArray() writes every key
 * signature wrong (Tonejs/Midi issue #173); everything else comes out as it wrote it.
 */
import { MAX_VELOCITY } from '../notes.js';
import { MICROSECONDS_PER_MINUTE, MIDI_DATA_MAX } from './constants.js';
import type { SmfControl, SmfFile, SmfKeySignature, SmfTextType, SmfTrack } from './smfWrite.js';
import type { Midi } from './write.js';

type Header = Midi['header'];
type Track = Midi['tracks'][number];

/**
 * Major keys by their signature, seven flats to seven sharps: a MIDI key signature stores the count of sharps or
 * flats, and @tonejs/midi names that count by its major key (A minor reads as "C", minor).
 */
const SIGNATURE_KEYS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];
const NO_ACCIDENTALS_INDEX = 7;
/** Controllers 0–126: @tonejs/midi's writer left out 127 (poly mode on), and files stay as they were. */
const CONTROLLERS_WRITTEN = 127;

/** The major key @tonejs/midi names a signature of `accidentals` sharps (above 0) or flats (below 0) by. */
export function signatureKeyName(accidentals: number): string {
  return SIGNATURE_KEYS[accidentals + NO_ACCIDENTALS_INDEX];
}

export function toneMidiToSmf(midi: Midi): SmfFile {
  const { header } = midi;
  return {
    ppq: header.ppq,
    conductor: {
      name: header.name,
      keySignatures: header.keySignatures.map(keySignature),
      texts: header.meta.map(({ ticks, type, text }) => ({ ticks, type: type as SmfTextType, text })),
      tempos: header.tempos.map(({ ticks, bpm }) => ({
        ticks,
        microsecondsPerBeat: Math.floor(MICROSECONDS_PER_MINUTE / bpm),
      })),
      timeSignatures: header.timeSignatures.map(({ ticks, timeSignature: [numerator, denominator] }) => ({
        ticks,
        numerator,
        denominator,
      })),
    },
    tracks: midi.tracks.map(smfTrack),
    textEncoding: 'latin-1',
  };
}

function keySignature({ ticks, key, scale }: Header['keySignatures'][number]): SmfKeySignature {
  const index = SIGNATURE_KEYS.indexOf(key);
  if (index < 0) throw new Error(`no key signature names the key "${key}"; use one of ${SIGNATURE_KEYS.join(' ')}`);
  return { ticks, accidentals: index - NO_ACCIDENTALS_INDEX, minor: scale !== 'major' };
}

/**
 * A MIDI velocity as @tonejs/midi holds it, a fraction of 127: half a step up, so that rounding it down on writing
 * (smfTrack) gives back the integer velocity.
 */
export function toneVelocity(velocity: number): number {
  return (velocity + 0.5) / MAX_VELOCITY;
}

/** @tonejs/midi holds velocities and controller values as fractions of 127; its writer rounded them down. */
function dataByte(fraction: number): number {
  return Math.floor(fraction * MIDI_DATA_MAX);
}

function smfTrack(track: Track): SmfTrack {
  const controls: SmfControl[] = [];
  for (let controller = 0; controller < CONTROLLERS_WRITTEN; controller++) {
    for (const change of track.controlChanges[controller] ?? [])
      controls.push({ ticks: change.ticks, controller, value: dataByte(change.value) });
  }
  return {
    name: track.name,
    channel: track.channel,
    program: track.instrument.number,
    notes: track.notes.map((note) => ({
      pitch: note.midi,
      start: note.ticks,
      end: note.ticks + note.durationTicks,
      velocity: Math.floor(note.velocity * MAX_VELOCITY),
      releaseVelocity: Math.floor(note.noteOffVelocity * MAX_VELOCITY),
    })),
    controls,
    bends: track.pitchBends.map(({ ticks, value }) => ({ ticks, value })),
  };
}
