/**
 * Pitch-class weights ("chroma") of the notes sounding in each span of time: every note adds its
 * sounding time in the span times its loudness to its pitch class. A second vector holds the bass: at
 * each moment, only the lowest sounding note counts, and how clearly it stands apart as a bass.
 */
import { MAX_VELOCITY } from '../../notes.js';
import type { NoteEvent } from '../../types.js';

export const PITCH_CLASSES = 12;
/** Semitones above a root of the intervals that make a triad. */
export const MINOR_THIRD = 3;
export const MAJOR_THIRD = 4;
export const PERFECT_FIFTH = 7;
/**
 * The lowest note is fully a bass when the next note up is at least this many semitones above it; in a
 * close voicing with no bass part (C E A C), it is only partly one.
 */
const BASS_GAP = 7;

export interface SpanChroma {
  /** Twelve weights per span, span after span (span i is at i × 12). */
  notes: Float64Array;
  bass: Float64Array;
  /** Per span, 0–1: how far the lowest notes stand apart from the rest (1: a bass line below the chords). */
  bassClarity: Float64Array;
}

/** A note's loudness as a weight: its velocity as a share of the loudest. */
export function loudness(note: NoteEvent): number {
  return note.velocity / MAX_VELOCITY;
}

export function pitchClass(pitch: number): number {
  return ((Math.round(pitch) % PITCH_CLASSES) + PITCH_CLASSES) % PITCH_CLASSES;
}

/**
 * Chroma of the spans between consecutive `boundaries` (ascending seconds): span i runs from
 * boundaries[i] to boundaries[i + 1]. `notes` must be sorted by start.
 */
export function spanChroma(notes: NoteEvent[], boundaries: number[], withBass = true): SpanChroma {
  const spans = Math.max(0, boundaries.length - 1);
  const chroma = {
    notes: new Float64Array(spans * PITCH_CLASSES),
    bass: new Float64Array(spans * PITCH_CLASSES),
    bassClarity: new Float64Array(spans),
  };
  const sounding: NoteEvent[][] = Array.from({ length: spans }, () => []);
  for (const note of notes) {
    if (!(note.end > note.start)) continue;
    for (let span = spanAt(boundaries, note.start); span < spans && boundaries[span] < note.end; span++) {
      const overlap = Math.min(note.end, boundaries[span + 1]) - Math.max(note.start, boundaries[span]);
      if (overlap <= 0) continue;
      chroma.notes[span * PITCH_CLASSES + pitchClass(note.pitch)] += overlap * loudness(note);
      sounding[span].push(note);
    }
  }
  if (withBass)
    sounding.forEach((inSpan, span) => addBass(chroma, span, inSpan, boundaries[span], boundaries[span + 1]));
  return chroma;
}

/** The span that `time` falls in (0 before the first boundary). */
function spanAt(boundaries: number[], time: number): number {
  let low = 0;
  let high = boundaries.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (boundaries[middle + 1] <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Walks the span from change to change (a note starting or ending), crediting the lowest note sounding,
 * and measures how clearly it stands below the next note up.
 */
function addBass(chroma: SpanChroma, span: number, notes: NoteEvent[], start: number, end: number): void {
  if (notes.length === 0) return;
  const changes = [start, end];
  for (const note of notes) {
    if (note.start > start && note.start < end) changes.push(note.start);
    if (note.end > start && note.end < end) changes.push(note.end);
  }
  changes.sort((a, b) => a - b);
  let credited = 0;
  let clear = 0;
  for (let i = 0; i + 1 < changes.length; i++) {
    const [from, to] = [changes[i], changes[i + 1]];
    if (to <= from) continue;
    let lowest: NoteEvent | undefined;
    let next = Infinity;
    for (const note of notes) {
      if (note.start > from || note.end < to) continue;
      if (!lowest || note.pitch < lowest.pitch) {
        if (lowest) next = Math.min(next, lowest.pitch);
        lowest = note;
      } else if (note.pitch > lowest.pitch) next = Math.min(next, note.pitch);
    }
    if (!lowest) continue;
    const weight = (to - from) * loudness(lowest);
    chroma.bass[span * PITCH_CLASSES + pitchClass(lowest.pitch)] += weight;
    credited += weight;
    clear += weight * Math.min(1, (next - lowest.pitch) / BASS_GAP);
  }
  chroma.bassClarity[span] = credited > 0 ? clear / credited : 0;
}

/** The sum of spans `from` (inclusive) to `to` (exclusive) of a chroma array, as one 12-vector. */
export function sumSpans(values: Float64Array, from: number, to: number): Float64Array {
  const total = new Float64Array(PITCH_CLASSES);
  for (let span = from; span < to; span++) {
    for (let pc = 0; pc < PITCH_CLASSES; pc++) total[pc] += values[span * PITCH_CLASSES + pc];
  }
  return total;
}

export function total(values: ArrayLike<number>, from = 0, to = values.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i];
  return sum;
}

/** How alike two spans' pitch classes are (their cosine); `whenSilent` when either span has none. */
export function chromaSimilarity(chroma: Float64Array, a: number, b: number, whenSilent: number): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let pc = 0; pc < PITCH_CLASSES; pc++) {
    const x = chroma[a * PITCH_CLASSES + pc];
    const y = chroma[b * PITCH_CLASSES + pc];
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : whenSilent;
}

/**
 * Which of every `perBar` spans (beats) starts the bar: the one where the pitch classes change most across the
 * piece. `whenSilent` is how alike a silent span counts.
 */
export function strongestChangePhase(chroma: Float64Array, spans: number, perBar: number, whenSilent: number): number {
  const strength = new Float64Array(perBar);
  for (let span = 1; span < spans; span++)
    strength[span % perBar] += 1 - chromaSimilarity(chroma, span - 1, span, whenSilent);
  let best = 0;
  for (let phase = 1; phase < perBar; phase++) if (strength[phase] > strength[best]) best = phase;
  return best;
}
