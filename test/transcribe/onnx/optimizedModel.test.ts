import { existsSync } from 'node:fs';
import path from 'node:path';
import { env, InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { AUDIO_N_SAMPLES, MODEL_OUTPUT_NAMES } from '../../../src/transcribe/constants.js';
import { optimizedModelPath, SESSION_OPTIONS } from '../../../src/transcribe/onnx/optimizedModel.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MODELS = ['models/basic-pitch.onnx', 'models/basic-pitch-tail.onnx'];

/** Two windows of a chord with a little noise, the same every run. */
function windows(): Float32Array {
  let state = 7;
  return Float32Array.from({ length: 2 * AUDIO_N_SAMPLES }, (_, i) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const t = i / 22050;
    return (
      0.2 * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277.2 * t) + Math.sin(2 * Math.PI * 329.6 * t)) +
      0.01 * (state / 2 ** 32 - 0.5)
    );
  });
}

async function outputs(session: InferenceSession): Promise<Float32Array[]> {
  const results = await session.run({
    [session.inputNames[0]]: new Tensor('float32', windows(), [2, AUDIO_N_SAMPLES, 1]),
  });
  return Object.values(MODEL_OUTPUT_NAMES).map((name) => results[name].data as Float32Array);
}

describe('models optimised for this machine', () => {
  it.each(MODELS)('the build saved %s optimised, and a session from it gives the model’s outputs', async (file) => {
    const model = path.join(ROOT, file);
    const optimized = optimizedModelPath(model, env.versions.common);
    expect(existsSync(optimized), `${optimized} is missing: run npm run build`).toBe(true);
    const fromModel = await InferenceSession.create(model, { ...SESSION_OPTIONS, graphOptimizationLevel: 'all' });
    const asSaved = await InferenceSession.create(optimized, {
      ...SESSION_OPTIONS,
      graphOptimizationLevel: 'disabled',
    });
    const [expected, actual] = [await outputs(fromModel), await outputs(asSaved)];
    actual.forEach((output, i) => expect(output).toEqual(expected[i]));
  });

  it('another ONNX Runtime version or model is another file', () => {
    const [model, tail] = MODELS.map((file) => path.join(ROOT, file));
    const here = optimizedModelPath(model, env.versions.common);
    expect(optimizedModelPath(model, '0.0.1')).not.toBe(here);
    expect(path.basename(optimizedModelPath(tail, env.versions.common))).not.toBe(
      path.basename(here).replace('basic-pitch', 'basic-pitch-tail'),
    );
    expect(path.dirname(here)).toBe(path.dirname(model));
  });
});
