/** basic-pitch's melodia trick: notes traced outward from the strongest energy that onset-started notes left. */
import { MIDI_OFFSET, N_FREQ_BINS_NOTES } from '../constants.js';
import { clearCell, meanOf, type RemainingEnergy } from './energy.js';
import { longerThanMinimum, type FrameNote } from './frames.js';

/**
 * The melodia trick: repeatedly take the strongest remaining cell above the threshold and follow its
 * energy forward and backward into a note. Energy only ever gets cleared, so visiting the cells once in
 * order of falling energy (ties in row-major order, as numpy's argmax breaks them) and skipping cleared
 * ones picks exactly the cells the repeated global argmax would.
 */
export function melodiaNotes(
  note: Float32Array,
  remaining: RemainingEnergy,
  frames: number,
  threshold: number,
  tolerance: number,
  minFrames: number,
): FrameNote[] {
  const bins = N_FREQ_BINS_NOTES;
  const notes: FrameNote[] = [];
  for (const cell of cellsAboveByEnergy(note, remaining, threshold)) {
    if (remaining.at(cell) <= threshold) continue;
    const middle = Math.floor(cell / bins);
    const bin = cell % bins;
    remaining.clear(cell);
    const trace = { remaining, frames, bin, threshold, tolerance };
    // Forward first: the backward trace then sees the energy the forward one used up.
    const end = traceEdge(trace, middle, FORWARD);
    const start = traceEdge(trace, middle, BACKWARD);
    if (!longerThanMinimum(start, end, minFrames)) continue;
    notes.push({
      startFrame: start,
      endFrame: end,
      pitch: bin + MIDI_OFFSET,
      amplitude: meanOf(note, start, end, bin),
    });
  }
  return notes;
}

/** A note being traced along one note bin, and when its energy counts as gone. */
interface Trace {
  remaining: RemainingEnergy;
  frames: number;
  bin: number;
  threshold: number;
  tolerance: number;
}

const FORWARD = 1;
const BACKWARD = -1;

/**
 * From the peak at `middle` one frame at a time in `direction`, using up energy, until it has stayed below the
 * threshold for `tolerance` frames or the recording ends: the note's end going forward, its start going back.
 */
function traceEdge(
  { remaining, frames, bin, threshold, tolerance }: Trace,
  middle: number,
  direction: typeof FORWARD | typeof BACKWARD,
): number {
  let i = middle + direction;
  let below = 0;
  while ((direction === FORWARD ? i < frames - 1 : i > 0) && below < tolerance) {
    below = remaining.at(i * N_FREQ_BINS_NOTES + bin) < threshold ? below + 1 : 0;
    clearCell(remaining, i, bin);
    i += direction;
  }
  return i - direction * (1 + below);
}

/** Indices of the cells whose remaining energy is above the threshold, strongest first, ties in index order. */
function cellsAboveByEnergy(note: Float32Array, remaining: RemainingEnergy, threshold: number): Uint32Array {
  let count = 0;
  for (let i = 0; i < note.length; i++) if (remaining.at(i) > threshold) count++;
  const cells = new Uint32Array(count);
  let next = 0;
  for (let i = 0; i < note.length; i++) if (remaining.at(i) > threshold) cells[next++] = i;
  return cells.sort((a, b) => note[b] - note[a] || a - b);
}
