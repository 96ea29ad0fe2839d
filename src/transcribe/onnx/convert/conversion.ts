/**
 * The state of one conversion: the ONNX nodes written so far, the constants they use, and what the graph says
 * about its nodes (build time). The op converters read and add to it.
 */
import type { GraphNode } from './graphModel.js';
import { dataInputs, tensorName } from './nodes.js';
import { DataType, type AttributeValue, type NodeProto, type TensorProto } from './protobuf.js';
import { constantInitializer, int64Bytes, type ConstTensor } from './tensors.js';

/** Adds the ONNX nodes that compute a tfjs node's output. */
export type OpConverter = (node: GraphNode, c: Conversion) => void;

/** What the converters need to know about the graph as a whole. */
export interface GraphFacts {
  constants: ReadonlyMap<string, ConstTensor>;
  /** The graph's fixed lengths of the time axis: the input's samples and the outputs' frames. */
  timeLengths: ReadonlySet<number>;
  /** Nodes whose output is the target shape of a Reshape. */
  reshapeTargets: ReadonlySet<string>;
  /** The nodes that read each node's output. */
  consumers: ReadonlyMap<string, readonly GraphNode[]>;
  /** The node that computes each tensor (a node's first output is named after it). */
  producers: ReadonlyMap<string, GraphNode>;
}

export class Conversion {
  readonly nodes: NodeProto[] = [];
  readonly timeLengths: ReadonlySet<number>;
  readonly reshapeTargets: ReadonlySet<string>;
  readonly consumers: ReadonlyMap<string, readonly GraphNode[]>;
  private readonly constants: ReadonlyMap<string, ConstTensor>;
  private readonly producers: ReadonlyMap<string, GraphNode>;
  private readonly used = new Map<string, TensorProto>();
  /** Tensors that later nodes read under another name (the tail cut from a tensor, instead of the tensor). */
  private readonly replaced = new Map<string, string>();
  /** Nodes an earlier node's conversion already computed: they are not converted again. */
  private readonly folded = new Set<string>();
  /** Outputs of convolutions folded over frequency, as they came out in blocks of `factor` bins. */
  private readonly inBlocks = new Map<string, { factor: number; tensor: string }>();

  constructor(facts: GraphFacts) {
    this.constants = facts.constants;
    this.timeLengths = facts.timeLengths;
    this.reshapeTargets = facts.reshapeTargets;
    this.consumers = facts.consumers;
    this.producers = facts.producers;
  }

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
