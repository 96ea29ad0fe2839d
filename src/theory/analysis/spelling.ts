/**
 * Naming pitch classes the way a musician reading in a key would: a key's tonic with the fewest
 * accidentals, and notes in a key by their degree above the tonic (Bb, not A#, as the seventh of C).
 */
import { Interval, Key, Note } from 'tonal';
import { PITCH_CLASSES } from './chroma.js';
import type { Mode } from './types.js';

/** The usual tonic spellings of each pitch class, sharp and flat where both exist. */
const TONIC_SPELLINGS = [
  ['C'],
  ['C#', 'Db'],
  ['D'],
  ['D#', 'Eb'],
  ['E'],
  ['F'],
  ['F#', 'Gb'],
  ['G'],
  ['G#', 'Ab'],
  ['A'],
  ['A#', 'Bb'],
  ['B'],
];

/**
 * The interval above the tonic that names each chromatic degree: the key's own notes, then the chromatic
 * ones as musicians spell them in chord progressions (bII, bIII, #IV, bVI, bVII; in minor, III and the
 * raised VI and VII).
 */
const DEGREE_INTERVALS = ['1P', '2m', '2M', '3m', '3M', '4P', '4A', '5P', '6m', '6M', '7m', '7M'];

/**
 * The tonic's name for a key: of the spellings, the one whose key signature has the fewest accidentals (flats on a tie,
 * Gb major and Eb minor).
 */
export function tonicName(pitchClass: number, mode: Mode): string {
  const candidates = TONIC_SPELLINGS[pitchClass];
  const accidentals = (tonic: string) =>
    Math.abs(
      mode === 'major' ? Key.majorKey(tonic).alteration : Key.majorKey(Key.minorKey(tonic).relativeMajor).alteration,
    );
  return candidates.reduce((best, tonic) => (accidentals(tonic) <= accidentals(best) ? tonic : best));
}

/** The interval from the tonic that names `pitchClass` in a key on `tonic`. */
export function degreeInterval(tonic: string, pitchClass: number): string {
  return DEGREE_INTERVALS[(pitchClass - (Note.chroma(tonic) ?? 0) + PITCH_CLASSES) % PITCH_CLASSES];
}

/** A note name without double sharps or flats (Fx reads as G). */
export function plainSpelling(note: string): string {
  return /##|bb/.test(note) ? Note.enharmonic(note) : note;
}

/**
 * A chord root outside the key's own chords, as chord charts and .lab files spell it: without double accidentals, and
 * with white keys by their own names (E, not Fb, for bIII of Db major; C, not B#, for V/vi of E major).
 */
export function chartSpelling(note: string): string {
  const plain = plainSpelling(note);
  return /^(Cb|Fb|E#|B#)$/.test(plain) ? Note.enharmonic(plain) : plain;
}

/** Semitones of an interval name, e.g. "3m" → 3. */
export function semitones(interval: string): number {
  return Interval.semitones(interval) ?? 0;
}
