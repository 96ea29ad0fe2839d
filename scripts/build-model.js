#!/usr/bin/env node
// Writes models/basic-pitch.onnx: the ONNX Runtime engine's model, converted from the TensorFlow.js graph model
// that the installed @spotify/basic-pitch ships (Apache-2.0), and models/basic-pitch-tail.onnx, the same model
// giving only a window's last TAIL_FRAMES frames (for streaming), and beside each that model optimised by ONNX
// Runtime for this machine (src/transcribe/onnx/optimizedModel.ts). Run by `npm run build` after tsc, since it
// uses the compiled converter in dist/. The same installed model always gives the same bytes.
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../dist/files.js';
import { TAIL_FRAMES } from '../dist/transcribe/constants.js';
import { convertGraphModel } from '../dist/transcribe/onnx/convert/index.js';
import { readGraphModel } from '../dist/transcribe/onnx/convert/graphModel.js';
import { optimizedModelPath, SESSION_OPTIONS } from '../dist/transcribe/onnx/optimizedModel.js';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = path.join(ROOT, 'models', 'basic-pitch.onnx');
const TAIL_TARGET = path.join(ROOT, 'models', 'basic-pitch-tail.onnx');
const SOURCE_PACKAGE = '@spotify/basic-pitch';

/** Saves each model as ONNX Runtime optimises it on this machine, removing those optimised for other machines. */
async function saveOptimized(models) {
  const ort = await import('onnxruntime-node');
  const stale = readdirSync(path.dirname(TARGET)).filter((file) => file.includes('.optimized-'));
  for (const file of stale) rmSync(path.join(path.dirname(TARGET), file));
  const saved = [];
  for (const model of models) {
    const optimized = optimizedModelPath(model, ort.env.versions.common);
    const temporary = `${optimized}.partial`;
    // Level 3 keeps ONNX Runtime from warning that the file is specific to this machine: it is meant to be.
    await ort.InferenceSession.create(model, {
      ...SESSION_OPTIONS,
      graphOptimizationLevel: 'all',
      optimizedModelFilePath: temporary,
      logSeverityLevel: 3,
    });
    renameSync(temporary, optimized);
    saved.push(path.relative(ROOT, optimized));
  }
  return saved;
}

function modelDir() {
  try {
    return path.dirname(require.resolve(`${SOURCE_PACKAGE}/model/model.json`));
  } catch {
    throw new Error(`cannot find ${SOURCE_PACKAGE}/model/model.json: run npm install first`);
  }
}

try {
  const started = performance.now();
  const { json, weights } = readGraphModel(modelDir());
  const onnx = convertGraphModel(json, weights);
  await writeFileAtomic(TARGET, onnx, { overwrite: true });
  const tail = convertGraphModel(json, weights, { tailFrames: TAIL_FRAMES });
  await writeFileAtomic(TAIL_TARGET, tail, { overwrite: true });
  const { version } = require(`${SOURCE_PACKAGE}/package.json`);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const written = [
    [TARGET, onnx],
    [TAIL_TARGET, tail],
  ].map(([file, bytes]) => `${path.relative(ROOT, file)} (${bytes.length} bytes)`);
  console.log(`build-model: wrote ${written.join(' and ')} from ${SOURCE_PACKAGE} ${version} in ${seconds} s`);
  // Without them sessions only start slower, so a runtime that cannot load here is no reason to fail the build.
  const optimized = await saveOptimized([TARGET, TAIL_TARGET]).catch((error) =>
    console.log(
      `build-model: no optimised models (${error.message.split('\n')[0]}); sessions will optimise as they start`,
    ),
  );
  if (optimized)
    console.log(`build-model: saved ${optimized.join(' and ')}, optimised by ONNX Runtime for this machine`);
} catch (error) {
  console.error(`build-model: cannot convert Basic Pitch's model to ONNX: ${error.message}`);
  process.exit(1);
}
