/**
 * The one small interface every inference engine implements, and the place that picks one.
 * An engine is loaded once per process (per thread setting) and reused for every file.
 */
import { availableParallelism } from 'node:os';
import { JamError } from '../errors.js';

/**
 * onnx: ONNX Runtime (default, fast); tfjs: TensorFlow.js on WebAssembly; tfjs-node: native TensorFlow, if installed.
 */
export const ENGINE_NAMES = ['onnx', 'tfjs', 'tfjs-node'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
export const DEFAULT_ENGINE: EngineName = 'onnx';

/** The model's outputs for a batch of windows, each `[window][frame][bin]`, row-major. */
export interface WindowOutputs {
  note: Float32Array;
  onset: Float32Array;
  contour: Float32Array;
}

export interface Engine {
  readonly name: EngineName;
  /**
   * Runs the model on `count` windows of `windowSamples` samples (default AUDIO_N_SAMPLES) laid end to end in
   * `windows`; other lengths only where `flexibleWindows` is set.
   */
  run(windows: Float32Array, count: number, windowSamples?: number): Promise<WindowOutputs>;
  /** Set when the model also takes windows of other lengths (MIN_WINDOW_FRAMES frames or more). */
  readonly flexibleWindows?: boolean;
  /**
   * Where the engine has the tail model: runs one window of `windowSamples` and gives only its last TAIL_FRAMES frames.
   */
  runTail?(window: Float32Array, windowSamples: number): Promise<WindowOutputs>;
  /** Batches the engine works on at once (its worker threads); 1 when unset. */
  readonly parallelism?: number;
  /** Set when the engine asked for could not load and this one stands in: the reason, for the user. */
  readonly fallbackReason?: string;
  /** Stops the engine's threads (runs asked for later fail); engines without threads have none. */
  close?(): Promise<void>;
}

export interface EngineSettings {
  /**
   * Threads for the engine (onnx: worker threads, each running its own single-threaded session); default: the machine's
   * cores.
   */
  threads: number;
}

const loaded = new Map<string, Promise<Engine>>();

export function loadEngine(name: EngineName = DEFAULT_ENGINE, threads = availableParallelism()): Promise<Engine> {
  const key = `${name}/${threads}`;
  let engine = loaded.get(key);
  if (!engine) {
    engine = createEngine(name, { threads });
    loaded.set(key, engine);
  }
  return engine;
}

/**
 * Closes an engine loadEngine gave, so that the next loadEngine loads a new one. A process that has closed its
 * engine exits sooner: the onnx engine's threads stop alongside the work left, not one by one at exit.
 */
export async function closeEngine(engine: Engine): Promise<void> {
  for (const [key, loading] of loaded) if ((await loading.catch(() => undefined)) === engine) loaded.delete(key);
  await engine.close?.();
}

async function createEngine(name: EngineName, settings: EngineSettings): Promise<Engine> {
  switch (name) {
    case 'onnx':
      try {
        const { createOnnxEngine } = await import('./onnxEngine.js');
        return await createOnnxEngine(settings);
      } catch (error) {
        const reason = `ONNX Runtime could not load (${firstLine(error)}); using the slower tfjs engine`;
        return { ...(await loadEngine('tfjs', settings.threads)), fallbackReason: reason };
      }
    case 'tfjs': {
      const { createTfjsEngine } = await import('./tfjsEngine.js');
      return createTfjsEngine('wasm');
    }
    case 'tfjs-node': {
      const { createTfjsEngine } = await import('./tfjsEngine.js');
      return createTfjsEngine('tensorflow');
    }
    default:
      throw new JamError(`unknown engine "${String(name)}": use one of ${ENGINE_NAMES.join(', ')}`, 2);
  }
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0];
}
