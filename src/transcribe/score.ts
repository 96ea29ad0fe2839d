/**
 * Note-level transcription scores (precision, recall, F1) as MIREX defines them and mir_eval.transcription
 * computes them: a reference note and an estimated note match when their onsets are within a tolerance,
 * their pitches within a number of cents and, optionally, their offsets within a share of the reference
 * note's duration. Each note matches at most once, and the matching is a maximum one (mir_eval uses
 * Hopcroft–Karp; so do we), so the scores never depend on the order of the notes.
 */
import type { NoteEvent } from '../types.js';

export interface ScoreOptions {
  /** Largest onset difference that still matches, in seconds. Default 0.05. */
  onsetTolerance?: number;
  /** Largest pitch difference that still matches, in cents. Default 50. */
  pitchTolerance?: number;
  /**
   * `null` (the default) scores onsets only. A number also requires the offsets to be within
   * `max(offsetMinTolerance, offsetRatio × reference duration)`; MIREX uses 0.2.
   */
  offsetRatio?: number | null;
  /** The smallest offset tolerance, in seconds, when `offsetRatio` is set. Default 0.05. */
  offsetMinTolerance?: number;
}

export interface NoteScores {
  precision: number;
  recall: number;
  f1: number;
  /** How many reference notes were matched to an estimated note. */
  matched: number;
  /** How many reference notes there were. */
  reference: number;
  /** How many estimated notes there were. */
  estimate: number;
}

/** MIREX's tolerances: onsets within 50 ms, pitches within 50 cents, offsets within 20% of the note or 50 ms. */
export const DEFAULT_ONSET_TOLERANCE = 0.05;
export const DEFAULT_PITCH_TOLERANCE_CENTS = 50;
export const MIREX_OFFSET_RATIO = 0.2;
export const DEFAULT_OFFSET_MIN_TOLERANCE = 0.05;
const CENTS_PER_SEMITONE = 100;

/**
 * mir_eval rounds time differences to 4 decimals before comparing, so that a difference of exactly 50 ms
 * is not lost to floating-point error (0.28 − 0.23 is 0.05000000000000002). We round the same way.
 */
const TIME_ROUNDING_SCALE = 1e4;
/** Rounding can pull a difference down by half a unit: widen the onset search window by a whole one. */
const ONSET_WINDOW_SLACK = 1 / TIME_ROUNDING_SCALE;

const UNMATCHED = -1;
const UNREACHED = Number.POSITIVE_INFINITY;

/** Scores `estimate` against `reference`. Both lists may be in any order. */
export function scoreNotes(reference: NoteEvent[], estimate: NoteEvent[], options: ScoreOptions = {}): NoteScores {
  const counts = { reference: reference.length, estimate: estimate.length };
  // Like mir_eval: with no reference or no estimate the scores are undefined, and reported as 0.
  if (reference.length === 0 || estimate.length === 0) {
    return { precision: 0, recall: 0, f1: 0, matched: 0, ...counts };
  }
  const graph = candidatePairs(reference, estimate, withDefaults(options));
  const matched = maximumMatchingSize(graph, estimate.length);
  const precision = matched / estimate.length;
  const recall = matched / reference.length;
  return { precision, recall, f1: f1Score(precision, recall), matched, ...counts };
}

/** Options with every default filled in, resolved once rather than per pair. */
type Tolerances = Required<ScoreOptions>;

function withDefaults(options: ScoreOptions): Tolerances {
  return {
    onsetTolerance: options.onsetTolerance ?? DEFAULT_ONSET_TOLERANCE,
    pitchTolerance: options.pitchTolerance ?? DEFAULT_PITCH_TOLERANCE_CENTS,
    offsetRatio: options.offsetRatio ?? null,
    offsetMinTolerance: options.offsetMinTolerance ?? DEFAULT_OFFSET_MIN_TOLERANCE,
  };
}

/** The harmonic mean of precision and recall, 0 when both are 0. */
function f1Score(precision: number, recall: number): number {
  if (precision === 0 && recall === 0) return 0;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * The bipartite graph of eligible pairs, in compressed form: the estimates that reference note `r` may
 * match are `targets[first[r]]` up to (not including) `targets[first[r + 1]]`.
 */
interface PairGraph {
  first: Int32Array;
  targets: Int32Array;
}

/**
 * Finds every eligible (reference, estimate) pair without comparing all pairs: estimates are sorted by
 * onset, and each reference note only looks at the estimates whose onsets fall in its window.
 */
function candidatePairs(reference: NoteEvent[], estimate: NoteEvent[], tolerances: Tolerances): PairGraph {
  const { onsetTolerance } = tolerances;
  const byOnset = estimate.map((_, index) => index).sort((a, b) => estimate[a].start - estimate[b].start);
  const onsets = Float64Array.from(byOnset, (index) => estimate[index].start);

  const first = new Int32Array(reference.length + 1);
  const targets: number[] = [];
  reference.forEach((ref, r) => {
    first[r] = targets.length;
    const windowEnd = ref.start + onsetTolerance + ONSET_WINDOW_SLACK;
    for (let k = firstAtLeast(onsets, ref.start - onsetTolerance - ONSET_WINDOW_SLACK); k < onsets.length; k++) {
      if (onsets[k] > windowEnd) break;
      if (isMatch(ref, estimate[byOnset[k]], tolerances)) targets.push(byOnset[k]);
    }
  });
  first[reference.length] = targets.length;
  return { first, targets: Int32Array.from(targets) };
}

/** Whether two notes may be matched: onset, pitch and, if asked for, offset all within tolerance. */
function isMatch(ref: NoteEvent, est: NoteEvent, tolerances: Tolerances): boolean {
  const { onsetTolerance, pitchTolerance, offsetRatio, offsetMinTolerance } = tolerances;

  if (roundedDifference(ref.start, est.start) > onsetTolerance) return false;
  // Pitches are MIDI numbers, so the difference in cents is exact: no rounding, as in mir_eval.
  if (Math.abs(ref.pitch - est.pitch) * CENTS_PER_SEMITONE > pitchTolerance) return false;
  if (offsetRatio === null) return true;
  const offsetTolerance = Math.max(offsetRatio * (ref.end - ref.start), offsetMinTolerance);
  return roundedDifference(ref.end, est.end) <= offsetTolerance;
}

/** |a − b| rounded to 4 decimals the way numpy's `around` does: scale, round half to even, unscale. */
function roundedDifference(a: number, b: number): number {
  return roundHalfToEven(Math.abs(a - b) * TIME_ROUNDING_SCALE) / TIME_ROUNDING_SCALE;
}

function roundHalfToEven(x: number): number {
  const rounded = Math.round(x);
  // Math.round sends ties up; numpy sends them to the even neighbour.
  const isTie = Math.abs(x - Math.trunc(x)) === 0.5;
  return isTie && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

/** The index of the first value ≥ `target` in ascending `values` (values.length if none). */
function firstAtLeast(values: Float64Array, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The size of a maximum matching of the graph, by Hopcroft–Karp: each phase finds, by breadth-first search,
 * the layers of shortest augmenting paths, then augments along as many of them as depth-first search finds.
 * At most about √(notes) phases, each linear in the number of pairs.
 */
function maximumMatchingSize(graph: PairGraph, estimateCount: number): number {
  const referenceCount = graph.first.length - 1;
  const partnerOfReference = new Int32Array(referenceCount).fill(UNMATCHED);
  const partnerOfEstimate = new Int32Array(estimateCount).fill(UNMATCHED);
  const layer = new Float64Array(referenceCount);
  const state = { graph, partnerOfReference, partnerOfEstimate, layer };

  let matched = 0;
  while (layerFreeReferences(state)) {
    const nextEdge = graph.first.slice(0, referenceCount);
    for (let r = 0; r < referenceCount; r++) {
      if (partnerOfReference[r] === UNMATCHED && augmentFrom(r, state, nextEdge)) matched++;
    }
  }
  return matched;
}

interface MatchingState {
  graph: PairGraph;
  partnerOfReference: Int32Array;
  partnerOfEstimate: Int32Array;
  /** Breadth-first distance of each reference note from the free ones, along alternating paths. */
  layer: Float64Array;
}

/** Breadth-first search from the free reference notes; true when some free estimate can be reached. */
function layerFreeReferences(state: MatchingState): boolean {
  const { graph, partnerOfReference, partnerOfEstimate, layer } = state;
  const queue: number[] = [];
  for (let r = 0; r < partnerOfReference.length; r++) {
    layer[r] = partnerOfReference[r] === UNMATCHED ? 0 : UNREACHED;
    if (layer[r] === 0) queue.push(r);
  }
  let reachesFreeEstimate = false;
  for (let head = 0; head < queue.length; head++) {
    const r = queue[head];
    for (let edge = graph.first[r]; edge < graph.first[r + 1]; edge++) {
      const partner = partnerOfEstimate[graph.targets[edge]];
      if (partner === UNMATCHED) reachesFreeEstimate = true;
      else if (layer[partner] === UNREACHED) {
        layer[partner] = layer[r] + 1;
        queue.push(partner);
      }
    }
  }
  return reachesFreeEstimate;
}

/**
 * Depth-first search for an augmenting path from the free reference note `root`, following the layers,
 * and flips the path's pairs when found. Iterative, because paths can be thousands of notes long.
 * `nextEdge[r]` remembers where note r's search stopped, so no edge is tried twice in a phase.
 */
function augmentFrom(root: number, state: MatchingState, nextEdge: Int32Array): boolean {
  const { graph, partnerOfReference, partnerOfEstimate, layer } = state;
  const path = [root];
  while (path.length > 0) {
    const r = path[path.length - 1];
    if (nextEdge[r] === graph.first[r + 1]) {
      layer[r] = UNREACHED; // a dead end: no later search this phase should enter it
      path.pop();
      continue;
    }
    const partner = partnerOfEstimate[graph.targets[nextEdge[r]]];
    if (partner === UNMATCHED) {
      // Each note on the path takes the estimate its current edge points to.
      for (const onPath of path) {
        const est = graph.targets[nextEdge[onPath]];
        partnerOfReference[onPath] = est;
        partnerOfEstimate[est] = onPath;
      }
      return true;
    }
    if (layer[partner] === layer[r] + 1) path.push(partner);
    else nextEdge[r]++;
  }
  return false;
}
