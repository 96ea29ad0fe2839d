/**
 * Basic Pitch on ONNX Runtime, the fast engine: the ONNX model jam's build converts from
 * @spotify/basic-pitch's graph model (models/basic-pitch.onnx), one session per process.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AUDIO_N_SAMPLES } from './constants.js';
import type { Engine, EngineSettings, WindowOutputs } from './engine.js';

export const ONNX_MODEL_PATH = fileURLToPath(new URL('../../models/basic-pitch.onnx', import.meta.url));

/** The converted graph keeps the tfjs output names. */
const OUTPUT_NAMES = { note: 'Identity_1', onset: 'Identity_2', contour: 'Identity' } as const;

export async function createOnnxEngine(settings: EngineSettings): Promise<Engine> {
  if (!existsSync(ONNX_MODEL_PATH)) throw new Error(`the ONNX model ${ONNX_MODEL_PATH} is missing (npm run build makes it)`);
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(ONNX_MODEL_PATH, {
    intraOpNumThreads: settings.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const inputName = session.inputNames[0];
  return {
    name: 'onnx',
    async run(windows: Float32Array, count: number): Promise<WindowOutputs> {
      const input = new ort.Tensor('float32', windows, [count, AUDIO_N_SAMPLES, 1]);
      const outputs = await session.run({ [inputName]: input });
      const data = (name: string) => outputs[name].data as Float32Array;
      return { note: data(OUTPUT_NAMES.note), onset: data(OUTPUT_NAMES.onset), contour: data(OUTPUT_NAMES.contour) };
    },
  };
}
