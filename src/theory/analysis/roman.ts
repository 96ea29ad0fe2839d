/**
 * Roman numerals of chords in a key, the way an analyst writes them: case from the chord's quality (IV,
 * ii, vii°), accidentals against the key's own scale (bVII in major, VII in minor), secondary dominants
 * and leading-tone chords as V7/V and vii°7/ii, and chords borrowed from the parallel key marked so.
 * The degree names come from tonal's RomanNumeral.
 */
import { Interval, Note, RomanNumeral } from 'tonal';
import { PITCH_CLASSES } from './chroma.js';
import { NO_CHORD, statePitchClasses, stateQuality, stateRoot } from './chords.js';
import type { ChordQuality } from '../chordVocabulary.js';
import { keyPitchClass } from './key.js';
import { chartSpelling, degreeInterval, plainSpelling } from './spelling.js';
import type { ChordRole, KeyEstimate, Mode } from './types.js';

/** Each mode's scale as intervals above the tonic, degree by degree. */
const SCALE_INTERVALS: Record<Mode, string[]> = {
  major: ['1P', '2M', '3M', '4P', '5P', '6M', '7M'],
  minor: ['1P', '2M', '3m', '4P', '5P', '6m', '7m'],
};
/** Pitch classes above the tonic that are the key's own; minor keys also have the raised leading tone. */
const KEY_PITCH_CLASSES: Record<Mode, number[]> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10, 11],
};
/** The pitch classes a chord may borrow: the parallel key's scale (natural minor for a major key). */
const PARALLEL_PITCH_CLASSES: Record<Mode, number[]> = {
  major: [0, 2, 3, 5, 7, 8, 10],
  minor: [0, 2, 4, 5, 7, 9, 11],
};
/** The diatonic triads a secondary chord can point to (not the tonic, not a diminished triad). */
const TONICISABLE_NUMERALS: Record<Mode, Array<string | null>> = {
  major: [null, 'ii', 'iii', 'IV', 'V', 'vi', null],
  minor: [null, null, 'III', 'iv', 'V', 'VI', 'VII'],
};
/** Chords that act as dominants, and as leading-tone chords, of the chord they point to. */
const DOMINANT_QUALITIES = new Set(['maj', '7', '9', '13', '7b9', '7#9']);
const LEADING_TONE_QUALITIES = new Set(['dim', 'dim7', 'hdim7']);
/** Qualities whose pull to their target is strong enough to be read as secondary without resolving. */
const ALWAYS_SECONDARY = new Set(['7', '9', '13', '7b9', '7#9', 'dim7']);
/** A dominant sits a fifth above its target; a leading-tone chord a semitone below. */
const DOMINANT_INTERVAL = '5P';
const LEADING_TONE_INTERVAL = '7M';

export interface Numeral {
  numeral: string;
  role: ChordRole;
  /** The chord's root spelled as the numeral reads: G# in vii°7/vi of C, Bb in bVII of C. */
  root: string;
}

/**
 * The numeral of chord `state` in `key`. `next` is the chord that follows (or null), so that a major
 * triad that resolves a fifth down can be read as a secondary dominant.
 */
export function romanNumeral(state: number, key: KeyEstimate, next: number | null): Numeral {
  const quality = stateQuality(state);
  const tonic = keyPitchClass(key);
  const degrees = statePitchClasses(state).map((pc) => (pc - tonic + PITCH_CLASSES) % PITCH_CLASSES);
  const root = stateRoot(state);
  if (fitsScale(degrees, KEY_PITCH_CLASSES[key.mode])) return plain(key, root, quality, 'diatonic');
  const secondary = secondaryNumeral(key, root, quality);
  const resolves = next !== null && next !== NO_CHORD && secondary && stateRoot(next) === secondary.target;
  if (secondary && (ALWAYS_SECONDARY.has(quality.name) || resolves)) return secondary.numeral;
  if (fitsScale(degrees, PARALLEL_PITCH_CLASSES[key.mode])) return plain(key, root, quality, 'borrowed');
  return secondary ? secondary.numeral : plain(key, root, quality, 'chromatic');
}

function fitsScale(degrees: number[], scale: number[]): boolean {
  return degrees.every((degree) => scale.includes(degree));
}

/** A numeral on the chord's own degree: accidental against the key's scale, case and suffix from the quality. */
function plain(key: KeyEstimate, root: number, quality: ChordQuality, role: ChordRole): Numeral {
  const interval = degreeInterval(key.tonic, root);
  return {
    numeral: degreeNumeral(key.mode, interval, quality),
    role,
    root: (role === 'diatonic' ? plainSpelling : chartSpelling)(Note.transpose(key.tonic, interval)),
  };
}

function degreeNumeral(mode: Mode, interval: string, quality: ChordQuality): string {
  const { num, alt } = Interval.get(interval);
  const scaleAlt = Interval.get(SCALE_INTERVALS[mode][num - 1]).alt;
  // In minor the raised seventh is the key's own leading tone: V and vii° take no sharp.
  const shift = mode === 'minor' && num === 7 && alt === 0 ? 0 : alt - scaleAlt;
  const accidental = shift < 0 ? 'b'.repeat(-shift) : '#'.repeat(shift);
  const roman = RomanNumeral.names()[num - 1];
  return `${accidental}${quality.numeralCase === 'upper' ? roman : roman.toLowerCase()}${quality.numeralSuffix}`;
}

/** V/x or vii°/x when the chord is a dominant or leading-tone chord of a diatonic triad x. */
function secondaryNumeral(
  key: KeyEstimate,
  root: number,
  quality: ChordQuality,
): { numeral: Numeral; target: number } | null {
  const function_ = DOMINANT_QUALITIES.has(quality.name)
    ? { roman: 'V', interval: DOMINANT_INTERVAL }
    : LEADING_TONE_QUALITIES.has(quality.name)
      ? { roman: 'vii', interval: LEADING_TONE_INTERVAL }
      : null;
  if (!function_) return null;
  const target = (root - semitonesOf(function_.interval) + PITCH_CLASSES) % PITCH_CLASSES;
  const targetInterval = degreeInterval(key.tonic, target);
  const targetDegree = SCALE_INTERVALS[key.mode].indexOf(targetInterval);
  const targetNumeral = targetDegree < 0 ? null : TONICISABLE_NUMERALS[key.mode][targetDegree];
  if (!targetNumeral) return null;
  const targetRoot = Note.transpose(key.tonic, targetInterval);
  const numeral = `${function_.roman}${quality.numeralSuffix}/${targetNumeral}`;
  return {
    numeral: { numeral, role: 'secondary', root: chartSpelling(Note.transpose(targetRoot, function_.interval)) },
    target,
  };
}

function semitonesOf(interval: string): number {
  return Interval.semitones(interval) ?? 0;
}
