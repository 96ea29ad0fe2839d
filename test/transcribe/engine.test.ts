import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../src/audio/decode.js';
import { ANNOT_N_FRAMES, AUDIO_N_SAMPLES, N_FREQ_BINS_NOTES } from '../../src/transcribe/constants.js';
import { closeEngine, loadEngine, type Engine } from '../../src/transcribe/engine.js';
import { runModel } from '../../src/transcribe/inference.js';
import { outputToNotes } from '../../src/transcribe/notes/noteCreation.js';
import { scoreNotes } from '../../src/transcribe/score.js';
import { transcribe } from '../../src/transcribe/transcribe.js';

const fixture = (name: string) => path.resolve(import.meta.dirname, '../../fixtures', name);

/** The engine with every other batch answering late, after the ones sent after it. */
function lateEveryOtherBatch(engine: Engine): Engine & { calls: () => number } {
  let calls = 0;
  return {
    ...engine,
    parallelism: 3,
    run: async (windows, count) => {
      const late = calls++ % 2 === 0;
      const outputs = await engine.run(windows.slice(), count);
      if (late) await new Promise((resolve) => setTimeout(resolve, 50));
      return outputs;
    },
    calls: () => calls,
  };
}

describe('the engines', () => {
  it('onnx is the default, loaded once per process and thread count', async () => {
    const engine = await loadEngine();
    expect(engine.name).toBe('onnx');
    expect(engine.fallbackReason).toBeUndefined();
    expect(await loadEngine('onnx')).toBe(engine);
  });

  it('a closed onnx engine refuses runs, and the next loadEngine loads a new one that runs', async () => {
    const engine = await loadEngine('onnx', 1);
    const window = new Float32Array(AUDIO_N_SAMPLES);
    await closeEngine(engine);
    await expect(engine.run(window, 1)).rejects.toThrow(/closed/);
    const fresh = await loadEngine('onnx', 1);
    expect(fresh).not.toBe(engine);
    expect((await fresh.run(window, 1)).note.length).toBe(ANNOT_N_FRAMES * N_FREQ_BINS_NOTES);
  });

  it('onnx and tfjs find the same notes', async () => {
    const { samples } = await decodeAudio(readFileSync(fixture('chords.mp3')), 'chords.mp3', 22050);
    const onnx = await transcribe(samples, { engine: 'onnx' });
    const tfjs = await transcribe(samples, { engine: 'tfjs' });
    expect(onnx.notes.length).toBeGreaterThan(10);
    const agreement = scoreNotes(tfjs.notes, onnx.notes, { offsetRatio: 0.2 });
    expect(agreement.f1).toBeGreaterThanOrEqual(0.99);
    expect(onnx.notes.map((note) => note.velocity)).toEqual(tfjs.notes.map((note) => note.velocity));
  });

  it('runs batches of any size to the same result', async () => {
    const { samples } = await decodeAudio(readFileSync(fixture('bass.flac')), 'bass.flac', 22050);
    const one = await transcribe(samples, { batchSize: 1 });
    const eight = await transcribe(samples, { batchSize: 8, threads: 1 });
    expect(eight.notes.map((note) => [note.pitch, note.start, note.end])).toEqual(
      one.notes.map((note) => [note.pitch, note.start, note.end]),
    );
  });

  it('stores each batch in its place when batches in flight come back out of order', async () => {
    const { samples } = await decodeAudio(readFileSync(fixture('bass.flac')), 'bass.flac', 22050);
    const onnx = await loadEngine('onnx');
    const shuffled = lateEveryOtherBatch(onnx);
    const inOrder = await runModel(samples, onnx, { batchSize: 4 });
    const outOfOrder = await runModel(samples, shuffled, { batchSize: 1 });
    expect(shuffled.calls()).toBeGreaterThanOrEqual(4);
    expect(outOfOrder.note).toEqual(inOrder.note);
    expect(outOfOrder.onset).toEqual(inOrder.onset);
    expect(outOfOrder.bendPeaks).toEqual(inOrder.bendPeaks);
  });

  it('measures bends only where notes can reach, with the same notes and bends, whatever order batches come back in', async () => {
    const { samples } = await decodeAudio(readFileSync(fixture('chords.mp3')), 'chords.mp3', 22050);
    const onnx = await loadEngine('onnx');
    const shuffled = lateEveryOtherBatch(onnx);
    const everywhere = await runModel(samples, onnx);
    // A tolerance longer than a window's frames makes windows wait for more than the next one.
    for (const options of [{}, { frameThreshold: 0.2, energyTolerance: 200 }, { pitchBends: false }]) {
      const reached = await runModel(samples, shuffled, { batchSize: 1, notesFor: options });
      expect(outputToNotes(reached, options)).toEqual(outputToNotes(everywhere, options));
      expect(reached.bendPeaks).not.toEqual(everywhere.bendPeaks);
    }
  });
});
