/**
 * The op converters for every op but the convolutions and ConcatV2 (build time): element-wise ops, reductions,
 * and the ops that pad, slice and reshape tensors. Each adds the ONNX nodes that compute its tfjs node's output.
 */
import type { Conversion, OpConverter } from './conversion.js';
import type { GraphNode } from './graphModel.js';
import { CHANNEL_AXIS_NHWC, INFERRED, NORMALISED_CQT, TO_THE_END } from './layout.js';
import { dataInputs, intAttr, intsAttr, part, stringAttr, tensorName, unsupported } from './nodes.js';
import { DataType } from './protobuf.js';
import { int64Bytes, intValues } from './tensors.js';

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

export const ELEMENTWISE_OPS: Readonly<Record<string, OpConverter>> = {
  ...Object.fromEntries(Object.keys(SAME_OP).map((op) => [op, sameOp])),
  Square: square,
  DivNoNan: divNoNan,
};

export const REDUCTION_OPS: Readonly<Record<string, OpConverter>> = Object.fromEntries(
  Object.keys(REDUCTIONS).map((op) => [op, reduction]),
);

export const SHAPE_OPS: Readonly<Record<string, OpConverter>> = {
  Pad: pad,
  MirrorPad: pad,
  Transpose: transpose,
  Reshape: reshape,
  ExpandDims: expandDims,
  Squeeze: squeeze,
  Shape: shape,
  Pack: pack,
  StridedSlice: stridedSlice,
};

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
 * trailing axis of one element ONNX Runtime adds element by element, far slower than with the bins last.
 * Squeeze and Unsqueeze only relabel the tensor's shape.
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

/** A scalar that ONNX reads as the time axis's length inferred. */
function inferredLength(node: GraphNode, index: number, c: Conversion): string {
  return c.initializer({
    name: part(node, `time_${index}`),
    dataType: DataType.INT64,
    dims: [],
    rawData: int64Bytes([INFERRED]),
  });
}

/** What a StridedSlice does to its input: the slice over the input's axes, the axes it drops and those it adds. */
interface SliceSpec {
  slice: { starts: number[]; ends: number[]; axes: number[]; steps: number[] };
  shrunk: number[];
  added: number[];
}

/**
 * Each position i of begin/end/strides either adds a new axis (new_axis_mask bit i) or slices the next input
 * axis: from begin (or its start, begin_mask), to end (or its end, end_mask), or keeps only index begin and
 * drops the axis (shrink_axis_mask). Input axes past the spec are kept whole.
 */
function sliceSpec(node: GraphNode, c: Conversion): SliceSpec {
  const [begin, end, strides] = [1, 2, 3].map((index) => intValues(c.constant(node, index)));
  const [beginMask, endMask, shrinkMask, newAxisMask] = [
    'begin_mask',
    'end_mask',
    'shrink_axis_mask',
    'new_axis_mask',
  ].map((name) => intAttr(node, name));
  const spec: SliceSpec = { slice: { starts: [], ends: [], axes: [], steps: [] }, shrunk: [], added: [] };
  let inputAxis = 0;
  let outputAxis = 0;
  for (let i = 0; i < begin.length; i++) {
    const bit = 1 << i;
    if (newAxisMask & bit) {
      spec.added.push(outputAxis++);
      continue;
    }
    const step = strides[i];
    const start = beginMask & bit ? (step > 0 ? 0 : TO_THE_END) : begin[i];
    let stop = endMask & bit ? (step > 0 ? TO_THE_END : -TO_THE_END) : end[i];
    if (shrinkMask & bit) {
      stop = start === -1 ? TO_THE_END : start + 1;
      spec.shrunk.push(inputAxis);
    } else {
      outputAxis++;
    }
    const whole = start === 0 && stop === TO_THE_END && step === 1;
    if (!whole) {
      spec.slice.starts.push(start);
      spec.slice.ends.push(stop);
      spec.slice.axes.push(inputAxis);
      spec.slice.steps.push(shrinkMask & bit ? 1 : step);
    }
    inputAxis++;
  }
  return spec;
}

/** StridedSlice → Slice over the input's axes, Squeeze for the shrunk ones, Unsqueeze for the new ones. */
function stridedSlice(node: GraphNode, c: Conversion): void {
  if (intAttr(node, 'ellipsis_mask') !== 0) throw unsupported(node, 'ellipsis_mask');
  const { slice, shrunk, added } = sliceSpec(node, c);
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
