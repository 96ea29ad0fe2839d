/**
 * Which rewrite a convolution takes (build time), from its filter's shape, its attributes and what it reads. The
 * rewrites themselves are in phasedConv.ts, foldedConv.ts, harmonicConv.ts and singleOutputConv.ts.
 */
import type { Conversion } from './conversion.js';
import type { GraphNode } from './graphModel.js';
import { dataInputs, intsAttr, stringAttr, stringsAttr, unsupported } from './nodes.js';
import { harmonicStackOf, type HarmonicStack } from './stacking.js';
import type { ConstTensor } from './tensors.js';

/** 'plain' is no rewrite: a Conv between transposes. */
export type ConvRewrite =
  | { kind: 'phased' | 'singleOutput' | 'plain' }
  | { kind: 'harmonic'; stack: HarmonicStack; factor: number }
  | { kind: 'folded'; factor: number };

/** The ops a _FusedConv2D applies after its convolution. */
export interface FusedOps {
  bias: boolean;
  relu: boolean;
}

/**
 * How many bins a folded convolution puts in a block, and which convolutions it pays for: wide enough over
 * frequency, and with few enough channels that the folded ones still fit ONNX Runtime's channel blocks.
 */
const SPACE_TO_DEPTH = { factor: 8, minWidth: 5, maxChannels: 64 } as const;

export function convRewrite(node: GraphNode, c: Conversion): ConvRewrite {
  const filter = c.constant(node, 1);
  if (isSingleChannelStrided(node, filter)) return { kind: 'phased' };
  const factor = spaceToDepthFactor(node, filter);
  const stack = factor > 1 ? harmonicStackOf(dataInputs(node)[0], c) : undefined;
  if (stack && harmonicConvPays(filter, stack, factor)) return { kind: 'harmonic', stack, factor };
  if (factor > 1) return { kind: 'folded', factor };
  return { kind: isSingleOutputSame(node, filter) ? 'singleOutput' : 'plain' };
}

export function fusedOps(node: GraphNode): FusedOps {
  if (node.op === 'Conv2D') return { bias: false, relu: false };
  const ops = stringsAttr(node, 'fused_ops');
  const known = ops[0] === 'BiasAdd' && (ops.length === 1 || (ops.length === 2 && ops[1] === 'Relu'));
  if (!known) throw unsupported(node, `fused ops ${ops.join(' + ')} (only BiasAdd, or BiasAdd + Relu)`);
  return { bias: true, relu: ops.length === 2 };
}

/** A stride-1, undilated convolution with TensorFlow's SAME padding: the only kind the folding rewrites take. */
function isPlainSame(node: GraphNode): boolean {
  const plain = [...intsAttr(node, 'strides'), ...intsAttr(node, 'dilations')].every((value) => value === 1);
  return plain && stringAttr(node, 'padding') === 'SAME';
}

/** The phased rewrite's: one channel in and out, strided over the samples, VALID. */
function isSingleChannelStrided(node: GraphNode, filter: ConstTensor): boolean {
  const [height, , inChannels, outChannels] = filter.shape;
  const [, strideH, strideW] = intsAttr(node, 'strides');
  const undilated = intsAttr(node, 'dilations').every((value) => value === 1);
  return (
    height === 1 &&
    inChannels === 1 &&
    outChannels === 1 &&
    strideH === 1 &&
    strideW > 1 &&
    undilated &&
    stringAttr(node, 'padding') === 'VALID' &&
    node.op === 'Conv2D'
  );
}

/** How many bins to fold into the channels, 1 when the convolution is not folded. */
function spaceToDepthFactor(node: GraphNode, filter: ConstTensor): number {
  const [, width, inChannels, outChannels] = filter.shape;
  if (!isPlainSame(node) || width < SPACE_TO_DEPTH.minWidth) return 1;
  const { factor, maxChannels } = SPACE_TO_DEPTH;
  return factor * Math.max(inChannels, outChannels) <= maxChannels ? factor : 1;
}

/** The single-output rewrite's: one output channel and no ReLU after it. */
function isSingleOutputSame(node: GraphNode, filter: ConstTensor): boolean {
  return isPlainSame(node) && filter.shape[3] === 1 && fusedOps(node).relu === false;
}

/** The blocks at the low and the high end whose outputs the filter's SAME padding reaches (3 and 3 for 39 bins). */
export function edgeBlocks(filter: ConstTensor, factor: number): [low: number, high: number] {
  const width = filter.shape[1];
  const before = Math.floor((width - 1) / 2);
  return [Math.ceil(before / factor), Math.ceil((width - 1 - before) / factor)];
}

/**
 * Does the merged filter have fewer taps than the stack's channels have between them, with whole blocks left between
 * the edges?
 */
function harmonicConvPays(filter: ConstTensor, stack: HarmonicStack, factor: number): boolean {
  const [, width, channels] = filter.shape;
  const mergedWidth = Math.max(...stack.shifts) - Math.min(...stack.shifts) + width;
  const [low, high] = edgeBlocks(filter, factor);
  return (
    channels === stack.shifts.length &&
    mergedWidth < channels * width &&
    stack.bins % factor === 0 &&
    stack.bins / factor > low + high
  );
}
