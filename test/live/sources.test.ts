/** Live sources: a file paced against the clock without drift, and raw PCM from a stream that ends on abort. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src/audio/wav.js';
import { openFileSource, pcmSource } from '../../src/live/sources.js';
import { seededRandom } from '../../src/random.js';
import { manualClock } from '../helpers/clock.js';

const RATE = 22050;
const folder = mkdtempSync(join(tmpdir(), 'jam-sources-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function wavFile(seconds: number): string {
  const file = join(folder, `${seconds}.wav`);
  writeFileSync(file, encodeWav([Float32Array.from({ length: seconds * RATE }, (_, i) => Math.sin(i / 10))], RATE));
  return file;
}

async function collect(chunks: AsyncIterable<Float32Array>): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

describe('openFileSource', () => {
  it('in real time hands chunk k over at start + its end time, late timers never adding up', async () => {
    const random = seededRandom(3);
    const clock = manualClock(() => random() * 5);
    const start = clock.now();
    const handedAt: number[] = [];
    const source = await openFileSource(wavFile(60), { realtime: true, clock, chunkSamples: 512 });
    let samples = 0;
    for await (const chunk of source.chunks(new AbortController().signal)) {
      samples += chunk.length;
      handedAt.push(clock.now() - start - (samples / RATE) * 1000);
    }
    expect(samples).toBe(60 * RATE);
    expect(Math.min(...handedAt)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...handedAt)).toBeLessThanOrEqual(5);
  });

  it('without real time gives the whole file at once in large chunks, and stops when aborted', async () => {
    const source = await openFileSource(wavFile(3));
    expect((await collect(source.chunks(new AbortController().signal))).map((chunk) => chunk.length)).toEqual([
      RATE,
      RATE,
      RATE,
    ]);
    const controller = new AbortController();
    controller.abort();
    expect(await collect(source.chunks(controller.signal))).toEqual([]);
  });

  it('names a missing file before any work starts', async () => {
    await expect(openFileSource(join(folder, 'none.wav'))).rejects.toThrow(/none\.wav: no such file/);
  });
});

describe('pcmSource', () => {
  it('gives every sample of a stream read in odd-sized pieces', async () => {
    const bytes = new Uint8Array(Float32Array.from({ length: 1000 }, (_, i) => i / 1000).buffer);
    const pieces = [bytes.subarray(0, 3), bytes.subarray(3, 2001), bytes.subarray(2001)];
    const source = pcmSource(Readable.from(pieces.map((piece) => Buffer.from(piece))), {
      rate: RATE,
      format: 'f32le',
      channels: 1,
    });
    const chunks = await collect(source.chunks(new AbortController().signal));
    expect(chunks.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(1000);
    expect(chunks.at(-1)!.at(-1)).toBeCloseTo(0.999, 6);
  });

  it('ends quietly when aborted while waiting for input', async () => {
    const stream = new PassThrough();
    const controller = new AbortController();
    const source = pcmSource(stream, { rate: RATE, format: 's16le', channels: 1 });
    stream.write(Buffer.from(new Int16Array([1000, 2000]).buffer));
    const chunks: Float32Array[] = [];
    for await (const chunk of source.chunks(controller.signal)) {
      chunks.push(chunk);
      controller.abort();
    }
    expect(chunks.map((chunk) => chunk.length)).toEqual([2]);
  });
});
