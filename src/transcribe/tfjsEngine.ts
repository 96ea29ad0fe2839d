/**
 * Basic Pitch on TensorFlow.js, running the graph model that @spotify/basic-pitch ships: on the
 * WebAssembly backend, or on native TensorFlow when the user has installed @tensorflow/tfjs-node.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { AUDIO_N_SAMPLES, MODEL_OUTPUT_NAMES } from './constants.js';
import { JamError } from '../errors.js';
import type { Engine, WindowOutputs } from './engine.js';

const require = createRequire(import.meta.url);

export function basicPitchModelDir(): string {
  return path.dirname(require.resolve('@spotify/basic-pitch/model/model.json'));
}

/** `wasm` is always there; `tensorflow` is the backend @tensorflow/tfjs-node registers. */
export type TfjsBackend = 'wasm' | 'tensorflow';

export async function createTfjsEngine(backend: TfjsBackend): Promise<Engine> {
  if (backend === 'wasm') {
    const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
    setWasmPaths(path.dirname(wasmFile) + path.sep);
  } else {
    await import('@tensorflow/tfjs-node' as string).catch(() => {
      throw new JamError(
        'the tfjs-node engine needs @tensorflow/tfjs-node: install it with npm install @tensorflow/tfjs-node, or use --engine onnx',
      );
    });
  }
  await tf.setBackend(backend);
  await tf.ready();
  const model = await tf.loadGraphModel(modelFromDisk(basicPitchModelDir()));
  return {
    name: backend === 'wasm' ? 'tfjs' : 'tfjs-node',
    async run(windows: Float32Array, count: number): Promise<WindowOutputs> {
      const input = tf.tensor3d(windows, [count, AUDIO_N_SAMPLES, 1]);
      const outputs = model.execute(input, [
        MODEL_OUTPUT_NAMES.note,
        MODEL_OUTPUT_NAMES.onset,
        MODEL_OUTPUT_NAMES.contour,
      ]) as tf.Tensor[];
      try {
        const [note, onset, contour] = await Promise.all(
          outputs.map((tensor) => tensor.data() as Promise<Float32Array>),
        );
        return { note, onset, contour };
      } finally {
        tf.dispose([input, ...outputs]);
      }
    },
  };
}

/** tfjs in Node cannot fetch file:// URLs, so the model's JSON and weight shards are read here. */
function modelFromDisk(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const groups = json.weightsManifest as Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
      const shards = groups.flatMap((group) => group.paths.map((file) => readFileSync(path.join(dir, file))));
      const weights = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: groups.flatMap((group) => group.weights),
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
      };
    },
  };
}
