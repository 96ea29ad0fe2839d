import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../../src/audio/decode.js';
import {
  ANNOT_N_FRAMES,
  AUDIO_N_SAMPLES,
  AUDIO_SAMPLE_RATE,
  FFT_HOP,
  MIN_WINDOW_FRAMES,
  NETWORK_REACH_FRAMES,
  TAIL_FRAMES,
  WINDOW_HOP_SAMPLES,
} from '../../../../src/transcribe/constants.js';
import type { Engine, WindowOutputs } from '../../../../src/transcribe/engine.js';
import { convertGraphModel } from '../../../../src/transcribe/onnx/convert/index.js';
import { MODEL_OUTPUT_NAMES as OUTPUT_NAMES } from '../../../../src/transcribe/constants.js';
import {
  readGraphModel,
  type GraphModel,
  type GraphModelJson,
  type GraphNode,
} from '../../../../src/transcribe/onnx/convert/graphModel.js';
import { basicPitchModelDir, createTfjsEngine } from '../../../../src/transcribe/tfjsEngine.js';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const BUILT_MODEL = path.join(ROOT, 'models/basic-pitch.onnx');
const BUILT_TAIL_MODEL = path.join(ROOT, 'models/basic-pitch-tail.onnx');
/** The largest difference allowed between ONNX Runtime's and tfjs's outputs. */
const TOLERANCE = 1e-4;
const OUTPUTS = ['note', 'onset', 'contour'] as const;

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Deterministic samples in [-1, 1): a 32-bit linear congruential generator. */
function noise(length: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

async function runOnnx(
  session: InferenceSession,
  windows: Float32Array,
  count: number,
  windowSamples = AUDIO_N_SAMPLES,
): Promise<WindowOutputs> {
  const results = await session.run({
    [session.inputNames[0]]: new Tensor('float32', windows, [count, windowSamples, 1]),
  });
  const [note, onset, contour] = OUTPUTS.map((output) => results[OUTPUT_NAMES[output]].data as Float32Array);
  return { note, onset, contour };
}

describe('converting Basic Pitch to ONNX', () => {
  let model: GraphModel;
  let onnx: Uint8Array;

  beforeAll(() => {
    model = readGraphModel(basicPitchModelDir());
    onnx = convertGraphModel(model.json, model.weights);
  });

  it('gives the same bytes every time', () => {
    expect(sameBytes(convertGraphModel(model.json, model.weights), onnx)).toBe(true);
  });

  it('folds frequency bins into channels for the 3×39 and the contours’ 5×5 convolutions, and no others', () => {
    const text = Buffer.from(onnx).toString('latin1');
    const named = (suffix: string) =>
      [...new Set(text.match(new RegExp(`StatefulPartitionedCall[\\w/-]+(?=:${suffix})`, 'g')))].sort();
    expect(named('(s2d|low|middle|high)_conv')).toEqual([
      'StatefulPartitionedCall/model_1/contours-reduced/BiasAdd',
      'StatefulPartitionedCall/model_1/re_lu_1/Relu',
    ]);
    // The 5×5 reads the 3×39's output in its blocks: nothing folds it or reads it back as bins in between.
    expect(named('s2d_shape')).toEqual([]);
    expect(named('unfolded')).toEqual(['StatefulPartitionedCall/model_1/contours-reduced/BiasAdd']);
    // Its kernel (5 bins wide) starts off a block unshifted, so it shifts its output blocks and cuts them back.
    expect(named('unshifted_start')).toEqual(['StatefulPartitionedCall/model_1/contours-reduced/BiasAdd']);
  });

  it('convolves the harmonic stack with the 3×39 as one 3×176 filter over the CQT, but for the blocks at its edges', () => {
    const text = Buffer.from(onnx).toString('latin1');
    expect(text).toContain('conv2d_1/Conv2D_weights:harmonics:s2d');
    const parts = ['low', 'middle', 'high'].map((piece) => text.includes(`re_lu_1/Relu:${piece}_conv`));
    expect(parts).toEqual([true, true, true]);
    // The onsets' 5×5 over the stack has a stride of 3 over frequency: it stays a convolution over the stack.
    expect(text).not.toContain('re_lu_3/Relu:middle_conv');
  });

  it('convolves a stack whose copies are not all the CQT moved over it as it is', () => {
    // One copy reflected at the edge instead of padded with zeros: no longer the CQT moved with zeros let in.
    const json = structuredClone(model.json);
    const copy = json.modelTopology.node.find(
      (node) => node.name === 'StatefulPartitionedCall/model_1/harmonic_stacking/Pad_3',
    )!;
    Object.assign(copy, {
      op: 'MirrorPad',
      attr: { ...copy.attr, mode: { s: Buffer.from('REFLECT').toString('base64') } },
    });
    const text = Buffer.from(convertGraphModel(json, model.weights)).toString('latin1');
    expect(text).not.toContain(':harmonics:s2d');
    expect(text).toContain('re_lu_1/Relu:s2d_conv');
  });

  it('runs the notes’ and onsets’ single-output convolutions as a product over kernel taps, and no others', () => {
    const text = Buffer.from(onnx).toString('latin1');
    // Each such convolution ends in the sum of its shifted tap planes.
    const rewritten = [...new Set(text.match(/StatefulPartitionedCall[\w/-]+(?=:sum)/g))];
    expect(rewritten.sort()).toEqual([
      'StatefulPartitionedCall/model_1/conv2d_3/BiasAdd',
      'StatefulPartitionedCall/model_1/conv2d_5/BiasAdd',
    ]);
  });

  it('runs the constant-Q transform’s eight stride-2 low-pass filters sixteen outputs at a time, and no other convolution', () => {
    const text = Buffer.from(onnx).toString('latin1');
    // Each such filter has its phases' weights, and cuts the interleaved phases to the strided length.
    const phased = [...new Set(text.match(/StatefulPartitionedCall[\w/-]+(?=:phases)/g))];
    expect(phased.sort()).toEqual(
      [2, 5, 8, 11, 14, 17, 20, 23]
        .map((n) => `StatefulPartitionedCall/model_1/cq_t2010v2_1/conv1d_${n}/ExpandDims_1`)
        .sort(),
    );
  });

  it('scales the log-CQT by the batch norm in the same pass that normalises it', () => {
    const text = Buffer.from(onnx).toString('latin1');
    expect(text).not.toContain('batch_normalization/FusedBatchNormV3/Mul');
    expect(text).toContain('normalized_log_1/div_no_nan:factor_or_zero');
  });

  it('adds the batch norm’s offset over the bins, and joins both harmonic stackings as channels first, each copy cut to the bins kept', () => {
    const text = Buffer.from(onnx).toString('latin1');
    expect(text).toContain('batch_normalization/FusedBatchNormV3:offset_added');
    const stacked = [...new Set(text.match(/StatefulPartitionedCall[\w/-]+(?=:channels_first)/g))];
    expect(stacked.sort()).toEqual([
      'StatefulPartitionedCall/model_1/harmonic-stacking-diff/concat',
      'StatefulPartitionedCall/model_1/harmonic_stacking/concat',
    ]);
    const cut = [...new Set(text.match(/StatefulPartitionedCall[\w/-]+(?=:kept_end)/g))];
    expect(cut.sort()).toEqual(stacked.sort());
    // Both stackings' crops to 264 bins (their strided_slice_7) are folded into the copies.
    expect(text).not.toContain('strided_slice_7');
  });

  it('built models/basic-pitch.onnx from the installed model with this converter', () => {
    expect(existsSync(BUILT_MODEL), `${BUILT_MODEL} is missing: run npm run build`).toBe(true);
    expect(
      sameBytes(readFileSync(BUILT_MODEL), onnx),
      `${BUILT_MODEL} differs from a fresh conversion: run npm run build`,
    ).toBe(true);
  });

  describe('ONNX Runtime gives tfjs’s outputs', () => {
    let session: InferenceSession;
    let tfjs: Engine;

    beforeAll(async () => {
      session = await InferenceSession.create(onnx);
      tfjs = await createTfjsEngine('wasm');
    });

    async function expectSameOutputs(label: string, windows: Float32Array, count: number) {
      const expected = await tfjs.run(windows, count);
      const actual = await runOnnx(session, windows, count);
      const differences = OUTPUTS.map((output) => maxAbsDifference(actual[output], expected[output]));
      console.log(
        `${label}: max abs difference ${OUTPUTS.map((output, i) => `${output} ${differences[i].toExponential(1)}`).join(', ')}`,
      );
      for (const difference of differences) expect(difference).toBeLessThanOrEqual(TOLERANCE);
      return expected;
    }

    it('on three windows of fixtures/chords.wav, the last one ending in silence', async () => {
      const audio = await decodeAudio(
        readFileSync(path.join(ROOT, 'fixtures/chords.wav')),
        'chords.wav',
        AUDIO_SAMPLE_RATE,
      );
      // Two windows from the start, and one like a recording's last: the clip's end, then zeros.
      const starts = [0, WINDOW_HOP_SAMPLES, audio.samples.length - AUDIO_N_SAMPLES / 2];
      const windows = new Float32Array(starts.length * AUDIO_N_SAMPLES);
      starts.forEach((start, w) =>
        windows.set(audio.samples.subarray(start, start + AUDIO_N_SAMPLES), w * AUDIO_N_SAMPLES),
      );
      const { note } = await expectSameOutputs('chords.wav', windows, starts.length);
      // Chords sound in these windows, so a converter that lost the signal could not pass as equal.
      expect(note.reduce((max, value) => Math.max(max, value), 0)).toBeGreaterThan(0.5);
    });

    it('on two windows of seeded noise', async () => {
      await expectSameOutputs('noise', noise(2 * AUDIO_N_SAMPLES, 2024), 2);
    });

    it('under tfjs’s names, outputs in the order note, onset, contour', () => {
      expect(session.inputNames).toEqual(['input_2']);
      expect(session.outputNames).toEqual(OUTPUTS.map((output) => OUTPUT_NAMES[output]));
    });
  });

  it('built models/basic-pitch-tail.onnx with this converter', () => {
    expect(existsSync(BUILT_TAIL_MODEL), `${BUILT_TAIL_MODEL} is missing: run npm run build`).toBe(true);
    const fresh = convertGraphModel(model.json, model.weights, { tailFrames: TAIL_FRAMES });
    expect(
      sameBytes(readFileSync(BUILT_TAIL_MODEL), fresh),
      `${BUILT_TAIL_MODEL} differs from a fresh conversion: run npm run build`,
    ).toBe(true);
  });

  describe('a dynamic time axis', () => {
    /** A window that gives `frames` frames, cut as the 2 s window is. */
    const samplesFor = (frames: number) => AUDIO_N_SAMPLES - (ANNOT_N_FRAMES - frames) * FFT_HOP;
    let session: InferenceSession;
    let chords: Float32Array;

    beforeAll(async () => {
      session = await InferenceSession.create(onnx);
      chords = (
        await decodeAudio(readFileSync(path.join(ROOT, 'fixtures/chords.wav')), 'chords.wav', AUDIO_SAMPLE_RATE)
      ).samples;
    });

    it(`runs on windows down to ${MIN_WINDOW_FRAMES} frames, and no shorter`, async () => {
      const shortest = samplesFor(MIN_WINDOW_FRAMES);
      const { note } = await runOnnx(session, chords.slice(0, shortest), 1, shortest);
      expect(note.length).toBe(MIN_WINDOW_FRAMES * 88);
      const tooShort = samplesFor(MIN_WINDOW_FRAMES - 1);
      await expect(runOnnx(session, chords.slice(0, tooShort), 1, tooShort)).rejects.toThrow(/Pad/);
    });

    it('a tail model gives the last frames of the whole model, the same to the bit past the network’s reach', async () => {
      const tail = await InferenceSession.create(
        convertGraphModel(model.json, model.weights, { tailFrames: TAIL_FRAMES }),
      );
      const samples = samplesFor(MIN_WINDOW_FRAMES);
      const window = chords.slice(WINDOW_HOP_SAMPLES, WINDOW_HOP_SAMPLES + samples);
      const whole = await runOnnx(session, window, 1, samples);
      const last = await runOnnx(tail, window, 1, samples);
      for (const output of OUTPUTS) {
        const bins = whole[output].length / MIN_WINDOW_FRAMES;
        expect(last[output].length).toBe(TAIL_FRAMES * bins);
        const exact = (frames: Float32Array, from: number) => frames.subarray(from * bins);
        expect(exact(last[output], NETWORK_REACH_FRAMES)).toEqual(
          exact(whole[output], MIN_WINDOW_FRAMES - TAIL_FRAMES + NETWORK_REACH_FRAMES),
        );
      }
    });
  });

  describe('refuses what it cannot map', () => {
    const withNode = (json: GraphModelJson, op: string, change: (node: GraphNode) => void) => {
      const copy = structuredClone(json);
      const node = copy.modelTopology.node.find((candidate) => candidate.op === op)!;
      change(node);
      return { copy, name: node.name };
    };

    it('an unknown op, naming the op and the node', () => {
      const { copy, name } = withNode(model.json, 'Log', (node) => (node.op = 'Log1p'));
      expect(() => convertGraphModel(copy, model.weights)).toThrow(`node "${name}": unknown op Log1p`);
    });

    it('a convolution with a fused op it does not know', () => {
      const elu = Buffer.from('Elu').toString('base64');
      const { copy, name } = withNode(model.json, '_FusedConv2D', (node) => (node.attr!.fused_ops.list!.s![1] = elu));
      expect(() => convertGraphModel(copy, model.weights)).toThrow(
        `node "${name}" (_FusedConv2D): fused ops BiasAdd + Elu`,
      );
    });
  });
});
