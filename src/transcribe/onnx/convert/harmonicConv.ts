/**
 * A convolution over harmonic stacking's stack as one convolution over the CQT, a rewrite the converter applies
 * at build time.
 *
 * Harmonic stacking's copies are the normalised log-CQT moved by some bins each (−36 for half the frequency, 0,
 * 36 for twice it, … 101 for seven times), so a convolution over the stack is, away from its edges, one
 * convolution over the CQT itself whose filter lays the copies' filters side by side at their shifts, summed
 * where they overlap: Basic Pitch's 3×39 (8 → 8 channels) becomes 3×176 (1 → 8), half the products once folded.
 * Near the lowest and highest bins the stack holds zeros where the CQT has neighbours, so the blocks whose kernel
 * reaches past an edge are convolved over the stack as before. The three parts are folded convolutions
 * (foldedConv.ts).
 */
import type { Conversion } from './conversion.js';
import { edgeBlocks, type FusedOps } from './convRewrite.js';
import { binsToBlocks, finishInBlocks, foldedBias, foldedConv, foldedFilter, type FoldedFilter } from './foldedConv.js';
import type { GraphNode } from './graphModel.js';
import { FREQUENCY_AXIS, NCHW_TO_NHWC, NORMALISED_CQT } from './layout.js';
import { dataInputs, part, tensorName } from './nodes.js';
import type { HarmonicStack } from './stacking.js';
import type { ConstTensor } from './tensors.js';

export interface HarmonicConvOptions {
  stack: HarmonicStack;
  /** Bins to a block of the folded convolutions. */
  factor: number;
  fused: FusedOps;
}

interface BinWindowOptions {
  /** Names the window's nodes apart from the node's other pieces. */
  piece: string;
  source: string;
  /** The axis of `source` that holds the bins. */
  axis: number;
  /** The bins [from, to) to take, which may reach past either end. */
  span: readonly [from: number, to: number];
  /** The bins the stack keeps. */
  bins: number;
  /** Read the source's bins from `bins` on as they are, instead of as zeros (the CQT has more than the stack). */
  readPast: boolean;
}

export function harmonicConv(node: GraphNode, c: Conversion, { stack, factor, fused }: HarmonicConvOptions): void {
  const filterInput = dataInputs(node)[1];
  const filter = c.constant(node, 1);
  const before = Math.floor((filter.shape[1] - 1) / 2);
  const [lowBlocks, highBlocks] = edgeBlocks(filter, factor);
  const middleBlocks = stack.bins / factor - lowBlocks - highBlocks;
  const stacked = foldedFilter(`${tensorName(filterInput)}:oihw:s2d`, filter, factor);
  const merged = foldedFilter(
    `${tensorName(filterInput)}:harmonics:s2d`,
    mergedHarmonicFilter(filter, stack.shifts),
    factor,
  );
  const bias = fused.bias ? foldedBias(node, c, factor) : undefined;
  // `count` output blocks from bin `first` on read the input's bins from `first` plus the filter's first tap's offset.
  const span = (first: number, count: number, firstTap: number, folded: FoldedFilter) =>
    [first + firstTap, first + firstTap + factor * (count + folded.blocks - 1)] as const;
  const convolve = (piece: string, nhwc: string, folded: FoldedFilter) =>
    foldedConv(node, c, {
      piece,
      input: binsToBlocks(node, c, { piece, input: nhwc, channels: folded.tensor.dims[1] }),
      filter: folded.tensor,
      bias,
      relu: fused.relu,
    });
  // The edges read the stack channels first (as it is joined) and only their windows are transposed.
  const edge = (piece: string, first: number, count: number) => {
    const window = binWindow(node, c, {
      piece,
      source: stack.channelsFirst,
      axis: FREQUENCY_AXIS + 1,
      span: span(first, count, -before, stacked),
      bins: stack.bins,
      readPast: false,
    });
    return convolve(piece, c.add('Transpose', part(node, `${piece}_nhwc`), [window], { perm: NCHW_TO_NHWC }), stacked);
  };
  const middle = () => {
    const window = binWindow(node, c, {
      piece: 'middle',
      source: c.tensor(NORMALISED_CQT),
      axis: FREQUENCY_AXIS,
      span: span(factor * lowBlocks, middleBlocks, Math.min(...stack.shifts) - before, merged),
      bins: stack.bins,
      readPast: true,
    });
    return convolve('middle', window, merged);
  };
  const parts = [edge('low', 0, lowBlocks), middle(), edge('high', factor * (lowBlocks + middleBlocks), highBlocks)];
  const joined = c.add('Concat', part(node, 'joined'), parts, { axis: NCHW_TO_NHWC.length - 1 });
  finishInBlocks(node, c, { blocks: joined, factor, outChannels: filter.shape[3] });
}

/** Bins [from, to) of a tensor along `axis`: zeros before its bin 0 and from bin `bins` on, unless `readPast`. */
function binWindow(
  node: GraphNode,
  c: Conversion,
  { piece, source, axis, span: [from, to], bins, readPast }: BinWindowOptions,
): string {
  const slice = (name: string, input: string, start: number, end: number) =>
    c.add('Slice', part(node, `${piece}_${name}`), [
      input,
      c.int64s(part(node, `${piece}_${name}_from`), [start]),
      c.int64s(part(node, `${piece}_${name}_to`), [end]),
      c.int64s(part(node, `${piece}_axis`), [axis]),
    ]);
  const [padBefore, padAfter] = [Math.max(0, -from), Math.max(0, to - bins)];
  let window = slice('kept', source, Math.max(0, from), readPast ? to : Math.min(to, bins));
  if (padBefore > 0 || padAfter > 0) {
    const pads = [0, 0, 0, 0, 0, 0, 0, 0];
    [pads[axis], pads[axis + pads.length / 2]] = [padBefore, padAfter];
    window = c.add('Pad', part(node, `${piece}_padded`), [window, c.int64s(part(node, `${piece}_pads`), pads)], {
      mode: 'constant',
    });
  }
  return readPast && padAfter > 0 ? slice('cut', window, 0, to - from) : window;
}

/**
 * The HWIO filter [h, taps, 1, o] over the CQT that sums each channel's filter at its shift: tap j is bin f + j +
 * min(shifts) − before.
 */
function mergedHarmonicFilter(filter: ConstTensor, shifts: readonly number[]): ConstTensor {
  const [height, width, channels, outChannels] = filter.shape;
  const lowest = Math.min(...shifts);
  const taps = Math.max(...shifts) - lowest + width;
  const source = new Float32Array(new Uint8Array(filter.bytes).buffer);
  const sums = new Float64Array(height * taps * outChannels);
  for (let h = 0; h < height; h++) {
    for (let k = 0; k < width; k++) {
      for (let ch = 0; ch < channels; ch++) {
        for (let o = 0; o < outChannels; o++) {
          sums[(h * taps + k + shifts[ch] - lowest) * outChannels + o] +=
            source[((h * width + k) * channels + ch) * outChannels + o];
        }
      }
    }
  }
  return {
    dtype: 'float32',
    shape: [height, taps, 1, outChannels],
    bytes: new Uint8Array(Float32Array.from(sums).buffer),
  };
}
