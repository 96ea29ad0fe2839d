/**
 * Streaming transcription: 22 050 Hz mono audio arrives in chunks of any size; every `hop` frames the model runs
 * on the most recent window, and of its output only the frames with enough audio after them to be trusted
 * (`context`) are kept. Those frames go, in time order, to the streaming note tracker, which turns them into
 * note-on, note-off and pitch-bend events as they become certain. Windows are cut at fixed sample positions,
 * so the events do not depend on how the audio was chunked.
 */
import type { LiveEvent } from '../types.js';
import {
  ANNOT_N_FRAMES,
  AUDIO_N_SAMPLES,
  FFT_HOP,
  MIN_WINDOW_FRAMES,
  N_FREQ_BINS_CONTOURS,
  N_FREQ_BINS_NOTES,
  NETWORK_REACH_FRAMES,
  TAIL_FRAMES,
} from './constants.js';
import type { Engine, WindowOutputs } from './engine.js';
import { bendPeaksOf } from './notes/bends.js';
import { framesForSamples } from './notes/frames.js';
import { StreamingNoteTracker, type NoteTrackerOptions } from './streamingNotes.js';

export const LATENCY_SETTINGS = ['low', 'balanced', 'accurate'] as const;
export type LatencySetting = (typeof LATENCY_SETTINGS)[number];
export const DEFAULT_LATENCY: LatencySetting = 'balanced';

/** How the stream trades latency for accuracy and CPU, in model frames (256 samples, 11.6 ms). */
export interface LatencyTuning {
  /** Frames between two runs of the model: its CPU cost is one window per hop. */
  hopFrames: number;
  /** Frames of audio a frame needs after it before it is trusted. */
  contextFrames: number;
  /**
   * Frames a note must have lasted before its note-on is sent; the minimum note length + 1 or more (Infinity)
   * sends only the notes offline note creation keeps.
   */
  confirmFrames: number;
  /**
   * Frames of the window the model runs on (MIN_WINDOW_FRAMES to ANNOT_N_FRAMES); 2 s windows where the engine needs
   * them.
   */
  windowFrames: number;
  /**
   * Whether leftover energy becomes notes (the melodia trick run forward): they are offline's notes too, but their
   * note-ons wait for the minimum note length, which the shorter settings' p95 latency cannot afford.
   */
  melodiaTrick: boolean;
}

/** Chosen by measurement: see docs/live.md. */
export const LATENCY_TUNINGS: Readonly<Record<LatencySetting, LatencyTuning>> = {
  low: { hopFrames: 4, contextFrames: 2, confirmFrames: 2, windowFrames: MIN_WINDOW_FRAMES, melodiaTrick: false },
  balanced: { hopFrames: 5, contextFrames: 4, confirmFrames: 2, windowFrames: MIN_WINDOW_FRAMES, melodiaTrick: false },
  accurate: {
    hopFrames: 8,
    contextFrames: 12,
    confirmFrames: Infinity,
    windowFrames: MIN_WINDOW_FRAMES,
    melodiaTrick: true,
  },
};

export interface StreamingOptions extends Omit<NoteTrackerOptions, 'confirmFrames'> {
  latency?: LatencySetting;
  /** Overrides parts of the latency setting's tuning (for measuring the trade-off). */
  tuning?: Partial<LatencyTuning>;
}

/** The last `capacity` samples of the stream, read by absolute sample index (zeros outside what it holds). */
class AudioRing {
  private readonly buffer: Float32Array;
  /** Samples written so far. */
  written = 0;

  constructor(private readonly capacity: number) {
    this.buffer = new Float32Array(capacity);
  }

  write(samples: Float32Array): void {
    for (let offset = 0; offset < samples.length;) {
      const at = this.written % this.capacity;
      const part = samples.subarray(offset, offset + Math.min(this.capacity - at, samples.length - offset));
      this.buffer.set(part, at);
      offset += part.length;
      this.written += part.length;
    }
  }

  /** Samples `start` … `start + target.length` of the stream into `target`. */
  read(start: number, target: Float32Array): void {
    const oldest = Math.max(0, this.written - this.capacity);
    for (let i = 0; i < target.length; i++) {
      const index = start + i;
      target[i] = index >= oldest && index < this.written ? this.buffer[index % this.capacity] : 0;
    }
  }
}

export class StreamingTranscriber {
  private readonly tuning: LatencyTuning;
  private readonly tracker: StreamingNoteTracker;
  private readonly ring: AudioRing;
  private readonly window: Float32Array;
  /** The next window to run: window n gives frames (n - 1) × hop … n × hop - 1. */
  private nextWindow = 1;
  /** The next frame the tracker needs. */
  private nextFrame = 0;
  private ended = false;

  constructor(
    private readonly engine: Engine,
    options: StreamingOptions = {},
  ) {
    this.tuning = { ...LATENCY_TUNINGS[options.latency ?? DEFAULT_LATENCY], ...options.tuning };
    if (!engine.flexibleWindows) this.tuning.windowFrames = ANNOT_N_FRAMES;
    this.window = new Float32Array(windowSamples(this.tuning.windowFrames));
    this.ring = new AudioRing(this.window.length);
    this.tracker = new StreamingNoteTracker({
      ...options,
      melodiaTrick: options.melodiaTrick ?? this.tuning.melodiaTrick,
      confirmFrames: this.tuning.confirmFrames,
    });
  }

  /** 22 050 Hz mono samples, any chunk size; resolves with the events that became certain. */
  async push(samples: Float32Array): Promise<LiveEvent[]> {
    if (this.ended) throw new Error('StreamingTranscriber: push after end');
    const events: LiveEvent[] = [];
    for (let offset = 0; offset < samples.length;) {
      const due = this.windowEnd(this.nextWindow) - this.ring.written;
      const part = samples.subarray(offset, offset + Math.max(0, Math.min(due, samples.length - offset)));
      this.ring.write(part);
      offset += part.length;
      if (this.ring.written >= this.windowEnd(this.nextWindow)) events.push(...(await this.runWindow(Infinity)));
    }
    return events;
  }

  /** End of stream: the remaining audio (padded with silence, as offline), then note-offs for every sounding note. */
  async end(): Promise<LiveEvent[]> {
    if (this.ended) return [];
    this.ended = true;
    const frames = framesForSamples(this.ring.written);
    const events: LiveEvent[] = [];
    while (this.nextFrame < frames) events.push(...(await this.runWindow(frames)));
    events.push(...this.tracker.finish());
    return events;
  }

  /** Sample index of window n's first sample: a whole number of frames, so its frames fall on the stream's grid. */
  private windowStart(n: number): number {
    return (n * this.tuning.hopFrames - this.tuning.windowFrames + this.tuning.contextFrames) * FFT_HOP;
  }

  private windowEnd(n: number): number {
    return this.windowStart(n) + this.window.length;
  }

  /** Runs the next window and gives the tracker its trusted new frames (those before `frameLimit`). */
  private async runWindow(frameLimit: number): Promise<LiveEvent[]> {
    const start = this.windowStart(this.nextWindow);
    this.nextWindow++;
    this.ring.read(start, this.window);
    const firstFrame = start / FFT_HOP;
    const { windowFrames } = this.tuning;
    const trusted = windowFrames - this.tuning.contextFrames;
    const from = Math.max(0, this.tracker.firstNeeded - firstFrame);
    const to = Math.min(trusted, frameLimit - firstFrame);
    if (this.tracker.firstNeeded < firstFrame)
      throw new Error('StreamingTranscriber: the hop is longer than the trusted part of a window');
    if (to <= from) return [];
    // The tail model gives the same frames at a fraction of the cost when the frames needed are in its exact part.
    const tailFirst = windowFrames - TAIL_FRAMES;
    const useTail = this.engine.runTail !== undefined && from >= tailFirst + NETWORK_REACH_FRAMES;
    const outputs = useTail
      ? await this.engine.runTail!(this.window, this.window.length)
      : await this.engine.run(this.window, 1, this.window.length);
    const first = from - (useTail ? tailFirst : 0);
    const count = to - from;
    const bendPeaks = bendPeaksOf(rows(outputs.contour, N_FREQ_BINS_CONTOURS, first, first + count), count);
    const frames = Array.from({ length: count }, (_, i) => ({
      note: row(outputs, 'note', first + i),
      onset: row(outputs, 'onset', first + i),
      bendPeaks: bendPeaks.subarray(i * N_FREQ_BINS_NOTES, (i + 1) * N_FREQ_BINS_NOTES),
    }));
    this.nextFrame = firstFrame + to;
    return this.tracker.update(firstFrame + from, frames);
  }
}

/** Samples of a window that gives `frames` frames, cut as the 2 s window is (the same samples past the last frame). */
function windowSamples(frames: number): number {
  return (frames - 1) * FFT_HOP + (AUDIO_N_SAMPLES - (ANNOT_N_FRAMES - 1) * FFT_HOP);
}

function rows(data: Float32Array, bins: number, from: number, to: number): Float32Array {
  return data.subarray(from * bins, Math.max(from, to) * bins);
}

function row(outputs: WindowOutputs, name: 'note' | 'onset', k: number): Float32Array {
  return rows(outputs[name], N_FREQ_BINS_NOTES, k, k + 1);
}
