/**
 * A minimal protobuf writer for the ONNX messages a converted model needs (build time: the engine only reads them).
 * Field numbers and types follow onnx.proto (proto2). Fields are written in field-number order and repeated scalars
 * unpacked, as the schema declares them, so the same model always gives the same bytes.
 */

/** TensorProto.DataType values jam writes. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

/** Attribute values: an int, a list of ints, or a string (the only kinds the converted ops use). */
export type AttributeValue = number | readonly number[] | string;

export interface TensorProto {
  name: string;
  dataType: DataType;
  dims: readonly number[];
  /** Little-endian element bytes. */
  rawData: Uint8Array;
}

export interface NodeProto {
  name: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Readonly<Record<string, AttributeValue>>;
}

/** A graph input or output: a tensor's name, element type and shape (a string names a dynamic dimension). */
export interface ValueInfoProto {
  name: string;
  elemType: DataType;
  dims: readonly (number | string)[];
}

export interface GraphProto {
  name: string;
  nodes: readonly NodeProto[];
  initializers: readonly TensorProto[];
  inputs: readonly ValueInfoProto[];
  outputs: readonly ValueInfoProto[];
}

export interface ModelProto {
  irVersion: number;
  producerName: string;
  graph: GraphProto;
  /** The version of the default ("ai.onnx") operator set. */
  opsetVersion: number;
}

/** AttributeProto.AttributeType values. */
const AttributeType = { INT: 2, STRING: 3, INTS: 7 } as const;

/** Protobuf wire types. */
const VARINT = 0;
const LENGTH_DELIMITED = 2;

/** Collects one message's fields; nested messages are encoded first and written as bytes. */
class MessageWriter {
  private readonly chunks: Uint8Array[] = [];

  /** An int32/int64/enum field. Negative values take ten bytes, as protobuf encodes them. */
  varint(field: number, value: number): this {
    this.key(field, VARINT);
    this.chunks.push(encodeVarint(BigInt.asUintN(64, BigInt(value))));
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, LENGTH_DELIMITED);
    this.chunks.push(encodeVarint(BigInt(value.length)), value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    return concatBytes(this.chunks);
  }

  private key(field: number, wireType: number): void {
    this.chunks.push(encodeVarint(BigInt((field << 3) | wireType)));
  }
}

function encodeVarint(value: bigint): Uint8Array {
  const bytes: number[] = [];
  do {
    const low = Number(value & 0x7fn);
    value >>= 7n;
    bytes.push(value > 0n ? low | 0x80 : low);
  } while (value > 0n);
  return Uint8Array.from(bytes);
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export function encodeModel(model: ModelProto): Uint8Array {
  const opset = new MessageWriter().varint(2, model.opsetVersion).finish();
  return new MessageWriter()
    .varint(1, model.irVersion)
    .string(2, model.producerName)
    .bytes(7, encodeGraph(model.graph))
    .bytes(8, opset)
    .finish();
}

function encodeGraph(graph: GraphProto): Uint8Array {
  const writer = new MessageWriter();
  for (const node of graph.nodes) writer.bytes(1, encodeNode(node));
  writer.string(2, graph.name);
  for (const tensor of graph.initializers) writer.bytes(5, encodeTensor(tensor));
  for (const input of graph.inputs) writer.bytes(11, encodeValueInfo(input));
  for (const output of graph.outputs) writer.bytes(12, encodeValueInfo(output));
  return writer.finish();
}

function encodeNode(node: NodeProto): Uint8Array {
  const writer = new MessageWriter();
  for (const input of node.inputs) writer.string(1, input);
  for (const output of node.outputs) writer.string(2, output);
  writer.string(3, node.name).string(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) writer.bytes(5, encodeAttribute(name, value));
  return writer.finish();
}

function encodeAttribute(name: string, value: AttributeValue): Uint8Array {
  const writer = new MessageWriter().string(1, name);
  if (typeof value === 'number') return writer.varint(3, value).varint(20, AttributeType.INT).finish();
  if (typeof value === 'string') return writer.string(4, value).varint(20, AttributeType.STRING).finish();
  for (const item of value) writer.varint(8, item);
  return writer.varint(20, AttributeType.INTS).finish();
}

function encodeTensor(tensor: TensorProto): Uint8Array {
  const writer = new MessageWriter();
  for (const dim of tensor.dims) writer.varint(1, dim);
  return writer.varint(2, tensor.dataType).string(8, tensor.name).bytes(9, tensor.rawData).finish();
}

function encodeValueInfo(info: ValueInfoProto): Uint8Array {
  const shape = new MessageWriter();
  for (const dim of info.dims) {
    const dimension = typeof dim === 'number' ? new MessageWriter().varint(1, dim) : new MessageWriter().string(2, dim);
    shape.bytes(1, dimension.finish());
  }
  const tensorType = new MessageWriter().varint(1, info.elemType).bytes(2, shape.finish()).finish();
  const type = new MessageWriter().bytes(1, tensorType).finish();
  return new MessageWriter().string(1, info.name).bytes(2, type).finish();
}
