/** Where notes can sound at all, so that pitch bends are measured only there. */
import { N_FREQ_BINS_NOTES } from '../constants.js';
import { minNoteLengthFrames } from './frames.js';
import { noteSettings, type NoteCreationOptions } from './settings.js';

/**
 * Where notes made with some options can sound, so that bend peaks are measured only there: every frame of a
 * note, onset-started or traced, has note energy at or above the frame threshold within the energy tolerance
 * at or after it; only a one-frame note need not, and the minimum length leaves those out.
 */
export interface NoteReach {
  frameThreshold: number;
  energyTolerance: number;
}

/**
 * The reach of notes made with `options`: none without pitch bends (a threshold no energy meets), undefined
 * (every cell) when a minimum length under one frame keeps one-frame notes.
 */
export function noteReachOf(options: NoteCreationOptions): NoteReach | undefined {
  const settings = noteSettings(options);
  if (!settings.pitchBends) return { frameThreshold: Infinity, energyTolerance: 0 };
  if (minNoteLengthFrames(settings.minNoteLengthMs) < 1) return undefined;
  return { frameThreshold: settings.frameThreshold, energyTolerance: settings.energyTolerance };
}

/**
 * The cells of frames `from` to `to` (exclusive) that notes can reach, as 1s in a mask laid out like `note`'s
 * rows: `note` must hold the posterior up to `energyTolerance` frames past `to`, or to the recording's end.
 */
export function cellsNotesReach(
  note: Float32Array,
  frames: number,
  from: number,
  to: number,
  reach: NoteReach,
): Uint8Array {
  const bins = N_FREQ_BINS_NOTES;
  const cells = new Uint8Array((to - from) * bins);
  const last = Math.min(frames, to + reach.energyTolerance);
  for (let bin = 0; bin < bins; bin++) {
    let nextAbove = Infinity;
    for (let t = last - 1; t >= from; t--) {
      if (note[t * bins + bin] >= reach.frameThreshold) nextAbove = t;
      if (t < to && nextAbove - t <= reach.energyTolerance) cells[(t - from) * bins + bin] = 1;
    }
  }
  return cells;
}
