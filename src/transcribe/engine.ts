/**
 * The one small interface every inference engine implements, and the place that picks one.
 * An engine is loaded once per process and reused for every file.
 */
import { JamError } from '../errors.js';

export const ENGINE_NAMES = ['tfjs'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** The model's outputs for a batch of windows, each `[window][frame][bin]`, row-major. */
export interface WindowOutputs {
  note: Float32Array;
  onset: Float32Array;
  contour: Float32Array;
}

export interface Engine {
  readonly name: EngineName;
  /** Runs the model on `count` windows of AUDIO_N_SAMPLES samples laid end to end in `windows`. */
  run(windows: Float32Array, count: number): Promise<WindowOutputs>;
}

const loaded = new Map<EngineName, Promise<Engine>>();

export function loadEngine(name: EngineName = 'tfjs'): Promise<Engine> {
  let engine = loaded.get(name);
  if (!engine) {
    engine = createEngine(name);
    loaded.set(name, engine);
  }
  return engine;
}

async function createEngine(name: EngineName): Promise<Engine> {
  switch (name) {
    case 'tfjs': {
      const { createTfjsEngine } = await import('./tfjsEngine.js');
      return createTfjsEngine();
    }
    default:
      throw new JamError(`unknown engine "${String(name)}": use one of ${ENGINE_NAMES.join(', ')}`, 2);
  }
}
