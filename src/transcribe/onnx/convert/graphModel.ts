/**
 * The parts of a TensorFlow.js graph model (`model.json` and its weight shards) the ONNX converter reads at build
 * time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A node attribute as the tfjs converter writes it: ints as decimal strings, strings base64-encoded. */
export interface GraphAttr {
  i?: string;
  b?: boolean;
  s?: string;
  type?: string;
  list?: { i?: string[]; s?: string[] };
  shape?: { dim?: Array<{ size: string }> };
}

export interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, GraphAttr>;
}

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/** A tensor the model's signature names: `name` is "node:0", sizes are decimal strings, -1 when dynamic. */
export interface SignatureTensor {
  name: string;
  tensorShape?: { dim?: Array<{ size: string }> };
}

export interface GraphModelJson {
  modelTopology: { node: GraphNode[] };
  weightsManifest: Array<{ paths: string[]; weights: WeightEntry[] }>;
  signature?: { inputs?: Record<string, SignatureTensor>; outputs?: Record<string, SignatureTensor> };
}

export interface GraphModel {
  json: GraphModelJson;
  /** Every shard's bytes, concatenated in the manifest's order (as tfjs reads them). */
  weights: Uint8Array;
}

/** Reads `model.json` and its weight shards from `dir`. */
export function readGraphModel(dir: string): GraphModel {
  const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as GraphModelJson;
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((file) => readFileSync(path.join(dir, file))));
  return { json, weights: Buffer.concat(shards) };
}
