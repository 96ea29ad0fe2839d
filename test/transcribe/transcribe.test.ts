import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { BasicPitch } from '@spotify/basic-pitch';
import { decodeAudio, openAudio } from '../../src/audio/decode.js';
import { encodeWav, WAV_FORMATS } from '../../src/audio/wav.js';
import { midiNotes } from '../../src/midi/read.js';
import { loadEngine } from '../../src/transcribe/engine.js';
import { runModel } from '../../src/transcribe/inference.js';
import { scoreNotes } from '../../src/transcribe/score.js';
import { transcribe } from '../../src/transcribe/transcribe.js';
import { bendPeaksOf } from '../../src/transcribe/notes/bends.js';
import { outputToNotes } from '../../src/transcribe/notes/noteCreation.js';
import { basicPitchModelDir } from '../../src/transcribe/tfjsEngine.js';
import type { NoteEvent } from '../../src/types.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);
const groundTruth = (name: string) => midiNotes(readFileSync(fixture(name)), name);

describe('transcribing the fixtures against their source MIDI (MIREX note F1, onset ±50 ms)', () => {
  const cases = [
    { audio: 'scale.wav', midi: 'scale.mid', minF1: 0.9 },
    { audio: 'bass.flac', midi: 'bass.mid', minF1: 0.9 },
    { audio: 'bend.ogg', midi: 'bend.mid', minF1: 0.9 },
    { audio: 'chords.wav', midi: 'chords.mid', minF1: 0.7 },
    { audio: 'chords.mp3', midi: 'chords.mid', minF1: 0.7 },
  ];
  for (const { audio, midi, minF1 } of cases) {
    it(`${audio}: F1 ≥ ${minF1}`, async () => {
      const result = await transcribe(fixture(audio));
      const scores = scoreNotes(groundTruth(midi), result.notes);
      console.log(
        `${audio}: ${result.notes.length} notes, P ${scores.precision.toFixed(3)} R ${scores.recall.toFixed(3)} F1 ${scores.f1.toFixed(3)}`,
      );
      expect(scores.f1).toBeGreaterThanOrEqual(minF1);
      expect(result.warnings).toEqual([]);
      // The MIDI file holds the same notes, to the tick (960 a second at 120 bpm).
      const inOrder = (notes: NoteEvent[]) => [...notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch);
      const written = inOrder(midiNotes(result.midi, `${audio}.mid`));
      const found = inOrder(result.notes);
      expect(written.map((note) => [note.pitch, note.velocity])).toEqual(
        found.map((note) => [note.pitch, note.velocity]),
      );
      const drift = Math.max(
        ...written.flatMap((note, i) => [Math.abs(note.start - found[i].start), Math.abs(note.end - found[i].end)]),
      );
      expect(drift).toBeLessThan(1.5 / 960);
    });
  }

  it("scale.wav streamed from disk through jam's own resampler (every input is now): F1 ≥ 0.9", async () => {
    const audio = await openAudio(fixture('scale.wav'), 'scale.wav', 22050);
    const notes = outputToNotes(await runModel(audio, await loadEngine()));
    expect(scoreNotes(groundTruth('scale.mid'), notes).f1).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the quarter-tone bend in bend.ogg as upward pitch bends on the C5', async () => {
    const { notes } = await transcribe(fixture('bend.ogg'));
    const bent = notes.find((note) => note.pitch === 72 && note.start < 1.1);
    expect(bent).toBeDefined();
    expect(Math.max(...bent!.bends!)).toBeGreaterThan(0.3);
    const steady = notes.find((note) => note.pitch === 67)!;
    expect(Math.max(...steady.bends!.map(Math.abs))).toBeLessThan(0.5);
  });
});

describe('pitch bends of pure tones', () => {
  const tone = (midi: number, cents: number) => {
    const hz = 440 * 2 ** ((midi - 69 + cents / 100) / 12);
    const samples = new Float32Array(22050 * 2);
    for (let i = 0; i < samples.length; i++)
      samples[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / 22050) * Math.min(1, i / 200);
    return samples;
  };
  const medianBend = (bends: number[]) => [...bends].sort((a, b) => a - b)[Math.floor(bends.length / 2)];

  it('are zero for an in-tune A4 and a third of a semitone for one 33 cents sharp', async () => {
    const inTune = await transcribe(tone(69, 0));
    expect(inTune.notes.map((note) => note.pitch)).toEqual([69]);
    expect(medianBend(inTune.notes[0].bends!)).toBeCloseTo(0, 9);
    const sharp = await transcribe(tone(69, 33));
    expect(medianBend(sharp.notes[0].bends!)).toBeCloseTo(1 / 3, 9);
  });
});

describe('the inference windows', () => {
  it('give exactly the posteriorgrams of the @spotify/basic-pitch reference pipeline', async () => {
    const { samples } = await decodeAudio(readFileSync(fixture('bass.flac')), 'bass.flac', 22050);
    const ours = await runModel(samples, await loadEngine('tfjs'), { batchSize: 3, keepContour: true });

    const dir = basicPitchModelDir();
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const weights = readFileSync(path.join(dir, json.weightsManifest[0].paths[0]));
    const model = tf.loadGraphModel({
      load: async () => ({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
        format: json.format,
      }),
    });
    const frames: number[][] = [];
    const onsets: number[][] = [];
    const contours: number[][] = [];
    await new BasicPitch(model).evaluateModel(
      samples,
      (f, o, c) => (frames.push(...f), onsets.push(...o), contours.push(...c)),
      () => {},
    );

    expect(ours.frames).toBe(frames.length);
    let maxDifference = 0;
    for (let t = 0; t < frames.length; t++) {
      for (let bin = 0; bin < 88; bin++) {
        maxDifference = Math.max(
          maxDifference,
          Math.abs(frames[t][bin] - ours.note[t * 88 + bin]),
          Math.abs(onsets[t][bin] - ours.onset[t * 88 + bin]),
        );
      }
      for (let bin = 0; bin < 264; bin++)
        maxDifference = Math.max(maxDifference, Math.abs(contours[t][bin] - ours.contour![t * 264 + bin]));
    }
    expect(maxDifference).toBeLessThan(1e-6);
    expect(ours.bendPeaks).toEqual(bendPeaksOf(ours.contour!, ours.frames));
  });

  it('are the same whether the audio comes whole or as a stream of uneven chunks', async () => {
    const { samples } = await decodeAudio(readFileSync(fixture('scale.wav')), 'scale.wav', 22050);
    const engine = await loadEngine();
    const whole = await runModel(samples, engine, { batchSize: 2 });
    const sizes = [1, 5000, 40_000, 12_345, 100_000];
    const chunks: Float32Array[] = [];
    for (let at = 0, i = 0; at < samples.length; at += sizes[i++ % sizes.length])
      chunks.push(samples.subarray(at, at + sizes[i % sizes.length]));
    const streamed = await runModel({ sampleRate: 22050, length: samples.length, chunks }, engine, { batchSize: 3 });
    expect(streamed.frames).toBe(whole.frames);
    let maxDifference = 0;
    for (let i = 0; i < whole.note.length; i++)
      maxDifference = Math.max(
        maxDifference,
        Math.abs(whole.note[i] - streamed.note[i]),
        Math.abs(whole.onset[i] - streamed.onset[i]),
      );
    expect(maxDifference).toBeLessThan(1e-5);
    expect(streamed.bendPeaks).toEqual(whole.bendPeaks);
  });
});

describe('audio input', () => {
  it('decodes every WAV sample format to the same 22 050 Hz mono signal', async () => {
    const reference = await decodeAudio(readFileSync(fixture('scale.wav')), 'scale.wav', 44100);
    for (const format of WAV_FORMATS) {
      const decoded = await decodeAudio(encodeWav([reference.samples], 44100, format), `scale-${format}.wav`, 22050);
      const resampled = await decodeAudio(readFileSync(fixture('scale.wav')), 'scale.wav', 22050);
      expect(decoded.samples.length).toBe(resampled.samples.length);
      // 8-bit audio is coarse: its error stays near its quantisation step.
      const tolerance = format === 'pcm8' ? 0.02 : 1e-3;
      let maxDifference = 0;
      for (let i = 0; i < decoded.samples.length; i++)
        maxDifference = Math.max(maxDifference, Math.abs(decoded.samples[i] - resampled.samples[i]));
      expect(maxDifference, format).toBeLessThan(tolerance);
    }
  });

  it('transcribes multichannel float audio at another rate, downmixed', async () => {
    const { samples } = await decodeAudio(readFileSync(fixture('scale.wav')), 'scale.wav', 48000);
    const silent = new Float32Array(samples.length);
    const quad = encodeWav([samples, samples, silent, samples], 48000, 'float32');
    const result = await transcribe(quad, { name: 'quad.wav' });
    expect(scoreNotes(groundTruth('scale.mid'), result.notes).f1).toBeGreaterThanOrEqual(0.9);
  });

  it('accepts samples already at 22 050 Hz mono and gives the same notes as the file', async () => {
    const { samples } = await decodeAudio(readFileSync(fixture('scale.wav')), 'scale.wav', 22050);
    const fromSamples = await transcribe(samples);
    const fromFile = await transcribe(fixture('scale.wav'));
    expect(fromSamples.notes).toEqual(fromFile.notes);
  });
});
