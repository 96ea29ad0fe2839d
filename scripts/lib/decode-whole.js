#!/usr/bin/env node
// The audio path jam had before the streaming decoders, for bench:memory's reference rows: node-web-audio-api
// decodes and resamples the whole file, then jam transcribes the mono samples. Usage: decode-whole.js IN OUT.mid
import { readFileSync, writeFileSync } from 'node:fs';
import { OfflineAudioContext } from 'node-web-audio-api';
import { transcribe } from '../../dist/transcribe/transcribe.js';
import { loadEngine } from '../../dist/transcribe/engine.js';

const [input, output] = process.argv.slice(2);
const engine = loadEngine('onnx');
const bytes = readFileSync(input);
const buffer = await new OfflineAudioContext(1, 1, 22050).decodeAudioData(bytes.buffer);
const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
const mono = new Float32Array(buffer.length);
for (const channel of channels) for (let i = 0; i < mono.length; i++) mono[i] += channel[i] / channels.length;
const result = await transcribe(mono, { engine: await engine });
writeFileSync(output, result.midi);
process.exit(0);
