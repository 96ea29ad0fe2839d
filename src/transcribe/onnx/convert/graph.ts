/**
 * The graph around the ops (build time): the order nodes are converted in, what the converters need to know about
 * the graph as a whole, and the ONNX model's inputs and outputs with their dynamic batch and time axes.
 */
import type { GraphFacts } from './conversion.js';
import type { GraphModelJson, GraphNode } from './graphModel.js';
import { TIME_AXIS } from './layout.js';
import { dataInputs, tensorName, unsupported } from './nodes.js';
import { DataType, type ValueInfoProto } from './protobuf.js';
import { readConstants } from './tensors.js';

/**
 * The names of the dynamic dimensions: the first of the input and outputs, then the input's and the outputs' second.
 */
const BATCH = 'batch';
const INPUT_TIME = 'samples';
const OUTPUT_TIME = 'frames';

/** Nodes in an order where every node comes after its inputs' nodes (file order where it already is). */
export function topologicalOrder(nodes: readonly GraphNode[]): GraphNode[] {
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

export function graphFacts(json: GraphModelJson, weights: Uint8Array): GraphFacts {
  return {
    constants: readConstants(json, weights),
    timeLengths: timeLengths(json),
    reshapeTargets: reshapeTargets(json),
    consumers: consumersOf(json),
    producers: producersOf(json),
  };
}

export function placeholderInput(node: GraphNode): ValueInfoProto {
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
export function graphOutput(json: GraphModelJson, name: string): ValueInfoProto {
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
