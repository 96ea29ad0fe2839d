/**
 * Basic Pitch on ONNX Runtime, the fast engine: the ONNX model jam's build converts from
 * @spotify/basic-pitch's graph model (models/basic-pitch.onnx), one session per process.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AUDIO_N_SAMPLES, MODEL_OUTPUT_NAMES } from './constants.js';
import type { Engine, EngineSettings, WindowOutputs } from './engine.js';

/** The model the build makes; JAM_ONNX_MODEL names another file (a model of the same shape). */
export function onnxModelPath(): string {
  return process.env.JAM_ONNX_MODEL ?? fileURLToPath(new URL('../../models/basic-pitch.onnx', import.meta.url));
}

export async function createOnnxEngine(settings: EngineSettings): Promise<Engine> {
  const modelPath = onnxModelPath();
  if (!existsSync(modelPath)) throw new Error(`the ONNX model ${modelPath} is missing (npm run build makes it)`);
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(modelPath, {
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
      return { note: data(MODEL_OUTPUT_NAMES.note), onset: data(MODEL_OUTPUT_NAMES.onset), contour: data(MODEL_OUTPUT_NAMES.contour) };
    },
  };
}
