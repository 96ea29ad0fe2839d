#!/usr/bin/env node
// Writes models/basic-pitch.onnx: the ONNX Runtime engine's model, converted from the TensorFlow.js graph model
// that the installed @spotify/basic-pitch ships (Apache-2.0). Run by `npm run build` after tsc, since it uses
// the compiled converter in dist/. The same installed model always gives the same bytes.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../dist/files.js';
import { convertGraphModel } from '../dist/transcribe/onnx/convert.js';
import { readGraphModel } from '../dist/transcribe/onnx/graphModel.js';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = path.join(ROOT, 'models', 'basic-pitch.onnx');
const SOURCE_PACKAGE = '@spotify/basic-pitch';

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
  await writeFileAtomic(TARGET, onnx);
  const { version } = require(`${SOURCE_PACKAGE}/package.json`);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`build-model: wrote ${path.relative(ROOT, TARGET)} (${onnx.length} bytes) from ${SOURCE_PACKAGE} ${version} in ${seconds} s`);
} catch (error) {
  console.error(`build-model: cannot convert Basic Pitch's model to ONNX: ${error.message}`);
  process.exit(1);
}
