/** Model frames: the posteriorgrams note creation reads, notes counted in frames, and frames ↔ seconds. */
import { ANNOT_N_FRAMES, ANNOTATIONS_FPS, AUDIO_SAMPLE_RATE, FFT_HOP, WINDOW_OFFSET_SECONDS } from '../constants.js';

/**
 * The model's posteriorgrams for a whole recording, row-major `[frame][bin]`: `note` and `onset` have 88
 * bins (A0–C8). Pitch bends need only `bendPeaks`: for each frame and note bin, where the contour peaks
 * near that note, in thirds of a semitone from in tune. The full `contour` (264 bins, a third of a semitone
 * each, three times the size of the rest) is kept only when asked for.
 */
export interface ModelOutput {
  frames: number;
  note: Float32Array;
  onset: Float32Array;
  bendPeaks: Int8Array;
  contour?: Float32Array;
}

/** A note in model frames, before it gets times: `end` is exclusive. */
export interface FrameNote {
  startFrame: number;
  endFrame: number;
  pitch: number;
  amplitude: number;
}

/** Minimum note length in milliseconds → frames, rounded as basic-pitch rounds it (127.7 ms → 11). */
export function minNoteLengthFrames(ms: number): number {
  return Math.round((ms / 1000) * (AUDIO_SAMPLE_RATE / FFT_HOP));
}

/** Whether a note from `startFrame` to `endFrame` (exclusive) is kept: longer than the minimum note length. */
export function longerThanMinimum(startFrame: number, endFrame: number, minFrames: number): boolean {
  return endFrame - startFrame > minFrames;
}

/** The time of a model frame, with basic-pitch's correction for the windows' overlap. */
export function frameToTime(frame: number): number {
  return (frame * FFT_HOP) / AUDIO_SAMPLE_RATE - WINDOW_OFFSET_SECONDS * Math.floor(frame / ANNOT_N_FRAMES);
}

/** Frames of model output for this many samples of 22 050 Hz audio. */
export function framesForSamples(samples: number): number {
  return Math.floor(samples * (ANNOTATIONS_FPS / AUDIO_SAMPLE_RATE));
}
