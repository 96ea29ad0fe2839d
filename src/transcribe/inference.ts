/**
 * 22 050 Hz mono audio → the model's posteriorgrams for the whole recording, as basic-pitch's inference.py
 * does it: pad the start by half an overlap, cut overlapping 2 s windows, run them in batches, drop half
 * the overlap from each side of every window's output and join the rest. Audio arrives as a stream of
 * chunks and only a window's worth is kept, so long recordings need memory only for the outputs.
 */
import type { AudioStream } from '../audio/decode.js';
import {
  ANNOT_N_FRAMES,
  AUDIO_N_SAMPLES,
  AUDIO_SAMPLE_RATE,
  N_FREQ_BINS_CONTOURS,
  N_FREQ_BINS_NOTES,
  N_OVERLAPPING_FRAMES,
  OVERLAP_LENGTH_SAMPLES,
  WINDOW_HOP_SAMPLES,
} from './constants.js';
import type { Engine, WindowOutputs } from './engine.js';
import { bendPeaksOf } from './notes/bends.js';
import { framesForSamples, type ModelOutput } from './notes/frames.js';
import { cellsNotesReach, noteReachOf, type NoteReach } from './notes/noteReach.js';
import type { NoteCreationOptions } from './notes/settings.js';

/** Windows per engine call: 2 is as fast as 4 or 8, and each session's arena holds less (docs/engines.md). */
export const DEFAULT_BATCH_SIZE = 2;

const FRAMES_CUT_EACH_SIDE = N_OVERLAPPING_FRAMES / 2;
const FRAMES_KEPT_PER_WINDOW = ANNOT_N_FRAMES - 2 * FRAMES_CUT_EACH_SIDE;
const LEAD_IN_SAMPLES = OVERLAP_LENGTH_SAMPLES / 2;

export interface InferenceOptions {
  batchSize?: number;
  /** Keep the contour posteriorgram (264 bins a frame) in the output; pitch bends do not need it. */
  keepContour?: boolean;
  /**
   * The note creation the output is for: bend peaks are then measured only in the cells its notes can reach
   * (none without pitch bends), and left 0 elsewhere; on the 3-minute benchmark piece that is a quarter of the work.
   */
  notesFor?: NoteCreationOptions;
  /** Called with the fraction done (0–1) after each batch. */
  onProgress?: (fraction: number) => void;
}

export function windowCount(samples: number): number {
  return Math.max(1, Math.ceil((samples + LEAD_IN_SAMPLES) / WINDOW_HOP_SAMPLES));
}

function streamOf(samples: Float32Array): AudioStream {
  return { sampleRate: AUDIO_SAMPLE_RATE, length: samples.length, chunks: [samples] };
}

/** Cuts the lead-in-padded audio into windows as chunks arrive, keeping only what later windows need. */
class WindowCutter {
  /** Padded audio from padded index `start` on. */
  private pending = new Float32Array(LEAD_IN_SAMPLES);
  private start = 0;
  next = 0;

  add(chunk: Float32Array): void {
    const joined = new Float32Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    this.pending = joined;
  }

  /** Whether window `next` is complete, or (at the end) can be completed with silence. */
  ready(ended: boolean): boolean {
    return ended || this.start + this.pending.length >= this.next * WINDOW_HOP_SAMPLES + AUDIO_N_SAMPLES;
  }

  /** Copies window `next` into `target` at `offset` (zero-padded past the end) and moves on. */
  take(target: Float32Array, offset: number): void {
    const from = this.next * WINDOW_HOP_SAMPLES - this.start;
    const part = this.pending.subarray(from, from + AUDIO_N_SAMPLES);
    target.set(part, offset);
    target.fill(0, offset + part.length, offset + AUDIO_N_SAMPLES);
    this.next++;
    const drop = Math.min(this.next * WINDOW_HOP_SAMPLES - this.start, this.pending.length);
    this.pending = this.pending.subarray(drop);
    this.start += drop;
  }
}

/** Samples the outputs are first sized for when a stream gives neither its length nor an estimate: 30 minutes. */
const UNKNOWN_LENGTH_SAMPLES = 30 * 60 * AUDIO_SAMPLE_RATE;

function outputFor(frames: number, keepContour: boolean | undefined): ModelOutput {
  return {
    frames,
    note: new Float32Array(frames * N_FREQ_BINS_NOTES),
    onset: new Float32Array(frames * N_FREQ_BINS_NOTES),
    bendPeaks: new Int8Array(frames * N_FREQ_BINS_NOTES),
    contour: keepContour ? new Float32Array(frames * N_FREQ_BINS_CONTOURS) : undefined,
  };
}

/**
 * Makes room for `frames` frames, keeping what is stored. Pages of a typed array that are never written are never
 * given memory by the system, so room beyond the recording's end costs nothing.
 */
function growOutput(output: ModelOutput, frames: number): void {
  const grown = outputFor(frames, output.contour !== undefined);
  grown.note.set(output.note);
  grown.onset.set(output.onset);
  grown.bendPeaks.set(output.bendPeaks);
  if (output.contour) grown.contour!.set(output.contour);
  Object.assign(output, grown);
}

/** Trims the outputs to the recording's `frames` (views: the memory past them was never written). */
function trimOutput(output: ModelOutput, frames: number): void {
  const cells = frames * N_FREQ_BINS_NOTES;
  output.frames = frames;
  output.note = output.note.subarray(0, cells);
  output.onset = output.onset.subarray(0, cells);
  output.bendPeaks = output.bendPeaks.subarray(0, cells);
  if (output.contour) output.contour = output.contour.subarray(0, frames * N_FREQ_BINS_CONTOURS);
}

/**
 * Runs the model over the audio as it arrives. When the stream's length is known up front the outputs are sized
 * for it; otherwise for its estimate (or 30 minutes), grown when the audio runs past that, and trimmed at the end.
 */
export async function runModel(
  audio: Float32Array | AudioStream,
  engine: Engine,
  options: InferenceOptions = {},
): Promise<ModelOutput> {
  const stream = audio instanceof Float32Array ? streamOf(audio) : audio;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  // An estimate gets a quarter more room (and a window's worth), so that an estimate that is right is never grown:
  // growing copies the outputs, and both copies would be in memory at once.
  const expected =
    stream.length ??
    Math.ceil(1.25 * (stream.estimatedLength ?? UNKNOWN_LENGTH_SAMPLES)) + AUDIO_N_SAMPLES + WINDOW_HOP_SAMPLES;
  const output = outputFor(framesForSamples(expected), options.keepContour);
  let windows = windowCount(expected);
  let ended = false;
  const bends = new BendMeter(output, options.notesFor && noteReachOf(options.notesFor));
  // Each thread of the engine holds a batch it runs and the next, so the batches in flight are twice its
  // threads; a batch's buffer is filled again only once its outputs are back (the engine may copy it late).
  const inFlightMost = 2 * (engine.parallelism ?? 1);
  const free = Array.from({ length: inFlightMost + 1 }, () => new Float32Array(batchSize * AUDIO_N_SAMPLES));
  const inFlight = new Set<Promise<void>>();
  let batch = free.pop()!;
  let windowsDone = 0;
  const cutter = new WindowCutter();
  let inBatch = 0;
  const runBatch = async (): Promise<void> => {
    const count = inBatch;
    const first = cutter.next - count;
    const buffer = batch;
    const stored = engine.run(buffer.subarray(0, count * AUDIO_N_SAMPLES), count).then((outputs) => {
      free.push(buffer);
      for (let w = 0; w < count; w++)
        bends.add(first + w, keepWindow(outputs, w, output, (first + w) * FRAMES_KEPT_PER_WINDOW));
      windowsDone += count;
      options.onProgress?.(Math.min(windowsDone / windows, ended ? 1 : 0.99));
    });
    const done = stored.finally(() => inFlight.delete(done));
    // Handled here too: after a failure the batches still in flight are no longer awaited.
    done.catch(() => undefined);
    inFlight.add(done);
    inBatch = 0;
    while (inFlight.size >= inFlightMost || free.length === 0) await Promise.race(inFlight);
    batch = free.pop()!;
  };
  const cutReady = async (): Promise<void> => {
    while ((!ended || cutter.next < windows) && cutter.ready(ended)) {
      cutter.take(batch, inBatch * AUDIO_N_SAMPLES);
      inBatch++;
      if (inBatch === batchSize) await runBatch();
    }
  };
  let received = 0;
  for await (const chunk of stream.chunks) {
    received += chunk.length;
    cutter.add(chunk);
    // Room for every frame a window cut so far can store (a window reaches a hop past the audio it has).
    const needed = framesForSamples(received + AUDIO_N_SAMPLES);
    if (stream.length === undefined && needed > output.frames) growOutput(output, Math.max(needed, 2 * output.frames));
    await cutReady();
  }
  ended = true;
  windows = windowCount(received);
  const frames = framesForSamples(received);
  if (frames > output.frames) growOutput(output, frames);
  output.frames = frames;
  bends.setWindows(windows);
  await cutReady();
  if (inBatch > 0) await runBatch();
  await Promise.all(inFlight);
  trimOutput(output, frames);
  return output;
}

/**
 * Stores the kept middle frames of window `w`'s note and onset outputs at `firstFrame`, trimmed to the
 * recording, and gives back its kept contour rows.
 */
function keepWindow(result: WindowOutputs, w: number, output: ModelOutput, firstFrame: number): Float32Array {
  const frames = Math.max(0, Math.min(FRAMES_KEPT_PER_WINDOW, output.frames - firstFrame));
  const firstRow = w * ANNOT_N_FRAMES + FRAMES_CUT_EACH_SIDE;
  const rows = (data: Float32Array, bins: number) => data.subarray(firstRow * bins, (firstRow + frames) * bins);
  const contour = rows(result.contour, N_FREQ_BINS_CONTOURS);
  if (frames === 0) return contour;
  output.note.set(rows(result.note, N_FREQ_BINS_NOTES), firstFrame * N_FREQ_BINS_NOTES);
  output.onset.set(rows(result.onset, N_FREQ_BINS_NOTES), firstFrame * N_FREQ_BINS_NOTES);
  output.contour?.set(contour, firstFrame * N_FREQ_BINS_CONTOURS);
  return contour;
}

/**
 * Turns each window's contour into bend peaks, in window order. With a note reach, a window waits until the
 * note posterior is stored as far past it as the reach looks (batches may come back out of order), so only
 * the cells notes can reach are measured; the contours waiting are a few windows' worth.
 */
class BendMeter {
  private readonly waiting = new Map<number, Float32Array>();
  private readonly stored = new Set<number>();
  /** Windows 0 … storedRun - 1 are all stored. */
  private storedRun = 0;
  private next = 0;
  /** Every window of the recording, once its end is known. */
  private windows: number | undefined;

  constructor(
    private readonly output: ModelOutput,
    private readonly reach: NoteReach | undefined,
  ) {}

  /** The recording's end is known: the last windows may be measured once they are stored. */
  setWindows(windows: number): void {
    this.windows = windows;
    this.measureReady();
  }

  add(window: number, contour: Float32Array): void {
    this.stored.add(window);
    this.waiting.set(window, contour);
    while (this.stored.has(this.storedRun)) this.stored.delete(this.storedRun++);
    this.measureReady();
  }

  private measureReady(): void {
    for (
      let contour = this.waiting.get(this.next);
      contour && this.canMeasure(this.next);
      contour = this.waiting.get(this.next)
    ) {
      this.waiting.delete(this.next);
      this.measure(this.next++, contour);
    }
  }

  private canMeasure(window: number): boolean {
    const lookahead = (window + 1) * FRAMES_KEPT_PER_WINDOW + (this.reach?.energyTolerance ?? 0);
    return this.storedRun === this.windows || lookahead <= this.storedRun * FRAMES_KEPT_PER_WINDOW;
  }

  private measure(window: number, contour: Float32Array): void {
    const frames = contour.length / N_FREQ_BINS_CONTOURS;
    if (frames === 0) return;
    const from = window * FRAMES_KEPT_PER_WINDOW;
    const cells = this.reach && cellsNotesReach(this.output.note, this.output.frames, from, from + frames, this.reach);
    this.output.bendPeaks.set(bendPeaksOf(contour, frames, cells), from * N_FREQ_BINS_NOTES);
  }
}
