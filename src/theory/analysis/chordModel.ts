/**
 * Chord recognition as a hidden Markov model over the beats: each beat's notes are scored against every chord
 * (a root and a quality) by how chords of that quality spread their weight over the twelve pitch classes above the
 * root, in three streams that say different things: the accompaniment (what the chord is made of), the melody (which
 * passes over chord notes and others alike, so it counts for less) and the bass (the lowest accompaniment voice,
 * mostly the root). The chord sequence is then decoded jointly (Viterbi) with a transition model: how likely the
 * chord is to change on each beat of the bar, and to which chord, by root motion and quality.
 *
 * The tables are data (data/chordModel.ts), fitted by scripts/fit-chord-model.js on half of the POP909 development
 * songs and their human-corrected labels. Those labels began as the dataset's own extraction (Wang et al., "POP909:
 * A Pop-song Dataset for Music Arrangement Generation", ISMIR 2020), which matched chord templates to the notes of
 * each beat of the accompaniment and bass, with the beat positions from the recording; jam learns from that what
 * is sound in it (the beat as the unit of harmony, the accompaniment and its bass as the chord's evidence) and
 * replaces its hand rules with fitted likelihoods, and its independent beat decisions with joint decoding.
 */
import type { NoteEvent } from '../../types.js';
import { PITCH_CLASSES, spanChroma } from './chroma.js';
import { chordState, NO_CHORD } from './chords.js';
import { CHORD_MODEL, type ChordModel } from './data/chordModel.js';

/** A beat's score for every chord, when nothing sounds in it, against "no chord" at 0. */
const CHORD_IN_SILENCE = -10;
/** The decoder follows this many of the best chords of each beat as the ones a change may come from. */
const CHANGE_SOURCES = 6;
/** Beats in a bar as the transition model counts them (positions 0–3). */
export const MODEL_BAR = 4;
/** The position of a frame that starts off the beat, where a chord is struck between beats. */
export const OFF_BEAT = MODEL_BAR;

/** Each frame's twelve weights of each stream, frame after frame. */
export interface ChordFeatures {
  accompaniment: Float64Array;
  melody: Float64Array;
  bass: Float64Array;
}

/** The streams' pitch-class weights over the frames between `edges` (both note lists sorted by start). */
export function chordFeatures(accompaniment: NoteEvent[], melody: NoteEvent[], edges: number[]): ChordFeatures {
  const chords = spanChroma(accompaniment, edges);
  return { accompaniment: chords.notes, melody: spanChroma(melody, edges).notes, bass: chords.bass };
}

/** The model's quality names as chord states of chords.ts: quality index q, root r → state; no chord last. */
function stateTable(model: ChordModel): Int32Array {
  const table = new Int32Array(model.qualities.length * PITCH_CLASSES + 1);
  model.qualities.forEach((quality, q) => {
    for (let root = 0; root < PITCH_CLASSES; root++) table[q * PITCH_CLASSES + root] = chordState(root, quality);
  });
  table[table.length - 1] = NO_CHORD;
  return table;
}

interface Prepared {
  model: ChordModel;
  states: Int32Array;
  /** Log-probabilities: [stream][quality * 24 + step above the root], the 12 steps twice over (no wrapping). */
  doubledProfiles: Float64Array[];
  /** Each model state's quality index and root. */
  qualityOf: Int32Array;
  rootOf: Int32Array;
  /** Log-probability of a change into quality q2, `step` semitones above q1's root: [(q1 * Q + q2) * 12 + step]. */
  logChange: Float64Array;
  logStay: Float64Array;
  logMove: Float64Array;
}

const PREPARED = new WeakMap<ChordModel, Prepared>();

function prepare(model: ChordModel): Prepared {
  let prepared = PREPARED.get(model);
  if (prepared) return prepared;
  const qualities = model.qualities.length + 1;
  const log = (values: number[][]): Float64Array =>
    Float64Array.from(
      values.flatMap((row) => [...row, ...row]),
      (p) => Math.log(p),
    );
  const states = stateTable(model);
  prepared = {
    model,
    states,
    doubledProfiles: [log(model.accompaniment), log(model.melody), log(model.bass)],
    qualityOf: Int32Array.from(states, (_, state) => Math.floor(state / PITCH_CLASSES)),
    rootOf: Int32Array.from(states, (_, state) => state % PITCH_CLASSES),
    logChange: Float64Array.from(model.transitions.flat(2), (p) => (p > 0 ? Math.log(p) : -Infinity)),
    logStay: Float64Array.from(model.stay, (p) => Math.log(p)),
    logMove: Float64Array.from(model.stay, (p) => Math.log(1 - p)),
  };
  if (prepared.logChange.length !== qualities * qualities * PITCH_CLASSES)
    throw new Error('chord model: transitions of the wrong size');
  PREPARED.set(model, prepared);
  return prepared;
}

/** Every frame's score for every model state (quality × 12 roots, then no chord). */
export function chordLikelihoods(features: ChordFeatures, model: ChordModel = CHORD_MODEL): Float64Array {
  const { doubledProfiles } = prepare(model);
  const qualities = model.qualities.length;
  const states = qualities * PITCH_CLASSES + 1;
  const frames = features.accompaniment.length / PITCH_CLASSES;
  const scores = new Float64Array(frames * states);
  const streams = [features.accompaniment, features.melody, features.bass];
  const weights = [model.weights.accompaniment, model.weights.melody, model.weights.bass];
  const shares = new Float64Array(PITCH_CLASSES);
  const heardPcs = new Int32Array(PITCH_CLASSES);
  const heardShares = new Float64Array(PITCH_CLASSES);
  for (let frame = 0; frame < frames; frame++) {
    const row = frame * states;
    let heard = false;
    for (let s = 0; s < streams.length; s++) {
      if (shareOf(streams[s], frame, shares) === 0) continue;
      heard = true;
      let count = 0;
      for (let pc = 0; pc < PITCH_CLASSES; pc++) {
        if (shares[pc] === 0) continue;
        heardPcs[count] = pc + PITCH_CLASSES;
        heardShares[count++] = shares[pc] * weights[s];
      }
      const profile = doubledProfiles[s];
      for (let q = 0; q <= qualities; q++) {
        const roots = q === qualities ? 1 : PITCH_CLASSES;
        const base = q * 2 * PITCH_CLASSES;
        for (let root = 0; root < roots; root++) {
          let score = 0;
          for (let k = 0; k < count; k++) score += heardShares[k] * profile[base + heardPcs[k] - root];
          scores[row + q * PITCH_CLASSES + root] += score;
        }
      }
    }
    if (!heard) scores.fill(CHORD_IN_SILENCE, row, row + states - 1);
    else scores[row + states - 1] -= model.weights.noChord;
  }
  return scores;
}

function shareOf(stream: Float64Array, frame: number, into: Float64Array): number {
  let sum = 0;
  for (let pc = 0; pc < PITCH_CLASSES; pc++) sum += stream[frame * PITCH_CLASSES + pc];
  for (let pc = 0; pc < PITCH_CLASSES; pc++) into[pc] = sum > 0 ? stream[frame * PITCH_CLASSES + pc] / sum : 0;
  return sum;
}

/**
 * The likeliest chord of every frame (chord states of chords.ts), decoded jointly; `positions[frame]` is the beat
 * of the bar the frame starts on (0 the downbeat, as MODEL_BAR counts), or OFF_BEAT.
 */
export function decodeChords(
  features: ChordFeatures,
  positions: Int32Array,
  model: ChordModel = CHORD_MODEL,
): Int32Array {
  const { states, logChange, logStay, logMove, qualityOf, rootOf } = prepare(model);
  const scores = chordLikelihoods(features, model);
  const qualities = model.qualities.length + 1;
  const count = states.length;
  const frames = scores.length / count;
  const path = new Int32Array(frames);
  if (frames === 0) return path;
  const cameFrom = new Int32Array(frames * count);
  let previous = scores.slice(0, count);
  let current = new Float64Array(count);
  const sources = new Int32Array(Math.min(CHANGE_SOURCES, count));
  const bestChange = logChange.reduce((best, value) => Math.max(best, value), -Infinity);
  const sourceBase = new Float64Array(sources.length);
  const sourceRow = new Int32Array(sources.length);
  const sourceRoot = new Int32Array(sources.length);
  for (let frame = 1; frame < frames; frame++) {
    bestStates(previous, sources);
    const position = positions[frame];
    const stay = logStay[position];
    const move = logMove[position];
    for (let k = 0; k < sources.length; k++) {
      sourceBase[k] = previous[sources[k]] + move;
      sourceRow[k] = qualityOf[sources[k]] * qualities * PITCH_CLASSES;
      sourceRoot[k] = rootOf[sources[k]];
    }
    for (let to = 0; to < count; to++) {
      let best = previous[to] + stay;
      let from = to;
      const toQuality = qualityOf[to];
      const column = toQuality * PITCH_CLASSES;
      const toRoot = rootOf[to] + PITCH_CLASSES;
      const noChord = toQuality === qualities - 1;
      for (let k = 0; k < sources.length; k++) {
        // No change can score above this from the k-th best source on (sources are best first): stop there.
        if (sourceBase[k] + bestChange <= best) break;
        if (sources[k] === to) continue;
        const step = noChord ? 0 : (toRoot - sourceRoot[k]) % PITCH_CLASSES;
        const value = sourceBase[k] + logChange[sourceRow[k] + column + step];
        if (value > best) {
          best = value;
          from = sources[k];
        }
      }
      current[to] = best + scores[frame * count + to];
      cameFrom[frame * count + to] = from;
    }
    const swap = previous;
    previous = current;
    current = swap;
  }
  let last = 0;
  for (let state = 1; state < count; state++) if (previous[state] > previous[last]) last = state;
  path[frames - 1] = last;
  for (let frame = frames - 1; frame > 0; frame--) path[frame - 1] = cameFrom[frame * count + path[frame]];
  return path.map((state) => states[state]);
}

/** The indices of the largest values, as many as `into` holds. */
function bestStates(values: Float64Array, into: Int32Array): void {
  const size = into.length;
  let filled = 0;
  for (let state = 0; state < values.length; state++) {
    if (filled < size) {
      let i = filled++;
      while (i > 0 && values[into[i - 1]] < values[state]) {
        into[i] = into[i - 1];
        i--;
      }
      into[i] = state;
    } else if (values[state] > values[into[size - 1]]) {
      let i = size - 1;
      while (i > 0 && values[into[i - 1]] < values[state]) {
        into[i] = into[i - 1];
        i--;
      }
      into[i] = state;
    }
  }
}
