#!/usr/bin/env node
// The stock @spotify/basic-pitch pipeline, used the way its README shows (decode, evaluateModel,
// outputToNotesPoly, addPitchBendsToNoteEvents, noteFramesToTime, then MIDI with @tonejs/midi), as the benchmarks'
// reference: `node scripts/lib/stock-basic-pitch.js in.wav out.mid`. Two choices a Node user must make:
// the WebAssembly backend (tfjs's default in Node is its pure-JS cpu backend, 0.8x real time), and
// the thresholds of basic-pitch's own CLI (0.5, 0.3, 11 frames) instead of the README's example values,
// so its notes can be compared with jam's.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import basicPitch from '@spotify/basic-pitch';
import toneMidi from '@tonejs/midi';
import { OfflineAudioContext } from 'node-web-audio-api';

// Both packages are CommonJS: take their exports off the default.
const { BasicPitch, addPitchBendsToNoteEvents, noteFramesToTime, outputToNotesPoly } = basicPitch;
const { Midi } = toneMidi;
const require = createRequire(import.meta.url);
const [input, output] = process.argv.slice(2);

setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep);
await tf.setBackend('wasm');
const modelDir = path.dirname(require.resolve('@spotify/basic-pitch/model/model.json'));
const json = JSON.parse(readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
const weights = readFileSync(path.join(modelDir, json.weightsManifest[0].paths[0]));
// tfjs in Node cannot fetch file:// URLs, so the model is handed over from memory.
const model = tf.loadGraphModel(
  tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    format: json.format,
  }),
);

const bytes = readFileSync(input);
const audioBuffer = await new OfflineAudioContext(1, 1, 22050).decodeAudioData(
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
);
// evaluateModel wants mono: average the channels, as its README asks of stereo input.
const mono = new Float32Array(audioBuffer.length);
for (let c = 0; c < audioBuffer.numberOfChannels; c++) {
  const channel = audioBuffer.getChannelData(c);
  for (let i = 0; i < mono.length; i++) mono[i] += channel[i] / audioBuffer.numberOfChannels;
}
const frames = [];
const onsets = [];
const contours = [];
await new BasicPitch(model).evaluateModel(
  mono,
  (f, o, c) => {
    frames.push(...f);
    onsets.push(...o);
    contours.push(...c);
  },
  () => {},
);
const notes = noteFramesToTime(addPitchBendsToNoteEvents(contours, outputToNotesPoly(frames, onsets, 0.5, 0.3, 11)));
// The package leaves writing MIDI to the user: one track of its notes, with @tonejs/midi.
const midi = new Midi();
const track = midi.addTrack();
for (const note of notes)
  track.addNote({
    midi: note.pitchMidi,
    time: note.startTimeSeconds,
    duration: note.durationSeconds,
    velocity: note.amplitude,
  });
writeFileSync(output, midi.toArray());
