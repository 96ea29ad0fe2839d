/** Pitch bends: where the contour peaks near each note, and a note's bends read from those peaks. */
import {
  CONTOUR_BIN_OF_NOTE_CENTRE,
  CONTOURS_BINS_PER_SEMITONE,
  MIDI_OFFSET,
  N_FREQ_BINS_CONTOURS,
  N_FREQ_BINS_NOTES,
  PITCH_BEND_BINS_TOLERANCE,
  PITCH_BEND_GAUSSIAN_STD,
} from '../constants.js';
import type { FrameNote, ModelOutput } from './frames.js';

/** Pitch bends of one note in semitones, one per frame. */
export function pitchBendsOf(output: ModelOutput, note: FrameNote): number[] {
  const bin = note.pitch - MIDI_OFFSET;
  const bends: number[] = [];
  for (let t = note.startFrame; t < note.endFrame; t++)
    bends.push(output.bendPeaks[t * N_FREQ_BINS_NOTES + bin] / CONTOURS_BINS_PER_SEMITONE);
  return bends;
}

/**
 * For each frame and note bin, the contour bin near the note's own that is strongest once weighted by a
 * Gaussian centred on it (so a neighbouring note does not win), as an offset in contour bins: the pitch
 * bend a note there would have. `contour` holds `frames` rows of 264 bins. Ties go to the lower bin. Given
 * `cells` (a mask as cellsNotesReach makes), only those are measured and the rest left 0.
 */
export function bendPeaksOf(contour: Float32Array, frames: number, cells?: Uint8Array): Int8Array {
  const peaks = new Int8Array(frames * N_FREQ_BINS_NOTES);
  // A block's largest value is worked out when a cell of its row first needs it (`blockRow` says for which row
  // it holds): a few cells of a row need only the blocks around them.
  const blockMax = new Float32Array(Math.ceil(N_FREQ_BINS_CONTOURS / BEND_BLOCK));
  const blockRow = new Int32Array(blockMax.length).fill(-1);
  for (let t = 0; t < frames; t++) {
    const rowStart = t * N_FREQ_BINS_CONTOURS;
    for (let bin = 0; bin < N_FREQ_BINS_NOTES; bin++) {
      if (cells && !cells[t * N_FREQ_BINS_NOTES + bin]) continue;
      let reachMax = 0;
      for (let k = BEND_FIRST_BLOCKS[bin]; k <= BEND_LAST_BLOCKS[bin]; k++) {
        if (blockRow[k] !== t) {
          blockMax[k] = largestOf(
            contour,
            rowStart + k * BEND_BLOCK,
            rowStart + Math.min(N_FREQ_BINS_CONTOURS, (k + 1) * BEND_BLOCK),
          );
          blockRow[k] = t;
        }
        if (blockMax[k] > reachMax) reachMax = blockMax[k];
      }
      peaks[t * N_FREQ_BINS_NOTES + bin] = weightedPeak(contour, rowStart, bin, reachMax) - BEND_CENTRES[bin];
    }
  }
  return peaks;
}

/** Contour bins per block when bounding the values within a note's reach. */
const BEND_BLOCK = 8;

/** The largest of values[from … to − 1] (0 if all are below). */
function largestOf(values: Float32Array, from: number, to: number): number {
  let largest = 0;
  for (let i = from; i < to; i++) if (values[i] > largest) largest = values[i];
  return largest;
}

/**
 * The weighted peak near one note bin, searched outward from its centre: once even the row's largest value
 * could not beat the best so far at this distance, nothing farther can (the weights only fall), so most
 * searches end within a few bins. The result is the same as scanning the whole reach, ties included.
 */
function weightedPeak(contour: Float32Array, rowStart: number, bin: number, reachMax: number): number {
  const centre = BEND_CENTRES[bin];
  const first = BEND_FIRST_BINS[bin];
  const last = BEND_LAST_BINS[bin];
  const row = (at: number) => contour[rowStart + at];
  let best = centre;
  let bestValue = row(centre);
  for (let distance = 1; distance <= PITCH_BEND_BINS_TOLERANCE; distance++) {
    const weight = BEND_WEIGHTS[PITCH_BEND_BINS_TOLERANCE + distance];
    if (reachMax * weight < bestValue) break;
    const below = centre - distance;
    if (below >= first) {
      const value = row(below) * weight;
      // At equal values the lower bin wins, as in a scan from the bottom.
      if (value >= bestValue) {
        bestValue = value;
        best = below;
      }
    }
    const above = centre + distance;
    if (above <= last) {
      const value = row(above) * weight;
      if (value > bestValue) {
        bestValue = value;
        best = above;
      }
    }
  }
  return best;
}

/** Each note bin's in-tune contour bin, and the first and last contour bins its bends may reach. */
const BEND_CENTRES = Int32Array.from(
  { length: N_FREQ_BINS_NOTES },
  (_, bin) => CONTOURS_BINS_PER_SEMITONE * bin + CONTOUR_BIN_OF_NOTE_CENTRE,
);
const BEND_FIRST_BINS = BEND_CENTRES.map((centre) => Math.max(0, centre - PITCH_BEND_BINS_TOLERANCE));
const BEND_LAST_BINS = BEND_CENTRES.map((centre) =>
  Math.min(N_FREQ_BINS_CONTOURS - 1, centre + PITCH_BEND_BINS_TOLERANCE),
);
const BEND_FIRST_BLOCKS = BEND_FIRST_BINS.map((first) => Math.floor(first / BEND_BLOCK));
const BEND_LAST_BLOCKS = BEND_LAST_BINS.map((last) => Math.floor(last / BEND_BLOCK));

/** The Gaussian weights of the bins from `centre - tolerance` to `centre + tolerance`. */
const BEND_WEIGHTS = Float64Array.from({ length: 2 * PITCH_BEND_BINS_TOLERANCE + 1 }, (_, i) =>
  Math.exp(-0.5 * ((i - PITCH_BEND_BINS_TOLERANCE) / PITCH_BEND_GAUSSIAN_STD) ** 2),
);
