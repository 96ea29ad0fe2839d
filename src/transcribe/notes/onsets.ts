/** Where notes start: the predicted onsets, raised where the note posterior jumps up, and their peaks in time. */
import { INFERRED_ONSET_FRAME_DIFFS, N_FREQ_BINS_NOTES } from '../constants.js';

/**
 * How strongly a note seems to start at a frame and note bin; `atMost`, where given, is a bound on it that is
 * quicker to work out, so that cells it puts below the onset threshold are passed over.
 */
export type OnsetStrength = ((frame: number, bin: number) => number) & {
  atMost?: (frame: number, bin: number) => number;
};

/**
 * The predicted onsets, raised wherever the note posterior rises over the last frames: the rise (the
 * smaller of the 1- and 2-frame differences, never negative) is rescaled to the onsets' maximum.
 * Computed where asked rather than stored: for an hour of audio that array would be 100 MB.
 */
export function inferredOnsetStrength(onset: Float32Array, note: Float32Array, frames: number): OnsetStrength {
  const bins = N_FREQ_BINS_NOTES;
  const firstCell = INFERRED_ONSET_FRAME_DIFFS * bins;
  let maxOnset = 0;
  let maxRise = 0;
  for (let cell = 0; cell < frames * bins; cell++) {
    maxOnset = Math.max(maxOnset, onset[cell]);
    if (cell >= firstCell) maxRise = Math.max(maxRise, riseAt(note, cell));
  }
  // A posterior that never rises (silence) has nothing to add; basic-pitch would divide by zero here.
  if (maxRise === 0) return (t, f) => onset[t * bins + f];
  const scale = maxOnset / maxRise;
  const strength: OnsetStrength = (t, f) => {
    const cell = t * bins + f;
    return cell < firstCell ? onset[cell] : Math.max(onset[cell], riseAt(note, cell) * scale);
  };
  // The rise is at most the rise over the last frame alone: a bound from two values instead of three.
  strength.atMost = (t, f) => {
    const cell = t * bins + f;
    return cell < firstCell ? onset[cell] : Math.max(onset[cell], (note[cell] - note[cell - bins]) * scale);
  };
  return strength;
}

/** How much the note posterior has risen at a cell over the last frames: the smallest rise, or 0. */
function riseAt(note: Float32Array, cell: number): number {
  const here = note[cell];
  let smallest = here - note[cell - N_FREQ_BINS_NOTES];
  for (let n = 2; n <= INFERRED_ONSET_FRAME_DIFFS; n++)
    smallest = Math.min(smallest, here - note[cell - n * N_FREQ_BINS_NOTES]);
  return smallest > 0 ? smallest : 0;
}

/** The inferred onset strength of every frame and note bin, as an array shaped like `onset`. */
export function inferredOnsets(onset: Float32Array, note: Float32Array, frames: number): Float64Array {
  const strength = inferredOnsetStrength(onset, note, frames);
  return Float64Array.from({ length: onset.length }, (_, i) =>
    strength(Math.floor(i / N_FREQ_BINS_NOTES), i % N_FREQ_BINS_NOTES),
  );
}

/**
 * Onset peaks (strict local maxima in time) at or above the threshold, latest first and, within a frame,
 * highest pitch first: the order basic-pitch visits them in.
 */
export function onsetPeaks(strength: OnsetStrength, frames: number, threshold: number): Array<[number, number]> {
  const peaks: Array<[number, number]> = [];
  const atMost = strength.atMost ?? strength;
  // A neighbour's strength is worked out only where its bound does not already put it below the candidate's.
  const below = (t: number, f: number, value: number) => atMost(t, f) < value || strength(t, f) < value;
  for (let t = frames - 2; t >= 1; t--) {
    for (let f = N_FREQ_BINS_NOTES - 1; f >= 0; f--) {
      if (atMost(t, f) < threshold) continue;
      const value = strength(t, f);
      if (value >= threshold && below(t - 1, f, value) && below(t + 1, f, value)) peaks.push([t, f]);
    }
  }
  return peaks;
}
