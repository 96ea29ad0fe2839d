/**
 * 22 050 Hz mono audio → the model's posteriorgrams for the whole recording, as basic-pitch's inference.py
 * does it: pad the start by half an overlap, cut overlapping 2 s windows, run them in batches, drop half
 * the overlap from each side of every window's output and join the rest.
 */
import {
  ANNOT_N_FRAMES,
  AUDIO_N_SAMPLES,
  N_FREQ_BINS_CONTOURS,
  N_FREQ_BINS_NOTES,
  N_OVERLAPPING_FRAMES,
  OVERLAP_LENGTH_SAMPLES,
  WINDOW_HOP_SAMPLES,
} from './constants.js';
import type { Engine } from './engine.js';
import { framesForSamples, type ModelOutput } from './noteCreation.js';

/** Windows per engine call: 2 measured best for the tfjs wasm backend on 2 cores. */
export const DEFAULT_BATCH_SIZE = 2;

const FRAMES_CUT_EACH_SIDE = N_OVERLAPPING_FRAMES / 2;
const FRAMES_KEPT_PER_WINDOW = ANNOT_N_FRAMES - 2 * FRAMES_CUT_EACH_SIDE;
const LEAD_IN_SAMPLES = OVERLAP_LENGTH_SAMPLES / 2;

export interface InferenceOptions {
  batchSize?: number;
  /** Called with the fraction done (0–1) after each batch. */
  onProgress?: (fraction: number) => void;
}

export function windowCount(samples: number): number {
  return Math.max(1, Math.ceil((samples + LEAD_IN_SAMPLES) / WINDOW_HOP_SAMPLES));
}

/** Copies window `index` of the lead-in-padded audio into `target` at `offset`, zero-padding the end. */
function copyWindow(audio: Float32Array, index: number, target: Float32Array, offset: number): void {
  const first = index * WINDOW_HOP_SAMPLES - LEAD_IN_SAMPLES;
  for (let i = 0; i < AUDIO_N_SAMPLES; i++) {
    const source = first + i;
    target[offset + i] = source >= 0 && source < audio.length ? audio[source] : 0;
  }
}

export async function runModel(audio: Float32Array, engine: Engine, options: InferenceOptions = {}): Promise<ModelOutput> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const frames = framesForSamples(audio.length);
  const output: ModelOutput = {
    frames,
    note: new Float32Array(frames * N_FREQ_BINS_NOTES),
    onset: new Float32Array(frames * N_FREQ_BINS_NOTES),
    contour: new Float32Array(frames * N_FREQ_BINS_CONTOURS),
  };
  const windows = windowCount(audio.length);
  const batch = new Float32Array(batchSize * AUDIO_N_SAMPLES);
  for (let first = 0; first < windows; first += batchSize) {
    const count = Math.min(batchSize, windows - first);
    for (let w = 0; w < count; w++) copyWindow(audio, first + w, batch, w * AUDIO_N_SAMPLES);
    const result = await engine.run(batch.subarray(0, count * AUDIO_N_SAMPLES), count);
    for (let w = 0; w < count; w++) {
      const firstFrame = (first + w) * FRAMES_KEPT_PER_WINDOW;
      keepWindowCentre(result.note, w, output.note, firstFrame, frames, N_FREQ_BINS_NOTES);
      keepWindowCentre(result.onset, w, output.onset, firstFrame, frames, N_FREQ_BINS_NOTES);
      keepWindowCentre(result.contour, w, output.contour, firstFrame, frames, N_FREQ_BINS_CONTOURS);
    }
    options.onProgress?.(Math.min(1, (first + count) / windows));
  }
  return output;
}

/** Copies the kept middle frames of window `w`'s output to the recording's frames, trimmed to its length. */
function keepWindowCentre(windowOutput: Float32Array, w: number, target: Float32Array, firstFrame: number, totalFrames: number, bins: number): void {
  const frames = Math.min(FRAMES_KEPT_PER_WINDOW, totalFrames - firstFrame);
  if (frames <= 0) return;
  const from = (w * ANNOT_N_FRAMES + FRAMES_CUT_EACH_SIDE) * bins;
  target.set(windowOutput.subarray(from, from + frames * bins), firstFrame * bins);
}
