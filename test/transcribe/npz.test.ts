import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.js';
import { encodeNpz, type NpyArray } from '../../src/transcribe/npz.js';

const PYTHON = '/usr/bin/python3';

function ramp(length: number, scale = 0.5): Float32Array {
  return Float32Array.from({ length }, (_, i) => (i - length / 2) * scale);
}

const ARRAYS: Record<string, NpyArray> = {
  note: { data: ramp(12), shape: [3, 4] },
  onset: { data: ramp(5, 1e-3), shape: [5] },
  cube: { data: ramp(24, 1e6), shape: [2, 3, 4] },
  scalar: { data: Float32Array.of(Math.PI), shape: [] },
  empty: { data: new Float32Array(0), shape: [0, 88] },
  nötes: { data: Float32Array.of(-1, 1), shape: [1, 2] },
};

interface ZipEntryRead {
  name: string;
  flags: number;
  method: number;
  crc: number;
  content: Buffer;
}

/** Read the archive through its central directory, checking each local header agrees with it. */
function readZip(zip: Buffer): ZipEntryRead[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  const centralSize = zip.readUInt32LE(end + 12);
  const centralStart = zip.readUInt32LE(end + 16);
  expect(centralStart + centralSize).toBe(end);
  const entries: ZipEntryRead[] = [];
  let at = centralStart;
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    expect(zip.readUInt32LE(at + 24)).toBe(size);
    const nameLength = zip.readUInt16LE(at + 28);
    const localStart = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);

    expect(zip.readUInt32LE(localStart)).toBe(0x04034b50);
    expect(zip.readUInt32LE(localStart + 14)).toBe(crc);
    expect(zip.readUInt32LE(localStart + 18)).toBe(size);
    const dataStart = localStart + 30 + zip.readUInt16LE(localStart + 26) + zip.readUInt16LE(localStart + 28);
    expect(zip.toString('utf8', localStart + 30, localStart + 30 + nameLength)).toBe(name);
    entries.push({ name, flags, method, crc, content: zip.subarray(dataStart, dataStart + size) });
    at += 46 + nameLength;
  }
  return entries;
}

describe('encodeNpz', () => {
  it('uses the standard CRC-32', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  it('stores one .npy entry per array, uncompressed, with its CRC', () => {
    const entries = readZip(encodeNpz(ARRAYS));
    expect(entries.map((entry) => entry.name)).toEqual(Object.keys(ARRAYS).map((name) => `${name}.npy`));
    for (const entry of entries) {
      expect(entry.method).toBe(0);
      expect(entry.flags & 0x0800).toBe(0x0800);
      expect(entry.crc).toBe(crc32(entry.content));
    }
  });

  it('writes .npy 1.0 headers that align the data to 64 bytes', () => {
    const entries = readZip(encodeNpz(ARRAYS));
    for (const [index, [name, array]] of Object.entries(ARRAYS).entries()) {
      const npy = entries[index].content;
      expect(npy.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
      expect([npy[6], npy[7]]).toEqual([1, 0]);
      const headerLength = npy.readUInt16LE(8);
      const dataStart = 10 + headerLength;
      expect(dataStart % 64, name).toBe(0);
      const header = npy.toString('latin1', 10, dataStart);
      expect(header.endsWith('\n')).toBe(true);
      expect(header.trimEnd()).toBe(
        `{'descr': '<f4', 'fortran_order': False, 'shape': ${
          array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`
        }, }`,
      );
      expect(npy.length - dataStart).toBe(array.data.length * 4);
      for (let i = 0; i < array.data.length; i++) expect(npy.readFloatLE(dataStart + 4 * i)).toBe(array.data[i]);
    }
  });

  it('copies from a Float32Array that views part of a larger buffer', () => {
    const whole = ramp(10);
    const part = encodeNpz({ part: { data: whole.subarray(3, 7), shape: [4] } });
    const npy = readZip(part)[0].content;
    const floats = Array.from({ length: 4 }, (_, i) => npy.readFloatLE(npy.length - 16 + 4 * i));
    expect(floats).toEqual(Array.from(whole.subarray(3, 7)));
  });

  it('throws when the data does not fill the shape', () => {
    expect(() => encodeNpz({ bad: { data: new Float32Array(5), shape: [2, 3] } })).toThrow(
      /'bad' has 5 values but shape \[2, 3\] needs 6/,
    );
    expect(() => encodeNpz({ bad: { data: new Float32Array(2), shape: [-1, -2] } })).toThrow(/bad shape/);
    expect(() => encodeNpz({ bad: { data: new Float32Array(2), shape: [1.5, 2] } })).toThrow(/bad shape/);
  });

  it('writes an empty archive for no arrays', () => {
    expect(readZip(encodeNpz({}))).toEqual([]);
  });
});

const hasNumpy = spawnSync(PYTHON, ['-c', 'import numpy']).status === 0;

describe('encodeNpz read by numpy', () => {
  it('np.load gives back every shape and value, and zipfile finds no bad CRC', () => {
    requireTool(hasNumpy, 'numpy', 'python3-numpy');
    const dir = mkdtempSync(join(tmpdir(), 'jam-npz-'));
    try {
      const path = join(dir, 'arrays.npz');
      writeFileSync(path, encodeNpz(ARRAYS));
      const script = [
        'import json, sys, zipfile, numpy as np',
        'assert zipfile.ZipFile(sys.argv[1]).testzip() is None',
        'with np.load(sys.argv[1]) as npz:',
        '    print(json.dumps({k: {"dtype": str(npz[k].dtype), "shape": list(npz[k].shape), "data": npz[k].ravel().tolist()} for k in npz.files}))',
      ].join('\n');
      const loaded = JSON.parse(execFileSync(PYTHON, ['-c', script, path], { encoding: 'utf8' })) as Record<
        string,
        { dtype: string; shape: number[]; data: number[] }
      >;
      expect(Object.keys(loaded)).toEqual(Object.keys(ARRAYS));
      for (const [name, array] of Object.entries(ARRAYS)) {
        expect(loaded[name]).toEqual({ dtype: 'float32', shape: array.shape, data: Array.from(array.data) });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
