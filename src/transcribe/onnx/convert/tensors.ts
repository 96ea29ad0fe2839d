/**
 * The graph's constant tensors: read from the weight shards, and turned into ONNX initializers (build time).
 */
import type { GraphModelJson } from './graphModel.js';
import { DataType, type TensorProto } from './protobuf.js';

export interface ConstTensor {
  dtype: 'float32' | 'int32';
  shape: readonly number[];
  /** Little-endian element bytes, as tfjs stores them. */
  bytes: Uint8Array;
}

/** The graph's constants, read from the weights in manifest order. */
export function readConstants(json: GraphModelJson, weights: Uint8Array): Map<string, ConstTensor> {
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

/** A constant as ONNX wants it: floats as they are, ints widened to int64. */
export function constantInitializer(name: string, constant: ConstTensor): TensorProto {
  if (constant.dtype === 'float32')
    return { name, dataType: DataType.FLOAT, dims: constant.shape, rawData: constant.bytes };
  return { name, dataType: DataType.INT64, dims: constant.shape, rawData: int64Bytes(intValues(constant)) };
}

export function intValues(constant: ConstTensor): number[] {
  if (constant.dtype !== 'int32') throw new Error(`expected an int32 constant, got ${constant.dtype}`);
  const view = new DataView(constant.bytes.buffer, constant.bytes.byteOffset, constant.bytes.byteLength);
  return Array.from({ length: constant.bytes.length / 4 }, (_, i) => view.getInt32(4 * i, true));
}

export function int64Bytes(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(8 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setBigInt64(8 * i, BigInt(value), true));
  return bytes;
}

/** A float constant with its axes permuted (whole 4-byte elements are moved, so byte order is kept). */
export function transposed(name: string, constant: ConstTensor, perm: readonly number[]): TensorProto {
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
export function repeated(name: string, constant: ConstTensor, times: number): TensorProto {
  const rawData = new Uint8Array(times * constant.bytes.length);
  for (let i = 0; i < times; i++) rawData.set(constant.bytes, i * constant.bytes.length);
  return { name, dataType: DataType.FLOAT, dims: [times * constant.shape[0]], rawData };
}
