#!/usr/bin/env node
// Note creation on a 3-minute polyphonic posteriorgram: jam's linear-time outputToNotes against the stock
// @spotify/basic-pitch outputToNotesPoly + addPitchBendsToNoteEvents, on the same model output, in one run.
// The audio is fixtures/chords.wav repeated to 3 minutes. Run after `npm run build`.
import { readFileSync } from 'node:fs';
import { outputToNotesPoly, addPitchBendsToNoteEvents } from '@spotify/basic-pitch';
import { decodeAudio } from '../dist/audio/decode.js';
import * as constants from '../dist/transcribe/constants.js';
import { loadEngine } from '../dist/transcribe/engine.js';
import { runModel } from '../dist/transcribe/inference.js';
import { bendPeaksOf } from '../dist/transcribe/notes/bends.js';
import { outputToFrameNotes } from '../dist/transcribe/notes/frameNotes.js';
import { outputToNotes } from '../dist/transcribe/notes/noteCreation.js';

const TARGET_SECONDS = 180;
const RUNS = 5;
const { N_FREQ_BINS_NOTES: NOTE_BINS, N_FREQ_BINS_CONTOURS: CONTOUR_BINS } = constants;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(run, runs) {
  const seconds = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = run();
    seconds.push((performance.now() - started) / 1000);
  }
  return { result, seconds: median(seconds) };
}

function rows(flat, frames, bins) {
  return Array.from({ length: frames }, (_, t) => Array.from(flat.subarray(t * bins, (t + 1) * bins)));
}

const clip = await decodeAudio(
  readFileSync(new URL('../fixtures/chords.wav', import.meta.url)),
  'chords.wav',
  constants.AUDIO_SAMPLE_RATE,
);
const repeats = Math.ceil((TARGET_SECONDS * constants.AUDIO_SAMPLE_RATE) / clip.samples.length);
const audio = new Float32Array(repeats * clip.samples.length);
for (let i = 0; i < repeats; i++) audio.set(clip.samples, i * clip.samples.length);
process.stderr.write(`running the model on ${(audio.length / constants.AUDIO_SAMPLE_RATE).toFixed(0)} s of audio…\n`);
const output = await runModel(audio, await loadEngine(), { keepContour: true });

// jam reads bends from per-frame bend peaks that inference computes; count that step here too.
const ours = timed(() => outputToNotes({ ...output, bendPeaks: bendPeaksOf(output.contour, output.frames) }), RUNS);
const frames = rows(output.note, output.frames, NOTE_BINS);
const onsets = rows(output.onset, output.frames, NOTE_BINS);
const contours = rows(output.contour, output.frames, CONTOUR_BINS);
const minFrames = 11;
const stock = timed(
  () =>
    addPitchBendsToNoteEvents(
      contours,
      outputToNotesPoly(frames, onsets, 0.5, 0.3, minFrames, true, null, null, true, 11),
    ),
  1,
);
const sameNotes = outputToFrameNotes(output).length;

console.log(
  `note creation on ${(audio.length / constants.AUDIO_SAMPLE_RATE).toFixed(0)} s of polyphonic audio (${output.frames} frames), median of ${RUNS} runs for jam, 1 for the stock code`,
);
console.log('| implementation | seconds | notes |');
console.log('| --- | ---: | ---: |');
console.log(
  `| @spotify/basic-pitch outputToNotesPoly + addPitchBendsToNoteEvents | ${stock.seconds.toFixed(2)} | ${stock.result.length} |`,
);
console.log(
  `| jam bendPeaksOf + outputToNotes | ${ours.seconds.toFixed(3)} | ${ours.result.length} (${sameNotes} before bends) |`,
);
console.log(`speed-up: ${(stock.seconds / ours.seconds).toFixed(0)}×`);
