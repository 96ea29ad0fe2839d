/**
 * Basic Pitch on ONNX Runtime, the fast engine: the ONNX model jam's build converts from
 * @spotify/basic-pitch's graph model (models/basic-pitch.onnx), one session per process. Streaming also uses
 * the tail model (models/basic-pitch-tail.onnx, a window's last frames only), loaded when first asked for.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InferenceSession } from 'onnxruntime-node';
import { AUDIO_N_SAMPLES, MODEL_OUTPUT_NAMES } from './constants.js';
import type { Engine, EngineSettings, WindowOutputs } from './engine.js';

/** The model the build makes; JAM_ONNX_MODEL names another file (a model of the same shape). */
export function onnxModelPath(): string {
  return process.env.JAM_ONNX_MODEL ?? builtModel('basic-pitch.onnx');
}

/** The tail model the build makes; none when JAM_ONNX_MODEL names another model. */
export function onnxTailModelPath(): string | undefined {
  return process.env.JAM_ONNX_MODEL ? undefined : builtModel('basic-pitch-tail.onnx');
}

function builtModel(file: string): string {
  return fileURLToPath(new URL(`../../models/${file}`, import.meta.url));
}

export async function createOnnxEngine(settings: EngineSettings): Promise<Engine> {
  const modelPath = onnxModelPath();
  if (!existsSync(modelPath)) throw new Error(`the ONNX model ${modelPath} is missing (npm run build makes it)`);
  const ort = await import('onnxruntime-node');
  const open = (path: string) =>
    ort.InferenceSession.create(path, {
      intraOpNumThreads: settings.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  const session = await open(modelPath);
  const run = async (on: InferenceSession, windows: Float32Array, count: number, windowSamples: number): Promise<WindowOutputs> => {
    const input = new ort.Tensor('float32', windows, [count, windowSamples, 1]);
    const outputs = await on.run({ [on.inputNames[0]]: input });
    const data = (name: string) => outputs[name].data as Float32Array;
    return { note: data(MODEL_OUTPUT_NAMES.note), onset: data(MODEL_OUTPUT_NAMES.onset), contour: data(MODEL_OUTPUT_NAMES.contour) };
  };
  // Models built before the time axis was made dynamic (JAM_ONNX_MODEL may name one) take 2 s windows only.
  const input = session.inputMetadata[0];
  const flexibleWindows = input.isTensor && typeof input.shape[1] === 'string';
  const tailPath = onnxTailModelPath();
  let tail: Promise<InferenceSession> | undefined;
  return {
    name: 'onnx',
    flexibleWindows,
    run: (windows, count, windowSamples = AUDIO_N_SAMPLES) => run(session, windows, count, windowSamples),
    runTail:
      flexibleWindows && tailPath && existsSync(tailPath)
        ? async (window, windowSamples) => run(await (tail ??= open(tailPath)), window, 1, windowSamples)
        : undefined,
  };
}
