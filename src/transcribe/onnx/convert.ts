/**
 * Basic Pitch's TensorFlow.js graph model → an ONNX model for ONNX Runtime, op by op.
 *
 * TensorFlow convolves NHWC tensors with HWIO filters, ONNX NCHW tensors with OIHW filters: each convolution
 * is wrapped in a pair of transposes and its filter transposed once here, so every other op keeps its
 * TensorFlow layout and meaning (ONNX Runtime cancels the transposes it can when it loads the model).
 * Integer tensors (shapes, axes, paddings) become int64, the type ONNX wants for them. An op, fused op or
 * attribute the converter does not know is an error naming the node: nothing is guessed.
 *
 * The time axis is made dynamic: the graph's Reshapes name the input's 43 844 samples and the outputs' 172 frames,
 * and those entries become -1 (ONNX Runtime infers them), so the model also runs on windows of other lengths.
 * A tail model (`tailFrames`) computes only a window's last frames: the constant-Q transform and its
 * normalisation still see the whole window, then the network runs on the last frames alone (for streaming).
 */
import { MODEL_OUTPUT_NAMES } from '../constants.js';
import type { GraphAttr, GraphModelJson, GraphNode } from './graphModel.js';
import {
  DataType,
  encodeModel,
  type AttributeValue,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './protobuf.js';

/** Opset 18 is the first where every reduction takes its axes as an input; IR version 8 came with it. */
const OPSET_VERSION = 18;
const IR_VERSION = 8;
/** The names of the dynamic dimensions: the first of the input and outputs, then the input's and the outputs' second. */
const BATCH = 'batch';
const TIME_AXIS = 1;
/** The frequency (bins) axis of the graph's NHWC tensors. */
const FREQUENCY_AXIS = 2;
const INPUT_TIME = 'samples';
const OUTPUT_TIME = 'frames';
/** A Reshape target entry that ONNX infers from the tensor's size. */
const INFERRED = -1;
const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const CHANNEL_AXIS_NHWC = 3;
const CHANNEL_AXIS_NCHW = 1;
const HWIO_TO_OIHW = [3, 2, 0, 1];
/** A slice end past any real dimension: ONNX clamps it to the dimension's size. */
const TO_THE_END = Number.MAX_SAFE_INTEGER;

/**
 * The normalised log-CQT, `[batch, frames, bins, 1]`: the whole window's min and max have been applied, and what
 * follows is convolutional in time, so a tail model cuts the time axis here.
 */
const NORMALISED_CQT = 'StatefulPartitionedCall/model_1/batch_normalization/FusedBatchNormV3';

export interface ConversionOptions {
  /** Output only the last this many frames of each window, computing the network on them alone. */
  tailFrames?: number;
}

/** Ops that map one to one, with the same inputs, broadcasting and meaning. */
const SAME_OP: Readonly<Record<string, string>> = {
  Identity: 'Identity',
  Neg: 'Neg',
  Sqrt: 'Sqrt',
  Log: 'Log',
  Sigmoid: 'Sigmoid',
  Mul: 'Mul',
  Add: 'Add',
  AddV2: 'Add',
  Sub: 'Sub',
};

const REDUCTIONS: Readonly<Record<string, string>> = { Sum: 'ReduceSum', Min: 'ReduceMin', Max: 'ReduceMax' };

type OpConverter = (node: GraphNode, conversion: Conversion) => void;

const CONVERTERS: Readonly<Record<string, OpConverter>> = {
  ...Object.fromEntries(Object.keys(SAME_OP).map((op) => [op, sameOp])),
  ...Object.fromEntries(Object.keys(REDUCTIONS).map((op) => [op, reduction])),
  Square: square,
  DivNoNan: divNoNan,
  Conv2D: conv2d,
  _FusedConv2D: conv2d,
  Pad: pad,
  MirrorPad: pad,
  Transpose: transpose,
  Reshape: reshape,
  ExpandDims: expandDims,
  Squeeze: squeeze,
  Shape: shape,
  Pack: pack,
  ConcatV2: concat,
  StridedSlice: stridedSlice,
};

/**
 * Converts a graph model (its `model.json` and its weight shards concatenated in manifest order) to the
 * bytes of an ONNX model. The same input always gives the same bytes.
 */
export function convertGraphModel(
  json: GraphModelJson,
  weights: Uint8Array,
  options: ConversionOptions = {},
): Uint8Array {
  const conversion = new Conversion(
    readConstants(json, weights),
    timeLengths(json),
    reshapeTargets(json),
    consumersOf(json),
    producersOf(json),
  );
  const inputs: ValueInfoProto[] = [];
  for (const node of topologicalOrder(json.modelTopology.node)) {
    if (node.op === 'Const') {
      if (!conversion.isConstant(node.name))
        throw new Error(`node "${node.name}": a constant with no value in the weights manifest`);
      continue;
    }
    if (node.op === 'Placeholder') {
      inputs.push(placeholderInput(node));
      continue;
    }
    if (conversion.isFolded(node.name)) continue;
    const convert = CONVERTERS[node.op];
    if (!convert)
      throw new Error(`node "${node.name}": unknown op ${node.op}; the ONNX converter does not know how to map it`);
    convert(node, conversion);
    if (options.tailFrames !== undefined && node.name === NORMALISED_CQT) cutTail(node, conversion, options.tailFrames);
  }
  if (options.tailFrames !== undefined && !conversion.nodes.some((node) => node.name === NORMALISED_CQT)) {
    throw new Error(`the graph has no node ${NORMALISED_CQT} to cut a tail at; is this Basic Pitch's model.json?`);
  }
  // The ONNX model lists the outputs in this order (note, onset, contour); the engines read them by name.
  const outputs = Object.values(MODEL_OUTPUT_NAMES).map((name) => graphOutput(json, name));
  return encodeModel({
    irVersion: IR_VERSION,
    producerName: 'jam',
    opsetVersion: OPSET_VERSION,
    graph: { name: 'basic_pitch', nodes: conversion.nodes, initializers: conversion.initializers(), inputs, outputs },
  });
}

interface ConstTensor {
  dtype: 'float32' | 'int32';
  shape: readonly number[];
  /** Little-endian element bytes, as tfjs stores them. */
  bytes: Uint8Array;
}

/** The ONNX nodes written so far, and the constants they use. */
class Conversion {
  readonly nodes: NodeProto[] = [];
  private readonly used = new Map<string, TensorProto>();
  /** Tensors that later nodes read under another name (the tail cut from a tensor, instead of the tensor). */
  private readonly replaced = new Map<string, string>();
  /** Nodes an earlier node's conversion already computed: they are not converted again. */
  private readonly folded = new Set<string>();

  constructor(
    private readonly constants: ReadonlyMap<string, ConstTensor>,
    /** The graph's fixed lengths of the time axis: the input's samples and the outputs' frames. */
    readonly timeLengths: ReadonlySet<number>,
    /** Nodes whose output is the target shape of a Reshape. */
    readonly reshapeTargets: ReadonlySet<string>,
    /** The nodes that read each node's output. */
    readonly consumers: ReadonlyMap<string, readonly GraphNode[]>,
    /** The node that computes each tensor (a node's first output is named after it). */
    private readonly producers: ReadonlyMap<string, GraphNode>,
  ) {}

  /** Outputs of convolutions folded over frequency, as they came out in blocks of `factor` bins. */
  private readonly inBlocks = new Map<string, { factor: number; tensor: string }>();

  keepInBlocks(name: string, factor: number, tensor: string): void {
    this.inBlocks.set(name, { factor, tensor });
  }

  /** The input in blocks of `factor` bins, if a folded convolution computed it so. */
  blocksOf(input: string, factor: number): string | undefined {
    const kept = this.inBlocks.get(tensorName(input));
    return kept?.factor === factor ? kept.tensor : undefined;
  }

  /** The graph node whose output an input reads, if it is a node's output. */
  producer(input: string): GraphNode | undefined {
    return this.producers.get(tensorName(input));
  }

  /** Node `name` is computed by an earlier conversion: skip it, and read `input` wherever it was read. */
  fold(name: string, input: string): void {
    this.folded.add(name);
    this.replace(name, this.tensor(input));
  }

  isFolded(name: string): boolean {
    return this.folded.has(name);
  }

  /** The ONNX name of a node's input; a constant becomes an initializer the first time it is used. */
  tensor(input: string): string {
    const name = tensorName(input);
    const constant = this.constants.get(name);
    if (constant && !this.used.has(name)) this.used.set(name, constantInitializer(name, constant));
    return this.replaced.get(name) ?? name;
  }

  /** From now on, nodes that read `name` read `replacement` instead. */
  replace(name: string, replacement: string): void {
    this.replaced.set(name, replacement);
  }

  isConstant(name: string): boolean {
    return this.constants.has(name);
  }

  /** The value of a node's input that must be known now (a filter, a permutation, axes, paddings). */
  constant(node: GraphNode, index: number): ConstTensor {
    const name = tensorName(dataInputs(node)[index] ?? '');
    const constant = this.constants.get(name);
    if (!constant) throw new Error(`node "${node.name}" (${node.op}): input ${index} must be a constant`);
    return constant;
  }

  /** A new 1-D int64 initializer. */
  int64s(name: string, values: readonly number[]): string {
    return this.initializer({ name, dataType: DataType.INT64, dims: [values.length], rawData: int64Bytes(values) });
  }

  initializer(tensor: TensorProto): string {
    this.used.set(tensor.name, tensor);
    return tensor.name;
  }

  initializers(): TensorProto[] {
    return [...this.used.values()];
  }

  /** Adds a node whose single output has the node's name, and returns that name. */
  add(opType: string, name: string, inputs: readonly string[], attributes?: Record<string, AttributeValue>): string {
    this.nodes.push({ name, opType, inputs, outputs: [name], attributes });
    return name;
  }
}

// --- one converter per op family ---------------------------------------------------------------------------

function sameOp(node: GraphNode, c: Conversion): void {
  const inputs = dataInputs(node).map((input) => c.tensor(input));
  if (node.name === NORMALISED_CQT) {
    addOverBins(node, c, inputs);
    return;
  }
  c.add(SAME_OP[node.op], node.name, inputs);
}

/**
 * The batch norm's offset added to the normalised log-CQT with its trailing axis of 1 squeezed away: over a
 * trailing axis of one element ONNX Runtime adds element by element (2.5 ms for a batch of two windows,
 * against 0.03 ms with the bins last). Squeeze and Unsqueeze only relabel the tensor's shape.
 */
function addOverBins(node: GraphNode, c: Conversion, [x, offset]: readonly string[]): void {
  const channelAxis = c.int64s(part(node, 'channel_axis'), [CHANNEL_AXIS_NHWC]);
  const bins = c.add('Squeeze', part(node, 'bins'), [x, channelAxis]);
  const shifted = c.add(SAME_OP[node.op], part(node, 'offset_added'), [bins, offset]);
  c.add('Unsqueeze', node.name, [shifted, channelAxis]);
}

function square(node: GraphNode, c: Conversion): void {
  const x = c.tensor(dataInputs(node)[0]);
  c.add('Mul', node.name, [x, x]);
}

/**
 * x / y, and 0 wherever y is 0 (as TensorFlow defines it, also for 0 / 0). Where a Mul by a one-element constant
 * follows (Basic Pitch's batch norm scaling its normalised log-CQT, the min–max range dividing it), the constant
 * divided by y, or 0, is worked out at y's size and x multiplied by that once: one pass over the large tensor
 * instead of three. The same for finite x, which this x (a log minus its minimum) is.
 */
function divNoNan(node: GraphNode, c: Conversion): void {
  const [x, y] = dataInputs(node).map((input) => c.tensor(input));
  const zero = c.initializer({
    name: part(node, 'zero'),
    dataType: DataType.FLOAT,
    dims: [],
    rawData: new Uint8Array(4),
  });
  const isZero = c.add('Equal', part(node, 'is_zero'), [y, zero]);
  const scaling = scalingAfter(node, c);
  if (!scaling) {
    const quotient = c.add('Div', part(node, 'quotient'), [x, y]);
    c.add('Where', node.name, [isZero, zero, quotient]);
    return;
  }
  const factor = c.add('Div', part(node, 'factor'), [c.tensor(scaling.scale), y]);
  c.add('Mul', node.name, [x, c.add('Where', part(node, 'factor_or_zero'), [isZero, zero, factor])]);
  c.fold(scaling.mul.name, scaling.scaled);
}

/** A Mul by a one-element float constant that alone reads the node's output (through an ExpandDims, which commutes). */
function scalingAfter(node: GraphNode, c: Conversion): { mul: GraphNode; scale: string; scaled: string } | undefined {
  const only = (name: string) => {
    const readers = c.consumers.get(name) ?? [];
    return readers.length === 1 ? readers[0] : undefined;
  };
  let reader = only(node.name);
  if (reader?.op === 'ExpandDims') reader = only(reader.name);
  if (reader?.op !== 'Mul') return undefined;
  const inputs = dataInputs(reader).map(tensorName);
  const scaleAt = inputs.findIndex((input, at) => c.isConstant(input) && c.constant(reader, at).dtype === 'float32');
  if (scaleAt < 0 || c.constant(reader, scaleAt).bytes.length !== 4) return undefined;
  return { mul: reader, scale: inputs[scaleAt], scaled: inputs[1 - scaleAt] };
}

function reduction(node: GraphNode, c: Conversion): void {
  const axes = c.int64s(part(node, 'axes'), intValues(c.constant(node, 1)));
  // TensorFlow reduces nothing over an empty axis list; ONNX would reduce everything unless told.
  c.add(REDUCTIONS[node.op], node.name, [c.tensor(dataInputs(node)[0]), axes], {
    keepdims: node.attr?.keep_dims?.b ? 1 : 0,
    noop_with_empty_axes: 1,
  });
}

type ConvRewrite =
  | { kind: 'phased' | 'singleOutput' | 'plain' }
  | { kind: 'harmonic'; stack: HarmonicStack; factor: number }
  | { kind: 'folded'; factor: number };

/** Which of the rewrites below a convolution takes ('plain': none, a Conv between transposes). */
function convRewrite(node: GraphNode, c: Conversion): ConvRewrite {
  const filter = c.constant(node, 1);
  if (isSingleChannelStrided(node, filter)) return { kind: 'phased' };
  const factor = spaceToDepthFactor(node, filter);
  const stack = factor > 1 ? harmonicStackOf(dataInputs(node)[0], c) : undefined;
  if (stack && harmonicConvPays(filter, stack, factor)) return { kind: 'harmonic', stack, factor };
  if (factor > 1) return { kind: 'folded', factor };
  return { kind: isSingleOutputSame(node, filter) ? 'singleOutput' : 'plain' };
}

/** Conv2D, and _FusedConv2D with its BiasAdd (and Relu), on NHWC tensors with an HWIO filter. */
function conv2d(node: GraphNode, c: Conversion): void {
  const layout = stringAttr(node, 'data_format') || 'NHWC';
  if (layout !== 'NHWC') throw unsupported(node, `data_format ${layout}`);
  const { bias, relu } = fusedOps(node);
  const [input, filterInput, biasInput] = dataInputs(node);
  const filter = c.constant(node, 1);
  const rewrite = convRewrite(node, c);
  if (rewrite.kind === 'phased') return phasedConv(node, c);
  if (rewrite.kind === 'harmonic') return harmonicConv(node, c, rewrite.stack, rewrite.factor, bias, relu);
  if (rewrite.kind === 'folded') return spaceToDepthConv(node, c, rewrite.factor, bias, relu);
  if (rewrite.kind === 'singleOutput') return singleOutputConv(node, c, bias);
  const weights = c.initializer(transposed(`${tensorName(filterInput)}:oihw`, filter, HWIO_TO_OIHW));
  const strides = intsAttr(node, 'strides');
  const dilations = intsAttr(node, 'dilations');
  const attributes = {
    strides: [strides[1], strides[2]],
    dilations: dilations.length ? [dilations[1], dilations[2]] : [1, 1],
    ...convPadding(node),
  };
  const nchw = c.add('Transpose', part(node, 'nchw'), [c.tensor(input)], { perm: NHWC_TO_NCHW });
  let output = c.add(
    'Conv',
    part(node, 'conv'),
    bias ? [nchw, weights, c.tensor(biasInput)] : [nchw, weights],
    attributes,
  );
  if (relu) output = c.add('Relu', part(node, 'relu'), [output]);
  c.add('Transpose', node.name, [output], { perm: NCHW_TO_NHWC });
}

/**
 * ONNX Runtime runs convolutions in blocks of 8 or 16 channels (its NCHWc layout), so a convolution with few
 * channels leaves most of each block empty: Basic Pitch's 3×39 convolution over frequency (8 → 8 channels) ran
 * at a third of the CPU's speed. Folding `factor` neighbouring frequency bins into the channels fills the blocks:
 * the NHWC input [B, T, W, C] is read as [B, T, W/factor, factor·C] (the same bytes), convolved by a filter that
 * gives each of the factor output bins of a block its own channels, and the output read back as [B, T, W, C'].
 * The sums are the same products, so the outputs are the same but for rounding. Only stride-1, undilated SAME
 * convolutions wide enough over frequency (axis 2) and with few enough channels qualify. The folded convolution
 * is VALID over blocks but for whole blocks of zeros around them (SAME's zeros, and more), each output block
 * reading the input blocks from its own on. The graph does not say how many bins a tensor holds, so their number
 * must be a multiple of the factor (Basic Pitch's 264 are); otherwise ONNX Runtime refuses the Reshape when the
 * model runs.
 */
const SPACE_TO_DEPTH = { factor: 8, minWidth: 5, maxChannels: 64 } as const;

/** A stride-1, undilated convolution with TensorFlow's SAME padding: the only kind the rewrites below take. */
function isPlainSame(node: GraphNode): boolean {
  const plain = [...intsAttr(node, 'strides'), ...intsAttr(node, 'dilations')].every((value) => value === 1);
  return plain && stringAttr(node, 'padding') === 'SAME';
}

function spaceToDepthFactor(node: GraphNode, filter: ConstTensor): number {
  const [, width, inChannels, outChannels] = filter.shape;
  if (!isPlainSame(node) || width < SPACE_TO_DEPTH.minWidth) return 1;
  const { factor, maxChannels } = SPACE_TO_DEPTH;
  return factor * Math.max(inChannels, outChannels) <= maxChannels ? factor : 1;
}

function spaceToDepthConv(node: GraphNode, c: Conversion, factor: number, bias: boolean, relu: boolean): void {
  const [input, filterInput] = dataInputs(node);
  const filter = c.constant(node, 1);
  const folded = foldedFilter(`${tensorName(filterInput)}:oihw:s2d`, filter, factor);
  const before = Math.floor((filter.shape[1] - 1) / 2);
  // SAME's zeros before the input are whole blocks when the output blocks start `before` modulo the factor
  // bins early: one output block more, cut off at the end.
  const shift = before % factor;
  const firstBin = shift === 0 ? 0 : shift - factor;
  const padBlocks = (before - firstBin) / factor;
  const extraBlocks = shift === 0 ? 0 : 1;
  const blockPads = [padBlocks, folded.blocks - 1 + extraBlocks - padBlocks];
  const source = c.blocksOf(input, factor) ?? binsToBlocks(node, c, 's2d', c.tensor(input), factor * filter.shape[2]);
  const output = foldedConv(node, c, 's2d', source, folded.tensor, foldedBias(node, c, bias, factor), relu, blockPads);
  if (shift === 0) {
    finishInBlocks(node, c, output, factor, filter.shape[3]);
    return;
  }
  const unfolded = blocksToBins(node, c, output, filter.shape[3], part(node, 'd2s'));
  const starts = c.int64s(part(node, 'unshifted_start'), [-firstBin]);
  const ends = c.int64s(part(node, 'unshifted_end'), [-shift]);
  c.add('Slice', node.name, [unfolded, starts, ends, c.int64s(part(node, 'unshifted_axis'), [FREQUENCY_AXIS])]);
}

/**
 * The filter of a folded convolution, VALID over the input's blocks: output bin factor·j + s (channel o) sums
 * input bin factor·j + s + k times W[h, k, c, o]; that is bin r of block j + d when k = factor·d + r − s, so the
 * filter holds W[h, k, c, o] at [s·C' + o, r·C + c, h, d], and zeros where k falls outside the kernel. It spans
 * ⌊(width + factor − 2) / factor⌋ + 1 blocks: 6 for a kernel 39 bins wide, 2 for one 5 wide.
 */
function foldedFilter(name: string, filter: ConstTensor, factor: number): { tensor: TensorProto; blocks: number } {
  const [height, width, inChannels, outChannels] = filter.shape;
  const blocks = Math.floor((width + factor - 2) / factor) + 1;
  const source = new Uint32Array(new Uint8Array(filter.bytes).buffer);
  const dims = [factor * outChannels, factor * inChannels, height, blocks];
  const target = new Uint32Array(dims.reduce((size, dim) => size * dim, 1));
  for (let s = 0; s < factor; s++) {
    for (let o = 0; o < outChannels; o++) {
      for (let r = 0; r < factor; r++) {
        for (let ch = 0; ch < inChannels; ch++) {
          for (let h = 0; h < height; h++) {
            for (let d = 0; d < blocks; d++) {
              const k = factor * d + r - s;
              if (k < 0 || k >= width) continue;
              const at = (((s * outChannels + o) * dims[1] + r * inChannels + ch) * height + h) * blocks + d;
              target[at] = source[((h * width + k) * inChannels + ch) * outChannels + o];
            }
          }
        }
      }
    }
  }
  return { tensor: { name, dataType: DataType.FLOAT, dims, rawData: new Uint8Array(target.buffer) }, blocks };
}

function foldedBias(node: GraphNode, c: Conversion, bias: boolean, factor: number): string | undefined {
  return bias
    ? c.initializer(repeated(`${tensorName(dataInputs(node)[2])}:s2d`, c.constant(node, 2), factor))
    : undefined;
}

/** An NHWC tensor's bins folded `channels` (factor × its channels) to a block: NCHW [batch, channels, time, blocks]. */
function binsToBlocks(node: GraphNode, c: Conversion, piece: string, input: string, channels: number): string {
  // A 0 keeps the batch and time dimensions as they are, -1 infers the frequency blocks.
  const blocks = c.add('Reshape', part(node, piece), [
    input,
    c.int64s(part(node, `${piece}_shape`), [0, 0, INFERRED, channels]),
  ]);
  return c.add('Transpose', part(node, `${piece}_folded`), [blocks], { perm: NHWC_TO_NCHW });
}

/** A folded filter's convolution (and ReLU): VALID over blocks but for `blockPads` blocks of zeros before and after, SAME over time. */
function foldedConv(
  node: GraphNode,
  c: Conversion,
  piece: string,
  input: string,
  filter: TensorProto,
  bias: string | undefined,
  relu: boolean,
  blockPads = [0, 0],
): string {
  const height = filter.dims[2];
  const top = Math.floor((height - 1) / 2);
  const inputs = bias ? [input, c.initializer(filter), bias] : [input, c.initializer(filter)];
  const output = c.add('Conv', part(node, `${piece}_conv`), inputs, {
    strides: [1, 1],
    dilations: [1, 1],
    pads: [top, blockPads[0], height - 1 - top, blockPads[1]],
  });
  return relu ? c.add('Relu', part(node, `${piece}_relu`), [output]) : output;
}

/** A folded convolution's output read back as bins: NHWC tensor `name`. */
function blocksToBins(node: GraphNode, c: Conversion, blocks: string, outChannels: number, name: string): string {
  const nhwc = c.add('Transpose', part(node, 'unfolded'), [blocks], { perm: NCHW_TO_NHWC });
  return c.add('Reshape', name, [nhwc, c.int64s(part(node, 'd2s_shape'), [0, 0, INFERRED, outChannels])]);
}

/**
 * The node's whole output, in blocks: a folded convolution with the same factor that reads it takes it so, and
 * it is read back as bins only if some other node reads it (ONNX Runtime would compute it even if none did).
 */
function finishInBlocks(node: GraphNode, c: Conversion, blocks: string, factor: number, outChannels: number): void {
  c.keepInBlocks(node.name, factor, blocks);
  const readers = c.consumers.get(node.name) ?? [];
  const readsBlocks = (reader: GraphNode) => {
    if (reader.op !== 'Conv2D' && reader.op !== '_FusedConv2D') return false;
    const rewrite = convRewrite(reader, c);
    return tensorName(dataInputs(reader)[0]) === node.name && rewrite.kind === 'folded' && rewrite.factor === factor;
  };
  if (readers.length === 0 || !readers.every(readsBlocks)) blocksToBins(node, c, blocks, outChannels, node.name);
}

/**
 * Harmonic stacking's copies are the normalised log-CQT moved by some bins each (−36 for half the frequency, 0,
 * 36 for twice it, … 101 for seven times), so a convolution over the stack is, away from its edges, one
 * convolution over the CQT itself whose filter lays the copies' filters side by side at their shifts, summed
 * where they overlap: Basic Pitch's 3×39 (8 → 8 channels) becomes 3×176 (1 → 8), half the products once folded.
 * Near the lowest and highest bins the stack holds zeros where the CQT has neighbours, so the blocks whose kernel
 * reaches past an edge are convolved over the stack as before. The three parts are folded convolutions (above).
 */
interface HarmonicStack {
  /** How many bins each channel of the stack is moved by: channel c's bin f is the CQT's bin f + shifts[c]. */
  shifts: readonly number[];
  /** The bins the stack keeps (the CQT may have more). */
  bins: number;
  /** The stack as harmonic stacking joins it: [batch, channels, frames, bins]. */
  channelsFirst: string;
}

function harmonicConv(
  node: GraphNode,
  c: Conversion,
  stack: HarmonicStack,
  factor: number,
  bias: boolean,
  relu: boolean,
): void {
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
  const biasName = foldedBias(node, c, bias, factor);
  // `count` output blocks from bin `first` on read the input's bins from `first` plus the filter's first tap's offset.
  const span = (first: number, count: number, firstTap: number, folded: typeof stacked) =>
    [first + firstTap, first + firstTap + factor * (count + folded.blocks - 1)] as const;
  const convolve = (piece: string, nhwc: string, folded: typeof stacked) =>
    foldedConv(
      node,
      c,
      piece,
      binsToBlocks(node, c, piece, nhwc, folded.tensor.dims[1]),
      folded.tensor,
      biasName,
      relu,
    );
  // The edges read the stack channels first (as it is joined) and only their windows are transposed.
  const edge = (piece: string, first: number, count: number) => {
    const window = binWindow(
      node,
      c,
      piece,
      stack.channelsFirst,
      FREQUENCY_AXIS + 1,
      span(first, count, -before, stacked),
      stack.bins,
      false,
    );
    return convolve(piece, c.add('Transpose', part(node, `${piece}_nhwc`), [window], { perm: NCHW_TO_NHWC }), stacked);
  };
  const middleSpan = span(factor * lowBlocks, middleBlocks, Math.min(...stack.shifts) - before, merged);
  const parts = [
    edge('low', 0, lowBlocks),
    convolve(
      'middle',
      binWindow(node, c, 'middle', c.tensor(NORMALISED_CQT), FREQUENCY_AXIS, middleSpan, stack.bins, true),
      merged,
    ),
    edge('high', factor * (lowBlocks + middleBlocks), highBlocks),
  ];
  const joined = c.add('Concat', part(node, 'joined'), parts, { axis: NCHW_TO_NHWC.length - 1 });
  finishInBlocks(node, c, joined, factor, filter.shape[3]);
}

/** The blocks at the low and the high end whose outputs the filter's SAME padding reaches (3 and 3 for 39 bins). */
function edgeBlocks(filter: ConstTensor, factor: number): [low: number, high: number] {
  const width = filter.shape[1];
  const before = Math.floor((width - 1) / 2);
  return [Math.ceil(before / factor), Math.ceil((width - 1 - before) / factor)];
}

/** Does the merged filter have fewer taps than the stack's channels have between them, with whole blocks left between the edges? */
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

/**
 * Bins [from, to) of a tensor along `axis`: zeros before its bin 0 and from bin `bins` on, unless `readPast`
 * (the CQT has more bins than the stack keeps), where what lies past `bins` is read as it is.
 */
function binWindow(
  node: GraphNode,
  c: Conversion,
  piece: string,
  source: string,
  axis: number,
  [from, to]: readonly [number, number],
  bins: number,
  readPast: boolean,
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

/** The HWIO filter [h, taps, 1, o] over the CQT that sums each channel's filter at its shift: tap j is bin f + j + min(shifts) − before. */
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

/** The harmonic stack a convolution reads, if its input is harmonic stacking's crop of shifted CQT copies. */
function harmonicStackOf(input: string, c: Conversion): HarmonicStack | undefined {
  const crop = c.producer(input);
  const kept = crop?.op === 'StridedSlice' ? binRange(crop, c) : undefined;
  const joined = crop && c.producer(dataInputs(crop)[0]);
  if (!kept || kept.begin !== 0 || kept.end === undefined || kept.end <= 0 || joined?.op !== 'ConcatV2')
    return undefined;
  const inputs = dataInputs(joined);
  const axis = intValues(c.constant(joined, inputs.length - 1))[0];
  if (axis !== -1 && axis !== CHANNEL_AXIS_NHWC) return undefined;
  const shifts = inputs.slice(0, -1).map((copy) => harmonicShift(copy, c));
  if (!shifts.every((shift) => shift !== undefined)) return undefined;
  return { shifts: shifts as number[], bins: kept.end, channelsFirst: channelsFirstOf(joined) };
}

/** How far a copy in harmonic stacking is moved: the CQT itself, or a Pad of a StridedSlice of it that moves it up or down. */
function harmonicShift(copy: string, c: Conversion): number | undefined {
  if (tensorName(copy) === NORMALISED_CQT) return 0;
  const pad = c.producer(copy);
  const moved = pad?.op === 'Pad' ? c.producer(dataInputs(pad)[0]) : undefined;
  if (!pad || moved?.op !== 'StridedSlice' || tensorName(dataInputs(moved)[0]) !== NORMALISED_CQT) return undefined;
  const range = binRange(moved, c);
  const paddings = intValues(c.constant(pad, 1));
  const [before, after] = [paddings[2 * FREQUENCY_AXIS], paddings[2 * FREQUENCY_AXIS + 1]];
  if (!range || paddings.some((value, i) => value !== 0 && i !== 2 * FREQUENCY_AXIS && i !== 2 * FREQUENCY_AXIS + 1))
    return undefined;
  // Moved up: its first bins cut and as many zeros after; moved down: its last bins cut and as many zeros before.
  if (range.begin > 0 && range.end === undefined && before === 0 && after === range.begin) return range.begin;
  if (range.begin === 0 && before > 0 && range.end === -before && after === 0) return -before;
  return undefined;
}

/** The bins a StridedSlice keeps when it slices nothing else (end undefined: to the end). */
function binRange(node: GraphNode, c: Conversion): { begin: number; end?: number } | undefined {
  const masks = ['ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask'].map((name) => intAttr(node, name));
  const [begin, end, strides] = [1, 2, 3].map((index) => intValues(c.constant(node, index)));
  const [beginMask, endMask] = [intAttr(node, 'begin_mask'), intAttr(node, 'end_mask')];
  const bit = (axis: number) => 1 << axis;
  const whole = (axis: number) => ((beginMask & bit(axis)) !== 0 || begin[axis] === 0) && (endMask & bit(axis)) !== 0;
  const others = begin.every((_, axis) => axis === FREQUENCY_AXIS || whole(axis));
  if (
    masks.some((mask) => mask !== 0) ||
    strides.some((stride) => stride !== 1) ||
    begin.length <= FREQUENCY_AXIS ||
    !others
  )
    return undefined;
  return {
    begin: beginMask & bit(FREQUENCY_AXIS) ? 0 : begin[FREQUENCY_AXIS],
    end: endMask & bit(FREQUENCY_AXIS) ? undefined : end[FREQUENCY_AXIS],
  };
}

/**
 * ONNX Runtime gives a convolution with one output channel a whole block of 16 (or runs it unblocked, worse), so
 * Basic Pitch's notes' 7×3 and onsets' 3×3 convolutions took 17% of the model for 0.3% of its work. Each that is
 * not folded over frequency (above; the contours' 5×5 is, and is faster so) is instead one matrix product that
 * gives every kernel tap its own plane — plane (dt, df) is Σc W[dt, df, c, 0]·x[c] at each cell — and a sum of
 * those planes shifted into place: out[t, f] = Σ plane(dt, df) at [t + dt − top, f + df − left], zero outside,
 * which is the convolution with TensorFlow's SAME padding.
 */
function isSingleOutputSame(node: GraphNode, filter: ConstTensor): boolean {
  return isPlainSame(node) && filter.shape[3] === 1 && fusedOps(node).relu === false;
}

function singleOutputConv(node: GraphNode, c: Conversion, bias: boolean): void {
  const [input, filterInput, biasInput] = dataInputs(node);
  const filter = c.constant(node, 1);
  const [height, width, channels] = filter.shape;
  const taps = height * width;
  // HWIO with one output is already [tap][channel], the left operand of the product.
  const weights = c.initializer({
    name: `${tensorName(filterInput)}:taps`,
    dataType: DataType.FLOAT,
    dims: [taps, channels],
    rawData: filter.bytes,
  });
  const nchw = c.add('Transpose', part(node, 'nchw'), [c.tensor(input)], { perm: NHWC_TO_NCHW });
  const cells = c.add('Reshape', part(node, 'cells'), [
    nchw,
    c.int64s(part(node, 'cells_shape'), [0, channels, INFERRED]),
  ]);
  const product = c.add('MatMul', part(node, 'taps'), [weights, cells]);
  // [batch, taps, time, bins]: the bins are the input's, read from its shape (time may vary).
  const bins = c.add('Slice', part(node, 'bins'), [
    c.add('Shape', part(node, 'shape'), [nchw]),
    c.int64s(part(node, 'bins_start'), [3]),
    c.int64s(part(node, 'bins_end'), [4]),
  ]);
  const planeShape = c.add(
    'Concat',
    part(node, 'planes_shape'),
    [c.int64s(part(node, 'planes_lead'), [0, taps, INFERRED]), bins],
    { axis: 0 },
  );
  const planes = c.add('Reshape', part(node, 'planes'), [product, planeShape]);
  const top = Math.floor((height - 1) / 2);
  const left = Math.floor((width - 1) / 2);
  const padded = c.add(
    'Pad',
    part(node, 'padded'),
    [planes, c.int64s(part(node, 'pads'), [0, 0, top, left, 0, 0, height - 1 - top, width - 1 - left])],
    { mode: 'constant' },
  );
  const shifted: string[] = [];
  for (let dt = 0; dt < height; dt++) {
    for (let df = 0; df < width; df++) {
      const tap = dt * width + df;
      // Plane (dt, df) at output cell t sits at padded row t + dt; the slice ends as far before the padded end.
      const end = (over: number) => (over > 0 ? -over : TO_THE_END);
      shifted.push(
        c.add('Slice', part(node, `tap_${tap}`), [
          padded,
          c.int64s(part(node, `tap_${tap}_starts`), [tap, dt, df]),
          c.int64s(part(node, `tap_${tap}_ends`), [tap + 1, end(height - 1 - dt), end(width - 1 - df)]),
          c.int64s(part(node, `tap_${tap}_axes`), [1, 2, 3]),
        ]),
      );
    }
  }
  let output = c.add('Sum', part(node, 'sum'), shifted);
  if (bias) output = c.add('Add', part(node, 'bias'), [output, c.tensor(biasInput)]);
  c.add('Transpose', node.name, [output], { perm: NCHW_TO_NHWC });
}

/**
 * Basic Pitch's constant-Q transform halves the audio's rate octave by octave with a 256-tap low-pass filter
 * (one channel in and out, stride 2, VALID), and ONNX Runtime gives its one output channel a whole block of 16:
 * these eight filters took 13% of the model. Here they compute PHASES outputs at once: output P·j + p is
 * channel p of a convolution with stride P·s whose filter p is the filter moved s·p taps on (12% more
 * products, the block full). The channels are interleaved back into one signal and cut to the length the
 * strided filter gives, floor((L − K) / s) + 1; the input is padded with P·s zeros at the end so the last
 * outputs have their samples, the zeros only reaching outputs that are cut.
 */
const PHASES = 16;

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

function phasedConv(node: GraphNode, c: Conversion): void {
  const [input, filterInput] = dataInputs(node);
  const filter = c.constant(node, 1);
  const width = filter.shape[1];
  const stride = intsAttr(node, 'strides')[2];
  const taps = width + stride * (PHASES - 1);
  const source = new Uint32Array(new Uint8Array(filter.bytes).buffer);
  const target = new Uint32Array(PHASES * taps);
  for (let p = 0; p < PHASES; p++) target.set(source, p * taps + stride * p);
  const weights = c.initializer({
    name: `${tensorName(filterInput)}:phases`,
    dataType: DataType.FLOAT,
    dims: [PHASES, 1, 1, taps],
    rawData: new Uint8Array(target.buffer),
  });
  const nchw = c.add('Transpose', part(node, 'nchw'), [c.tensor(input)], { perm: NHWC_TO_NCHW });
  const padded = c.add(
    'Pad',
    part(node, 'padded'),
    [nchw, c.int64s(part(node, 'pads'), [0, 0, 0, 0, 0, 0, 0, PHASES * stride])],
    { mode: 'constant' },
  );
  const phases = c.add('Conv', part(node, 'conv'), [padded, weights], {
    strides: [1, PHASES * stride],
    dilations: [1, 1],
    pads: [0, 0, 0, 0],
  });
  // [batch, phase, 1, j] → [batch, 1, j, phase] → NHWC [batch, 1, j·phases, 1]: output P·j + p in order.
  const interleaved = c.add('Transpose', part(node, 'interleaved'), [phases], { perm: NCHW_TO_NHWC });
  const signal = c.add('Reshape', part(node, 'signal'), [
    interleaved,
    c.int64s(part(node, 'signal_shape'), [0, 1, INFERRED, 1]),
  ]);
  const length = c.add('Slice', part(node, 'length'), [
    c.add('Shape', part(node, 'shape'), [nchw]),
    c.int64s(part(node, 'length_start'), [3]),
    c.int64s(part(node, 'length_end'), [4]),
  ]);
  const filtered = c.add('Div', part(node, 'strided'), [
    c.add('Sub', part(node, 'span'), [length, c.int64s(part(node, 'width'), [width])]),
    c.int64s(part(node, 'stride'), [stride]),
  ]);
  const outputs = c.add('Add', part(node, 'outputs'), [filtered, c.int64s(part(node, 'one'), [1])]);
  c.add('Slice', node.name, [signal, c.int64s(part(node, 'from'), [0]), outputs, c.int64s(part(node, 'axis'), [2])]);
}

function fusedOps(node: GraphNode): { bias: boolean; relu: boolean } {
  if (node.op === 'Conv2D') return { bias: false, relu: false };
  const ops = stringsAttr(node, 'fused_ops');
  const known = ops[0] === 'BiasAdd' && (ops.length === 1 || (ops.length === 2 && ops[1] === 'Relu'));
  if (!known) throw unsupported(node, `fused ops ${ops.join(' + ')} (only BiasAdd, or BiasAdd + Relu)`);
  return { bias: true, relu: ops.length === 2 };
}

/** TensorFlow's SAME puts the odd pixel of padding at the end, as ONNX's SAME_UPPER does. */
function convPadding(node: GraphNode): Record<string, AttributeValue> {
  const padding = stringAttr(node, 'padding');
  if (padding === 'VALID') return { pads: [0, 0, 0, 0] };
  if (padding === 'SAME') return { auto_pad: 'SAME_UPPER' };
  throw unsupported(node, `padding ${padding}`);
}

/** Pad (with zeros) and MirrorPad (REFLECT, which leaves out the edge as ONNX's reflect does). */
function pad(node: GraphNode, c: Conversion): void {
  const paddings = intValues(c.constant(node, 1));
  const begins = paddings.filter((_, i) => i % 2 === 0);
  const ends = paddings.filter((_, i) => i % 2 === 1);
  const pads = c.int64s(part(node, 'pads'), [...begins, ...ends]);
  c.add('Pad', node.name, [c.tensor(dataInputs(node)[0]), pads], { mode: padMode(node) });
}

function padMode(node: GraphNode): string {
  if (node.op === 'Pad') return 'constant';
  const mode = stringAttr(node, 'mode');
  if (mode !== 'REFLECT') throw unsupported(node, `mode ${mode} (only REFLECT)`);
  return 'reflect';
}

function transpose(node: GraphNode, c: Conversion): void {
  c.add('Transpose', node.name, [c.tensor(dataInputs(node)[0])], { perm: intValues(c.constant(node, 1)) });
}

/** TensorFlow reads a 0 in the new shape as a dimension of size 0, which ONNX does only with allowzero. */
function reshape(node: GraphNode, c: Conversion): void {
  const [x, newShape] = dataInputs(node).map((input) => c.tensor(input));
  c.add('Reshape', node.name, [x, newShape], { allowzero: 1 });
}

function expandDims(node: GraphNode, c: Conversion): void {
  const axes = c.int64s(part(node, 'axes'), intValues(c.constant(node, 1)));
  c.add('Unsqueeze', node.name, [c.tensor(dataInputs(node)[0]), axes]);
}

/** Without squeeze_dims both squeeze every dimension of size 1. */
function squeeze(node: GraphNode, c: Conversion): void {
  const dims = intsAttr(node, 'squeeze_dims');
  const x = c.tensor(dataInputs(node)[0]);
  c.add('Squeeze', node.name, dims.length ? [x, c.int64s(part(node, 'axes'), dims)] : [x]);
}

function shape(node: GraphNode, c: Conversion): void {
  c.add('Shape', node.name, [c.tensor(dataInputs(node)[0])]);
}

/**
 * Pack stacks tensors along a new axis: each gets that axis, then they are concatenated along it. In a Reshape's
 * target shape, a constant that is the time axis's fixed length becomes -1, so that the time axis is dynamic.
 */
function pack(node: GraphNode, c: Conversion): void {
  const axis = intAttr(node, 'axis');
  const axes = c.int64s(part(node, 'axes'), [axis]);
  const parts = dataInputs(node).map((input, i) => {
    const value = isTimeLength(node, i, c) ? inferredLength(node, i, c) : c.tensor(input);
    return c.add('Unsqueeze', part(node, `unsqueeze_${i}`), [value, axes]);
  });
  c.add('Concat', node.name, parts, { axis });
}

function isTimeLength(node: GraphNode, index: number, c: Conversion): boolean {
  if (!c.reshapeTargets.has(node.name) || !c.isConstant(tensorName(dataInputs(node)[index]))) return false;
  const constant = c.constant(node, index);
  return constant.dtype === 'int32' && constant.shape.length === 0 && c.timeLengths.has(intValues(constant)[0]);
}

function inferredLength(node: GraphNode, index: number, c: Conversion): string {
  return c.initializer({
    name: part(node, `time_${index}`),
    dataType: DataType.INT64,
    dims: [],
    rawData: int64Bytes([INFERRED]),
  });
}

/** ConcatV2's last input is the axis. */
function concat(node: GraphNode, c: Conversion): void {
  const inputs = dataInputs(node);
  const axis = intValues(c.constant(node, inputs.length - 1))[0];
  const tensors = inputs.slice(0, -1).map((input) => c.tensor(input));
  const lastAxis = axis === -1 || axis === CHANNEL_AXIS_NHWC;
  if (lastAxis && inputs.some((input) => tensorName(input) === NORMALISED_CQT)) {
    stackHarmonics(node, c, tensors);
    return;
  }
  c.add('Concat', node.name, tensors, { axis });
}

/** The stack a harmonic stacking joins, channels first. */
function channelsFirstOf(stacking: GraphNode): string {
  return part(stacking, 'channels_first');
}

/**
 * Harmonic stacking (the graph has it twice, before the contours' and the onsets' convolutions): the normalised
 * log-CQT and its shifted copies, each `[batch, frames, bins, 1]`, joined on their last axis. ONNX Runtime's
 * Concat copies one element at a time when each input's part of the joined axis is one element, so the copies
 * are joined as channels first, `[batch, 8, frames, bins]`, and transposed to the graph's `[batch, frames, bins, 8]`
 * (ONNX Runtime's optimiser then cancels that transpose against the onsets' convolution's own). The stack is
 * read only through a crop to its first bins (264 of the CQT's 309), so each copy is cut to those before they
 * are joined, and the crop reads the stack as it is.
 */
function stackHarmonics(node: GraphNode, c: Conversion, copies: readonly string[]): void {
  const crops = c.consumers.get(node.name) ?? [];
  const kept = crops.map((crop) => (crop.op === 'StridedSlice' ? binRange(crop, c) : undefined));
  const bins = kept[0]?.end;
  const cropped = bins !== undefined && bins > 0 && kept.every((range) => range?.begin === 0 && range.end === bins);
  const channelAxis = c.int64s(part(node, 'channel_axis'), [CHANNEL_AXIS_NHWC]);
  const firstAxis = c.int64s(part(node, 'first_axis'), [CHANNEL_AXIS_NCHW]);
  const planes = copies.map((copy, i) => {
    const cut = cropped
      ? c.add('Slice', part(node, `kept_${i}`), [
          copy,
          c.int64s(part(node, 'kept_start'), [0]),
          c.int64s(part(node, 'kept_end'), [bins]),
          c.int64s(part(node, 'kept_axis'), [FREQUENCY_AXIS]),
        ])
      : copy;
    const squeezed = c.add('Squeeze', part(node, `bins_${i}`), [cut, channelAxis]);
    return c.add('Unsqueeze', part(node, `plane_${i}`), [squeezed, firstAxis]);
  });
  const joined = c.add('Concat', channelsFirstOf(node), planes, { axis: CHANNEL_AXIS_NCHW });
  if (cropped) for (const crop of crops) c.fold(crop.name, node.name);
  c.add('Transpose', node.name, [joined], { perm: NCHW_TO_NHWC });
}

/**
 * StridedSlice → Slice over the input's axes, Squeeze for the shrunk ones, Unsqueeze for the new ones.
 * Each position i of begin/end/strides either adds a new axis (new_axis_mask bit i) or slices the next input
 * axis: from begin (or its start, begin_mask), to end (or its end, end_mask), or keeps only index begin and
 * drops the axis (shrink_axis_mask). Input axes past the spec are kept whole.
 */
function stridedSlice(node: GraphNode, c: Conversion): void {
  if (intAttr(node, 'ellipsis_mask') !== 0) throw unsupported(node, 'ellipsis_mask');
  const [begin, end, strides] = [1, 2, 3].map((index) => intValues(c.constant(node, index)));
  const [beginMask, endMask, shrinkMask, newAxisMask] = [
    'begin_mask',
    'end_mask',
    'shrink_axis_mask',
    'new_axis_mask',
  ].map((name) => intAttr(node, name));
  const slice = { starts: [] as number[], ends: [] as number[], axes: [] as number[], steps: [] as number[] };
  const shrunk: number[] = [];
  const added: number[] = [];
  let inputAxis = 0;
  let outputAxis = 0;
  for (let i = 0; i < begin.length; i++) {
    const bit = 1 << i;
    if (newAxisMask & bit) {
      added.push(outputAxis++);
      continue;
    }
    const step = strides[i];
    const start = beginMask & bit ? (step > 0 ? 0 : TO_THE_END) : begin[i];
    let stop = endMask & bit ? (step > 0 ? TO_THE_END : -TO_THE_END) : end[i];
    if (shrinkMask & bit) {
      stop = start === -1 ? TO_THE_END : start + 1;
      shrunk.push(inputAxis);
    } else {
      outputAxis++;
    }
    const whole = start === 0 && stop === TO_THE_END && step === 1;
    if (!whole) {
      slice.starts.push(start);
      slice.ends.push(stop);
      slice.axes.push(inputAxis);
      slice.steps.push(shrinkMask & bit ? 1 : step);
    }
    inputAxis++;
  }

  const stages: Array<[opType: string, extraInputs: string[]]> = [];
  if (slice.axes.length) {
    const parts = Object.entries(slice).map(([name, values]) => c.int64s(part(node, name), values));
    stages.push(['Slice', parts]);
  }
  if (shrunk.length) stages.push(['Squeeze', [c.int64s(part(node, 'shrunk_axes'), shrunk)]]);
  if (added.length) stages.push(['Unsqueeze', [c.int64s(part(node, 'new_axes'), added)]]);
  if (!stages.length) stages.push(['Identity', []]);
  let output = c.tensor(dataInputs(node)[0]);
  stages.forEach(([opType, extraInputs], i) => {
    const name = i === stages.length - 1 ? node.name : part(node, opType.toLowerCase());
    output = c.add(opType, name, [output, ...extraInputs]);
  });
}

/** The last `frames` frames of the node's output (time is axis 1) stand in for all of it from here on. */
function cutTail(node: GraphNode, c: Conversion, frames: number): void {
  if (!Number.isInteger(frames) || frames < 1)
    throw new Error(`tailFrames ${frames}: use a whole number of frames, 1 or more`);
  const starts = c.int64s(part(node, 'tail_starts'), [-frames]);
  const ends = c.int64s(part(node, 'tail_ends'), [TO_THE_END]);
  const axes = c.int64s(part(node, 'tail_axes'), [TIME_AXIS]);
  c.replace(node.name, c.add('Slice', part(node, 'tail'), [node.name, starts, ends, axes]));
}

// --- the graph around the ops -------------------------------------------------------------------------------

/** Nodes in an order where every node comes after its inputs' nodes (file order where it already is). */
function topologicalOrder(nodes: readonly GraphNode[]): GraphNode[] {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const visited = new Set<string>();
  const order: GraphNode[] = [];
  const visit = (node: GraphNode): void => {
    if (visited.has(node.name)) return;
    visited.add(node.name);
    for (const input of node.input ?? []) {
      const producer = byName.get(input.replace(/^\^/, '').replace(/:\d+$/, ''));
      if (producer) visit(producer);
    }
    order.push(node);
  };
  nodes.forEach(visit);
  return order;
}

function placeholderInput(node: GraphNode): ValueInfoProto {
  if (node.attr?.dtype?.type !== 'DT_FLOAT') throw unsupported(node, `input type ${node.attr?.dtype?.type}`);
  return {
    name: node.name,
    elemType: DataType.FLOAT,
    dims: placeholderDims(node).map((size, axis) => dimension(size, axis, INPUT_TIME)),
  };
}

function placeholderDims(node: GraphNode): number[] {
  return (node.attr?.shape?.shape?.dim ?? []).map(({ size }) => Number(size));
}

/** The input's length in samples and the outputs' in frames, as the graph fixes them. */
function timeLengths(json: GraphModelJson): Set<number> {
  const placeholders = json.modelTopology.node.filter((node) => node.op === 'Placeholder');
  const outputs = Object.values(json.signature?.outputs ?? {}).map((output) =>
    (output.tensorShape?.dim ?? []).map(({ size }) => Number(size)),
  );
  return new Set(
    [...placeholders.map(placeholderDims), ...outputs].map((dims) => dims[TIME_AXIS]).filter((size) => size > 0),
  );
}

function consumersOf(json: GraphModelJson): Map<string, GraphNode[]> {
  const consumers = new Map<string, GraphNode[]>();
  for (const node of json.modelTopology.node) {
    for (const input of dataInputs(node)) {
      const producer = tensorName(input);
      consumers.set(producer, [...(consumers.get(producer) ?? []), node]);
    }
  }
  return consumers;
}

function producersOf(json: GraphModelJson): Map<string, GraphNode> {
  return new Map(json.modelTopology.node.map((node) => [node.name, node]));
}

function reshapeTargets(json: GraphModelJson): Set<string> {
  return new Set(
    json.modelTopology.node
      .filter((node) => node.op === 'Reshape')
      .map((node) => tensorName(dataInputs(node)[1] ?? '')),
  );
}

/** The output's type and shape, from the model's signature. */
function graphOutput(json: GraphModelJson, name: string): ValueInfoProto {
  const entry = Object.values(json.signature?.outputs ?? {}).find((output) => tensorName(output.name) === name);
  if (!entry || !json.modelTopology.node.some((node) => node.name === name)) {
    throw new Error(`the graph has no output ${name}; is this Basic Pitch's model.json?`);
  }
  const dims = (entry.tensorShape?.dim ?? []).map(({ size }) => Number(size));
  return { name, elemType: DataType.FLOAT, dims: dims.map((size, axis) => dimension(size, axis, OUTPUT_TIME)) };
}

/** The batch and time axes are dynamic; the others keep the graph's sizes. */
function dimension(size: number, axis: number, time: string): number | string {
  if (axis === 0 && size < 0) return BATCH;
  if (axis === TIME_AXIS) return time;
  if (size >= 0) return size;
  throw new Error(`only the batch and time dimensions of an input or output may be dynamic, not dimension ${axis}`);
}

// --- constants ----------------------------------------------------------------------------------------------

/** The graph's constants, read from the weights in manifest order. */
function readConstants(json: GraphModelJson, weights: Uint8Array): Map<string, ConstTensor> {
  const constants = new Map<string, ConstTensor>();
  let offset = 0;
  for (const entry of json.weightsManifest.flatMap((group) => group.weights)) {
    if (entry.quantization) throw new Error(`weight ${entry.name}: quantized weights are not supported`);
    if (entry.dtype !== 'float32' && entry.dtype !== 'int32')
      throw new Error(`weight ${entry.name}: dtype ${entry.dtype} is not supported`);
    const length = 4 * entry.shape.reduce((size, dim) => size * dim, 1);
    if (offset + length > weights.length)
      throw new Error(`the weights end before ${entry.name}: is a weight shard missing?`);
    constants.set(entry.name, {
      dtype: entry.dtype,
      shape: entry.shape,
      bytes: weights.subarray(offset, offset + length),
    });
    offset += length;
  }
  if (offset !== weights.length)
    throw new Error(`the weights hold ${weights.length} bytes, the manifest describes ${offset}`);
  return constants;
}

function constantInitializer(name: string, constant: ConstTensor): TensorProto {
  if (constant.dtype === 'float32')
    return { name, dataType: DataType.FLOAT, dims: constant.shape, rawData: constant.bytes };
  return { name, dataType: DataType.INT64, dims: constant.shape, rawData: int64Bytes(intValues(constant)) };
}

function intValues(constant: ConstTensor): number[] {
  if (constant.dtype !== 'int32') throw new Error(`expected an int32 constant, got ${constant.dtype}`);
  const view = new DataView(constant.bytes.buffer, constant.bytes.byteOffset, constant.bytes.byteLength);
  return Array.from({ length: constant.bytes.length / 4 }, (_, i) => view.getInt32(4 * i, true));
}

function int64Bytes(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(8 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setBigInt64(8 * i, BigInt(value), true));
  return bytes;
}

/** A float constant with its axes permuted (whole 4-byte elements are moved, so byte order is kept). */
function transposed(name: string, constant: ConstTensor, perm: readonly number[]): TensorProto {
  const { shape } = constant;
  const source = new Uint32Array(new Uint8Array(constant.bytes).buffer);
  const target = new Uint32Array(source.length);
  const dims = perm.map((axis) => shape[axis]);
  const sourceStrides = shape.map((_, axis) => shape.slice(axis + 1).reduce((size, dim) => size * dim, 1));
  const index = dims.map(() => 0);
  for (let i = 0; i < target.length; i++) {
    target[i] = source[index.reduce((offset, position, axis) => offset + position * sourceStrides[perm[axis]], 0)];
    for (let axis = dims.length - 1; axis >= 0 && ++index[axis] === dims[axis]; axis--) index[axis] = 0;
  }
  return { name, dataType: DataType.FLOAT, dims, rawData: new Uint8Array(target.buffer) };
}

/** A float constant repeated `times` times end to end. */
function repeated(name: string, constant: ConstTensor, times: number): TensorProto {
  const rawData = new Uint8Array(times * constant.bytes.length);
  for (let i = 0; i < times; i++) rawData.set(constant.bytes, i * constant.bytes.length);
  return { name, dataType: DataType.FLOAT, dims: [times * constant.shape[0]], rawData };
}

// --- reading nodes ------------------------------------------------------------------------------------------

/** A node's tensor inputs, without its control dependencies (`^name`). */
function dataInputs(node: GraphNode): string[] {
  return (node.input ?? []).filter((input) => !input.startsWith('^'));
}

/** tfjs names a node's first output after the node ("name" or "name:0"), the others "name:k". */
function tensorName(input: string): string {
  return input.replace(/:0$/, '');
}

function attribute(node: GraphNode, name: string): GraphAttr | undefined {
  return node.attr?.[name];
}

/** An int attribute; protobuf JSON leaves out zeros. */
function intAttr(node: GraphNode, name: string): number {
  return Number(attribute(node, name)?.i ?? 0);
}

function intsAttr(node: GraphNode, name: string): number[] {
  return (attribute(node, name)?.list?.i ?? []).map(Number);
}

function stringAttr(node: GraphNode, name: string): string {
  return Buffer.from(attribute(node, name)?.s ?? '', 'base64').toString('utf8');
}

function stringsAttr(node: GraphNode, name: string): string[] {
  return (attribute(node, name)?.list?.s ?? []).map((value) => Buffer.from(value, 'base64').toString('utf8'));
}

/**
 * The name of a tensor or node the conversion adds for `node`. TensorFlow node names cannot hold a colon
 * (tfjs only uses one before an output's number), so these never collide with the graph's own names.
 */
function part(node: GraphNode, suffix: string): string {
  return `${node.name}:${suffix}`;
}

function unsupported(node: GraphNode, what: string): Error {
  return new Error(`node "${node.name}" (${node.op}): ${what} is not supported by the ONNX converter`);
}
