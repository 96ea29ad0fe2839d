/**
 * Basic Pitch's TensorFlow.js graph model → an ONNX model for ONNX Runtime, op by op. This runs at build time
 * (scripts/build-model.js), never when jam transcribes: the engine loads the model written here.
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
import { MODEL_OUTPUT_NAMES } from '../../constants.js';
import { conv2d } from './conv2d.js';
import { Conversion, type OpConverter } from './conversion.js';
import { graphFacts, graphOutput, placeholderInput, topologicalOrder } from './graph.js';
import type { GraphModelJson, GraphNode } from './graphModel.js';
import { NORMALISED_CQT, TIME_AXIS, TO_THE_END } from './layout.js';
import { part } from './nodes.js';
import { ELEMENTWISE_OPS, REDUCTION_OPS, SHAPE_OPS } from './ops.js';
import { encodeModel, type ValueInfoProto } from './protobuf.js';
import { concat } from './stacking.js';

/** Opset 18 is the first where every reduction takes its axes as an input; IR version 8 came with it. */
const OPSET_VERSION = 18;
const IR_VERSION = 8;

export interface ConversionOptions {
  /** Output only the last this many frames of each window, computing the network on them alone. */
  tailFrames?: number;
}

const CONVERTERS: Readonly<Record<string, OpConverter>> = {
  ...ELEMENTWISE_OPS,
  ...REDUCTION_OPS,
  Conv2D: conv2d,
  _FusedConv2D: conv2d,
  ...SHAPE_OPS,
  ConcatV2: concat,
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
  const conversion = new Conversion(graphFacts(json, weights));
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
    convertNode(node, conversion);
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

function convertNode(node: GraphNode, conversion: Conversion): void {
  const convert = CONVERTERS[node.op];
  if (!convert)
    throw new Error(`node "${node.name}": unknown op ${node.op}; the ONNX converter does not know how to map it`);
  convert(node, conversion);
}

/** The last `frames` frames of the node's output stand in for all of it from here on. */
function cutTail(node: GraphNode, c: Conversion, frames: number): void {
  if (!Number.isInteger(frames) || frames < 1)
    throw new Error(`tailFrames ${frames}: use a whole number of frames, 1 or more`);
  const starts = c.int64s(part(node, 'tail_starts'), [-frames]);
  const ends = c.int64s(part(node, 'tail_ends'), [TO_THE_END]);
  const axes = c.int64s(part(node, 'tail_axes'), [TIME_AXIS]);
  c.replace(node.name, c.add('Slice', part(node, 'tail'), [node.name, starts, ends, axes]));
}
