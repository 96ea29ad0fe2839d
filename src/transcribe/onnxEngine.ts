/**
 * Basic Pitch on ONNX Runtime, the fast engine: the ONNX model jam's build converts from
 * @spotify/basic-pitch's graph model (models/basic-pitch.onnx). Streaming also uses the tail model
 * (models/basic-pitch-tail.onnx, a window's last frames only), loaded when first asked for.
 *
 * Each thread is a worker thread running its own single-threaded session, and batches go to whichever owes fewest.
 * This network's operators are too small for ONNX Runtime's intra-op threads to share well (they cost more CPU
 * than one thread for the same windows), and onnxruntime-node's `run` blocks the thread it is called on; in
 * workers the sessions load while the audio decodes, and the main thread's work (decoding, storing
 * outputs, bend peaks) overlaps inference.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AUDIO_N_SAMPLES, MODEL_OUTPUT_NAMES } from './constants.js';
import type { Engine, EngineSettings, WindowOutputs } from './engine.js';

/** The model the build makes; JAM_ONNX_MODEL names another file (a model of the same shape). */
export function onnxModelPath(): string {
  return process.env.JAM_ONNX_MODEL ?? packageFile('models/basic-pitch.onnx');
}

/** The tail model the build makes; none when JAM_ONNX_MODEL names another model. */
export function onnxTailModelPath(): string | undefined {
  return process.env.JAM_ONNX_MODEL ? undefined : packageFile('models/basic-pitch-tail.onnx');
}

/**
 * A file of the package by its path from the package's root. This module is src/transcribe/ or dist/transcribe/,
 * two folders down either way; the worker is always dist's compiled one, since a worker thread cannot run TypeScript.
 */
function packageFile(path: string): string {
  return fileURLToPath(new URL(`../../${path}`, import.meta.url));
}

const SESSION_WORKER = 'dist/transcribe/onnx/sessionWorker.js';

export interface SessionWorkerData {
  modelPath: string;
  tailPath?: string;
  /** The model's outputs in the order of a reply's note, onset, contour. */
  outputNames: string[];
}

export interface SessionRequest {
  id: number;
  /** Run the tail model instead of the whole one. */
  tail: boolean;
  windows: Float32Array<ArrayBuffer>;
  count: number;
  windowSamples: number;
}

/** The first message says the session is ready (or why not); each later one answers a request by its id. */
export type SessionReply =
  | { kind: 'ready'; flexibleWindows: boolean }
  | { kind: 'failed'; id?: number; error: string }
  | { kind: 'done'; id: number; outputs: WindowOutputs; windows: Float32Array<ArrayBuffer> };

/**
 * Requests a worker holds at once: the one it runs and the next, waiting in its message queue, so it starts
 * the next batch as soon as it finishes one instead of idling while the main thread stores the outputs and
 * sends more.
 */
const REQUESTS_PER_THREAD = 2;

/**
 * A worker and the replies it owes; it keeps the process alive only while it owes some. The windows it is sent
 * come back with the reply and carry a later request: a worker allocates so little that it rarely collects
 * garbage, so a new buffer for each request would pile up over a long recording.
 */
class SessionThread {
  private readonly waiting = new Map<
    number,
    { resolve: (outputs: WindowOutputs) => void; reject: (error: Error) => void }
  >();
  private readonly spares: Array<Float32Array<ArrayBuffer>> = [];
  /** Why the worker stopped, if it did: later requests fail with it instead of waiting for ever. */
  private failure?: Error;

  constructor(readonly worker: Worker) {
    worker.on('message', (reply: SessionReply) => {
      if (reply.kind === 'ready' || reply.id === undefined) return;
      const request = this.waiting.get(reply.id)!;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.kind === 'done') {
        this.spares.push(reply.windows);
        request.resolve(reply.outputs);
      } else {
        request.reject(new Error(reply.error));
      }
    });
    worker.on('error', (error) => this.stop(error));
    worker.on('exit', () => this.stop(new Error('the onnx engine was closed, or its thread ended')));
  }

  private stop(reason: Error): void {
    this.failure ??= reason;
    for (const request of this.waiting.values()) request.reject(this.failure);
    this.waiting.clear();
  }

  get owed(): number {
    return this.waiting.size;
  }

  /** Runs `count` windows of `windowSamples` from the start of `source`, copied before this returns. */
  run(id: number, tail: boolean, source: Float32Array, count: number, windowSamples: number): Promise<WindowOutputs> {
    if (this.failure) return Promise.reject(this.failure);
    const length = count * windowSamples;
    const spare = this.spares.findIndex((buffer) => buffer.length === length);
    const windows = spare >= 0 ? this.spares.splice(spare, 1)[0] : new Float32Array(length);
    windows.set(source.subarray(0, length));
    this.worker.ref();
    const reply = new Promise<WindowOutputs>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.worker.postMessage({ id, tail, windows, count, windowSamples } satisfies SessionRequest, [windows.buffer]);
    return reply;
  }
}

function startThread(data: SessionWorkerData): Promise<{ thread: SessionThread; flexibleWindows: boolean }> {
  const worker = new Worker(packageFile(SESSION_WORKER), { workerData: data });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (reply: SessionReply) => {
      worker.off('error', reject);
      // After the thread's listener is added: adding a 'message' listener refs the worker's port again.
      const thread = reply.kind === 'ready' ? new SessionThread(worker) : undefined;
      worker.unref();
      if (thread && reply.kind === 'ready') resolve({ thread, flexibleWindows: reply.flexibleWindows });
      else reject(new Error(reply.kind === 'failed' ? reply.error : 'the session worker answered before it was ready'));
    });
  });
}

export async function createOnnxEngine(settings: EngineSettings): Promise<Engine> {
  const modelPath = onnxModelPath();
  if (!existsSync(modelPath)) throw new Error(`the ONNX model ${modelPath} is missing (npm run build makes it)`);
  const tailPath = onnxTailModelPath();
  const data: SessionWorkerData = {
    modelPath,
    tailPath: tailPath && existsSync(tailPath) ? tailPath : undefined,
    outputNames: [MODEL_OUTPUT_NAMES.note, MODEL_OUTPUT_NAMES.onset, MODEL_OUTPUT_NAMES.contour],
  };
  const started = await Promise.allSettled(
    Array.from({ length: Math.max(1, settings.threads) }, () => startThread(data)),
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    for (const result of started) if (result.status === 'fulfilled') await result.value.thread.worker.terminate();
    throw failed.reason;
  }
  const threads = started.map((result) => (result as PromiseFulfilledResult<{ thread: SessionThread }>).value.thread);
  const { flexibleWindows } = (started[0] as PromiseFulfilledResult<{ flexibleWindows: boolean }>).value;

  // Requests wait here while every thread holds all it can; a thread takes the next one as it answers.
  const queue: Array<() => void> = [];
  const leastOwing = () => threads.reduce((best, candidate) => (candidate.owed < best.owed ? candidate : best));
  let nextId = 0;
  const run = async (
    tail: boolean,
    windows: Float32Array,
    count: number,
    windowSamples: number,
  ): Promise<WindowOutputs> => {
    let thread = leastOwing();
    while (thread.owed >= REQUESTS_PER_THREAD) {
      await new Promise<void>((resolve) => queue.push(resolve));
      thread = leastOwing();
    }
    try {
      return await thread.run(nextId++, tail, windows, count, windowSamples);
    } finally {
      queue.shift()?.();
    }
  };
  return {
    name: 'onnx',
    flexibleWindows,
    parallelism: threads.length,
    run: (windows, count, windowSamples = AUDIO_N_SAMPLES) => run(false, windows, count, windowSamples),
    runTail:
      flexibleWindows && data.tailPath ? (window, windowSamples) => run(true, window, 1, windowSamples) : undefined,
    close: async () => {
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}
