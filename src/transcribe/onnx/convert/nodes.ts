/**
 * Reading a tfjs graph node's inputs and attributes, and naming what the conversion adds for it (build time).
 */
import type { GraphAttr, GraphNode } from './graphModel.js';

/** A node's tensor inputs, without its control dependencies (`^name`). */
export function dataInputs(node: GraphNode): string[] {
  return (node.input ?? []).filter((input) => !input.startsWith('^'));
}

/** tfjs names a node's first output after the node ("name" or "name:0"), the others "name:k". */
export function tensorName(input: string): string {
  return input.replace(/:0$/, '');
}

function attribute(node: GraphNode, name: string): GraphAttr | undefined {
  return node.attr?.[name];
}

/** An int attribute; protobuf JSON leaves out zeros. */
export function intAttr(node: GraphNode, name: string): number {
  return Number(attribute(node, name)?.i ?? 0);
}

export function intsAttr(node: GraphNode, name: string): number[] {
  return (attribute(node, name)?.list?.i ?? []).map(Number);
}

export function stringAttr(node: GraphNode, name: string): string {
  return Buffer.from(attribute(node, name)?.s ?? '', 'base64').toString('utf8');
}

export function stringsAttr(node: GraphNode, name: string): string[] {
  return (attribute(node, name)?.list?.s ?? []).map((value) => Buffer.from(value, 'base64').toString('utf8'));
}

/**
 * The name of a tensor or node the conversion adds for `node`. TensorFlow node names cannot hold a colon
 * (tfjs only uses one before an output's number), so these never collide with the graph's own names.
 */
export function part(node: GraphNode, suffix: string): string {
  return `${node.name}:${suffix}`;
}

export function unsupported(node: GraphNode, what: string): Error {
  return new Error(`node "${node.name}" (${node.op}): ${what} is not supported by the ONNX converter`);
}
