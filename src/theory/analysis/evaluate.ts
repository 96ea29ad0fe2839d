/**
 * Scoring chord and key estimates against references, as MIREX defines the measures and mir_eval computes
 * them (mir_eval.chord.evaluate, mir_eval.key.weighted_score). Note scores are in src/transcribe/score.ts.
 *
 * Chords: the estimate is cut or padded with N to the reference's span, both timelines are cut at every
 * boundary either has, and each piece is compared; a score is the share of the compared time where the
 * estimate is right. Each vocabulary leaves out the reference chords it cannot express.
 */
import { keyPitchClass } from './key.js';
import { NO_CHORD_LABEL, parseHarte, type HarteChord } from './harte.js';
import type { LabeledInterval } from './lab.js';
import type { KeyEstimate } from './types.js';

export interface ChordScores {
  /** The root is right. */
  root: number;
  /** Root and major/minor third and fifth right; only major, minor and N references count. */
  majmin: number;
  /** Root and whole chord right within the octave; only maj, min, maj7, 7, min7 and N references count. */
  sevenths: number;
  /** Seconds of reference compared. */
  duration: number;
}

/** Bitmap places up to and including the fifth: what majmin compares. */
const THROUGH_FIFTH = 8;
const MAJOR = [0, 4, 7];
const MINOR = [0, 3, 7];
const SEVENTHS_VOCABULARY = [MAJOR, MINOR, [0, 4, 7, 11], [0, 4, 7, 10], [0, 3, 7, 10]].map(bitmapOf);

/** A comparison: 1 right, 0 wrong, -1 reference not in the vocabulary (left out). */
type Comparison = (reference: HarteChord, estimate: HarteChord) => number;

const COMPARISONS: Record<Exclude<keyof ChordScores, 'duration'>, Comparison> = {
  root: (ref, est) => (isUnknown(ref) ? -1 : Number(ref.root === est.root)),
  majmin: (ref, est) => {
    const valid =
      isNoChord(ref) ||
      sameThrough(ref.bitmap, bitmapOf(MAJOR), THROUGH_FIFTH) ||
      sameThrough(ref.bitmap, bitmapOf(MINOR), THROUGH_FIFTH);
    return valid ? Number(ref.root === est.root && sameThrough(ref.bitmap, est.bitmap, THROUGH_FIFTH)) : -1;
  },
  sevenths: (ref, est) => {
    const valid =
      isNoChord(ref) || SEVENTHS_VOCABULARY.some((bitmap) => sameThrough(ref.bitmap, bitmap, bitmap.length));
    return valid ? Number(ref.root === est.root && sameThrough(ref.bitmap, est.bitmap, ref.bitmap.length)) : -1;
  },
};

export function chordScores(reference: LabeledInterval[], estimate: LabeledInterval[]): ChordScores {
  if (reference.length === 0) return { root: 0, majmin: 0, sevenths: 0, duration: 0 };
  const pieces = commonPieces(reference, fitToSpan(estimate, spanOf(reference)));
  const parsed = new Map<string, HarteChord>();
  const chord = (label: string): HarteChord => {
    let found = parsed.get(label);
    if (!found) parsed.set(label, (found = parseHarte(label)));
    return found;
  };
  const scores = Object.fromEntries(
    Object.entries(COMPARISONS).map(([name, compare]) => {
      let right = 0;
      let counted = 0;
      for (const piece of pieces) {
        const result = compare(chord(piece.reference), chord(piece.estimate));
        if (result < 0) continue;
        counted += piece.duration;
        right += result * piece.duration;
      }
      return [name, counted > 0 ? right / counted : 0];
    }),
  ) as Omit<ChordScores, 'duration'>;
  return { ...scores, duration: pieces.reduce((sum, piece) => sum + piece.duration, 0) };
}

function bitmapOf(semitones: number[]): number[] {
  const bitmap = new Array(12).fill(0);
  for (const semitone of semitones) bitmap[semitone] = 1;
  return bitmap;
}

function sameThrough(a: readonly number[], b: readonly number[], places: number): boolean {
  for (let i = 0; i < places; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isNoChord(chord: HarteChord): boolean {
  return chord.root < 0 && chord.bitmap.every((place) => place === 0);
}

function isUnknown(chord: HarteChord): boolean {
  return chord.bitmap.some((place) => place < 0);
}

/** The earliest and latest time in a list of intervals. */
function spanOf(intervals: LabeledInterval[]): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const { start, end } of intervals) {
    from = Math.min(from, start, end);
    to = Math.max(to, start, end);
  }
  return { from, to };
}

/** The estimate cut to the span, with N added where it starts late or ends early (mir_eval's adjust_intervals). */
function fitToSpan(estimate: LabeledInterval[], { from, to }: { from: number; to: number }): LabeledInterval[] {
  if (estimate.length === 0) return [{ start: from, end: to, label: NO_CHORD_LABEL }];
  const firstReaching = estimate.findIndex((interval) => interval.end >= from);
  let fitted = (firstReaching < 0 ? estimate : estimate.slice(firstReaching)).map((interval) => ({
    ...interval,
    start: Math.max(interval.start, from),
    end: Math.max(interval.end, from),
  }));
  const earliest = spanOf(fitted).from;
  if (earliest > from) fitted.unshift({ start: from, end: earliest, label: NO_CHORD_LABEL });
  const firstPast = fitted.findIndex((interval) => interval.start > to);
  if (firstPast >= 0) fitted = fitted.slice(0, firstPast);
  fitted = fitted.map((interval) => ({
    ...interval,
    start: Math.min(interval.start, to),
    end: Math.min(interval.end, to),
  }));
  const latest = spanOf(fitted).to;
  if (latest < to) fitted.push({ start: latest, end: to, label: NO_CHORD_LABEL });
  return fitted;
}

interface Piece {
  duration: number;
  reference: string;
  estimate: string;
}

/** Both timelines cut at every boundary of either; each piece has the label in force in each. */
function commonPieces(reference: LabeledInterval[], estimate: LabeledInterval[]): Piece[] {
  const times = [...new Set([...reference, ...estimate].flatMap(({ start, end }) => [start, end]))].sort(
    (a, b) => a - b,
  );
  const referenceAt = labelsInForce(reference);
  const estimateAt = labelsInForce(estimate);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < times.length; i++) {
    pieces.push({
      duration: times[i + 1] - times[i],
      reference: referenceAt(times[i]),
      estimate: estimateAt(times[i]),
    });
  }
  return pieces;
}

/**
 * For ascending times: the label of the last interval, in file order, that starts at or before the time
 * (the first interval's label before any starts), as mir_eval picks it.
 */
function labelsInForce(intervals: LabeledInterval[]): (time: number) => string {
  const byStart = intervals.map((_, index) => index).sort((a, b) => intervals[a].start - intervals[b].start);
  let next = 0;
  let latest = 0;
  return (time) => {
    for (; next < byStart.length && intervals[byStart[next]].start <= time; next++)
      latest = Math.max(latest, byStart[next]);
    return intervals[latest].label;
  };
}

/**
 * MIREX's weighted key score: 1 for the right key, 0.5 for the key a fifth above, 0.3 for the relative
 * key, 0.2 for the parallel key, 0 otherwise.
 */
export function keyScore(reference: KeyEstimate, estimate: KeyEstimate): number {
  const interval = (keyPitchClass(estimate) - keyPitchClass(reference) + 12) % 12;
  if (estimate.mode === reference.mode) return interval === 0 ? 1 : interval === 7 ? 0.5 : 0;
  if (reference.mode === 'major' && interval === 9) return 0.3;
  if (reference.mode === 'minor' && interval === 3) return 0.3;
  return interval === 0 ? 0.2 : 0;
}
