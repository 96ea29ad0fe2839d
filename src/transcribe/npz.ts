/**
 * numpy `.npz` writing: a ZIP archive (stored, uncompressed) of `<name>.npy` float32 arrays, so model
 * outputs can be compared with the Python reference in numpy.
 */
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';

export interface NpyArray {
  data: Float32Array;
  shape: number[];
}

const NPY_MAGIC = Buffer.from('\x93NUMPY', 'latin1');
const NPY_VERSION = [1, 0];
/** Magic, two version bytes and the uint16 header length come before the header dict. */
const NPY_PREAMBLE_BYTES = NPY_MAGIC.length + 2 + 2;
/** numpy aligns the start of the data to 64 bytes. */
const NPY_ALIGNMENT = 64;
const NPY_MAX_HEADER_BYTES = 0xffff;

const ZIP_LOCAL_HEADER_SIGNATURE = 0x04034b50;
const ZIP_CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const ZIP_END_SIGNATURE = 0x06054b50;
const ZIP_LOCAL_HEADER_BYTES = 30;
const ZIP_CENTRAL_HEADER_BYTES = 46;
const ZIP_END_BYTES = 22;
/** ZIP 2.0 is enough for stored entries without ZIP64. */
const ZIP_VERSION = 20;
/** General purpose flag bit 11: the file name is UTF-8. */
const ZIP_FLAG_UTF8 = 0x0800;
const ZIP_METHOD_STORED = 0;
/** A fixed timestamp (1980-01-01 00:00, the earliest DOS date) keeps the output reproducible. */
const ZIP_DOS_TIME = 0;
const ZIP_DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** Without ZIP64, sizes and offsets are 32-bit and the entry count 16-bit. */
const ZIP_MAX_BYTES = 0xffffffff;
const ZIP_MAX_ENTRIES = 0xffff;

/** Encode named float32 arrays as an `.npz` file that `numpy.load` reads. */
export function encodeNpz(arrays: Record<string, NpyArray>): Buffer {
  const entries = Object.entries(arrays).map(([name, array]) => ({
    name: Buffer.from(`${name}.npy`, 'utf8'),
    content: encodeNpy(name, array),
  }));
  return zipStored(entries);
}

/** One array as a `.npy` file, format version 1.0, little-endian float32, C order. */
function encodeNpy(name: string, { data, shape }: NpyArray): Buffer {
  checkShape(name, data, shape);
  const header = npyHeader(shape);
  const bytes = Buffer.alloc(header.length + data.byteLength);
  header.copy(bytes);
  const body = bytes.subarray(header.length);
  body.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  if (endianness() === 'BE') body.swap32(); // '<f4' is little-endian whatever the host
  return bytes;
}

function checkShape(name: string, data: Float32Array, shape: number[]): void {
  if (!shape.every((size) => Number.isInteger(size) && size >= 0)) {
    throw new RangeError(`encodeNpz: array '${name}' has a bad shape [${shape.join(', ')}]`);
  }
  const count = shape.reduce((product, size) => product * size, 1);
  if (count !== data.length) {
    throw new RangeError(
      `encodeNpz: array '${name}' has ${data.length} values but shape [${shape.join(', ')}] needs ${count}`,
    );
  }
}

/** Magic, version, header length and the header dict, padded with spaces to the alignment and ended by a newline. */
function npyHeader(shape: number[]): Buffer {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${pythonTuple(shape)}, }`;
  const unpadded = NPY_PREAMBLE_BYTES + dict.length + 1;
  const padding = (NPY_ALIGNMENT - (unpadded % NPY_ALIGNMENT)) % NPY_ALIGNMENT;
  const text = `${dict}${' '.repeat(padding)}\n`;
  if (text.length > NPY_MAX_HEADER_BYTES) throw new RangeError('encodeNpz: shape too long for a .npy 1.0 header');
  const preamble = Buffer.alloc(NPY_PREAMBLE_BYTES);
  NPY_MAGIC.copy(preamble);
  preamble.set(NPY_VERSION, NPY_MAGIC.length);
  preamble.writeUInt16LE(text.length, NPY_MAGIC.length + 2);
  return Buffer.concat([preamble, Buffer.from(text, 'latin1')]);
}

/** Python's repr of a tuple of ints: `()`, `(5,)`, `(2, 3)`. */
function pythonTuple(values: number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}

interface ZipEntry {
  name: Buffer;
  content: Buffer;
}

/** A ZIP archive of uncompressed entries: local header + data for each, then the central directory and end record. */
function zipStored(entries: ZipEntry[]): Buffer {
  const archiveBytes = entries.reduce(
    (sum, entry) =>
      sum + ZIP_LOCAL_HEADER_BYTES + ZIP_CENTRAL_HEADER_BYTES + 2 * entry.name.length + entry.content.length,
    ZIP_END_BYTES,
  );
  if (entries.length > ZIP_MAX_ENTRIES || archiveBytes > ZIP_MAX_BYTES) {
    throw new RangeError('encodeNpz: too large for a ZIP archive without ZIP64');
  }
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const crc = crc32(entry.content);
    const local = Buffer.alloc(ZIP_LOCAL_HEADER_BYTES);
    writeFields(local, [
      [ZIP_LOCAL_HEADER_SIGNATURE, 4],
      [ZIP_VERSION, 2],
      [ZIP_FLAG_UTF8, 2],
      [ZIP_METHOD_STORED, 2],
      [ZIP_DOS_TIME, 2],
      [ZIP_DOS_DATE, 2],
      [crc, 4],
      [entry.content.length, 4], // compressed size
      [entry.content.length, 4], // uncompressed size
      [entry.name.length, 2],
      [0, 2], // extra field length
    ]);
    const header = Buffer.alloc(ZIP_CENTRAL_HEADER_BYTES);
    writeFields(header, [
      [ZIP_CENTRAL_HEADER_SIGNATURE, 4],
      [ZIP_VERSION, 2], // version made by
      [ZIP_VERSION, 2], // version needed
      [ZIP_FLAG_UTF8, 2],
      [ZIP_METHOD_STORED, 2],
      [ZIP_DOS_TIME, 2],
      [ZIP_DOS_DATE, 2],
      [crc, 4],
      [entry.content.length, 4],
      [entry.content.length, 4],
      [entry.name.length, 2],
      [0, 2], // extra field length
      [0, 2], // comment length
      [0, 2], // disk number
      [0, 2], // internal attributes
      [0, 4], // external attributes
      [offset, 4], // where the local header starts
    ]);
    parts.push(local, entry.name, entry.content);
    central.push(header, entry.name);
    offset += local.length + entry.name.length + entry.content.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(ZIP_END_BYTES);
  writeFields(end, [
    [ZIP_END_SIGNATURE, 4],
    [0, 2], // this disk
    [0, 2], // disk where the central directory starts
    [entries.length, 2], // entries on this disk
    [entries.length, 2], // entries in all
    [centralSize, 4],
    [offset, 4], // where the central directory starts
    [0, 2], // comment length
  ]);
  return Buffer.concat([...parts, ...central, end]);
}

/** Write little-endian unsigned fields of 2 or 4 bytes one after another. */
function writeFields(buffer: Buffer, fields: [value: number, bytes: 2 | 4][]): void {
  let offset = 0;
  for (const [value, bytes] of fields) {
    offset = bytes === 2 ? buffer.writeUInt16LE(value, offset) : buffer.writeUInt32LE(value, offset);
  }
}
