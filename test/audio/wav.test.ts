import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.js';
import { encodeWav, WAV_FORMATS, type WavFormat } from '../../src/audio/wav.js';

const SAMPLE_RATE = 22050;
const BITS: Record<WavFormat, number> = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32 };
/** Largest round-trip error for each format: half a quantisation step, or float32's own rounding. */
const TOLERANCE: Record<WavFormat, number> = {
  pcm8: 1 / 127,
  pcm16: 1 / 0x7fff,
  pcm24: 1 / 0x7fffff,
  pcm32: 1e-9,
  float32: 1e-7,
};

function sine(frequency: number, frames: number, amplitude = 0.8): Float32Array {
  return Float32Array.from(
    { length: frames },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / SAMPLE_RATE),
  );
}

interface ParsedWav {
  formatTag: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bits: number;
  fmtSize: number;
  factFrames?: number;
  samples: Float32Array[];
}

/** A minimal reader, independent of the encoder: walks the chunks and decodes the data chunk. */
function parseWav(buffer: Buffer): ParsedWav {
  expect(buffer.toString('ascii', 0, 4)).toBe('RIFF');
  expect(buffer.readUInt32LE(4)).toBe(buffer.length - 8);
  expect(buffer.toString('ascii', 8, 12)).toBe('WAVE');
  const chunks = new Map<string, Buffer>();
  let offset = 12;
  while (offset < buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    chunks.set(id, buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size + (size % 2);
  }
  expect(offset).toBe(buffer.length);
  const fmt = chunks.get('fmt ')!;
  const data = chunks.get('data')!;
  const channels = fmt.readUInt16LE(2);
  const bits = fmt.readUInt16LE(14);
  const formatTag = fmt.readUInt16LE(0);
  const bytes = bits / 8;
  const frames = data.length / (channels * bytes);
  const samples = Array.from({ length: channels }, () => new Float32Array(frames));
  for (let frame = 0; frame < frames; frame++) {
    for (let c = 0; c < channels; c++) {
      const at = (frame * channels + c) * bytes;
      samples[c][frame] =
        formatTag === 3
          ? data.readFloatLE(at)
          : bits === 8
            ? (data.readUInt8(at) - 128) / 127
            : data.readIntLE(at, bytes) / (2 ** (bits - 1) - 1);
    }
  }
  return {
    formatTag,
    channels,
    sampleRate: fmt.readUInt32LE(4),
    byteRate: fmt.readUInt32LE(8),
    blockAlign: fmt.readUInt16LE(12),
    bits,
    fmtSize: fmt.length,
    factFrames: chunks.get('fact')?.readUInt32LE(0),
    samples,
  };
}

describe('encodeWav', () => {
  it('lists every format', () => {
    expect(WAV_FORMATS).toEqual(['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32']);
  });

  it('defaults to 16-bit PCM', () => {
    expect(parseWav(encodeWav([sine(440, 100)], SAMPLE_RATE)).bits).toBe(16);
  });

  for (const format of WAV_FORMATS) {
    describe(format, () => {
      // An odd frame count makes the 8- and 24-bit data chunks odd-sized, which needs a pad byte.
      const frames = 1001;
      const left = sine(440, frames);
      const right = sine(660, frames, 0.5);
      const encoded = encodeWav([left, right], SAMPLE_RATE, format);
      const bytes = BITS[format] / 8;

      it('writes the fmt fields', () => {
        const wav = parseWav(encoded);
        expect(wav.formatTag).toBe(format === 'float32' ? 3 : 1);
        expect(wav.channels).toBe(2);
        expect(wav.sampleRate).toBe(SAMPLE_RATE);
        expect(wav.bits).toBe(BITS[format]);
        expect(wav.blockAlign).toBe(2 * bytes);
        expect(wav.byteRate).toBe(SAMPLE_RATE * 2 * bytes);
      });

      it('adds cbSize and a fact chunk only for float', () => {
        const wav = parseWav(encoded);
        expect(wav.fmtSize).toBe(format === 'float32' ? 18 : 16);
        expect(wav.factFrames).toBe(format === 'float32' ? frames : undefined);
      });

      it('round-trips a sine, interleaved', () => {
        const wav = parseWav(encoded);
        expect(wav.samples[0].length).toBe(frames);
        for (const [decoded, original] of [
          [wav.samples[0], left],
          [wav.samples[1], right],
        ]) {
          const worst = Math.max(...decoded.map((value, i) => Math.abs(value - original[i])));
          expect(worst).toBeLessThanOrEqual(TOLERANCE[format]);
        }
      });

      it('clips samples outside [-1, 1]', () => {
        const loud = Float32Array.from([2, -2, 1, -1, 0]);
        const decoded = parseWav(encodeWav([loud], SAMPLE_RATE, format)).samples[0];
        expect(Array.from(decoded)).toEqual([1, -1, 1, -1, 0]);
      });
    });
  }

  it('writes 8-bit as unsigned with silence at 128', () => {
    const buffer = encodeWav([new Float32Array([0, 1, -1])], SAMPLE_RATE, 'pcm8');
    expect(Array.from(buffer.subarray(buffer.length - 4, buffer.length - 1))).toEqual([128, 255, 1]);
    expect(buffer[buffer.length - 1]).toBe(0); // pad byte after the odd-sized data chunk
  });

  it('writes NaN as silence', () => {
    const decoded = parseWav(encodeWav([new Float32Array([NaN])], SAMPLE_RATE)).samples[0];
    expect(decoded[0]).toBe(0);
  });

  it('encodes an empty signal as a valid header', () => {
    const wav = parseWav(encodeWav([new Float32Array(0)], SAMPLE_RATE, 'float32'));
    expect(wav.samples[0].length).toBe(0);
    expect(wav.factFrames).toBe(0);
  });

  it('rejects bad input', () => {
    expect(() => encodeWav([], SAMPLE_RATE)).toThrow(/at least one channel/);
    expect(() => encodeWav([new Float32Array(2), new Float32Array(3)], SAMPLE_RATE)).toThrow(/same length/);
    expect(() => encodeWav([new Float32Array(2)], 0)).toThrow(/sample rate/);
    expect(() => encodeWav([new Float32Array(2)], SAMPLE_RATE, 'pcm12' as WavFormat)).toThrow(/unknown format/);
  });
});

/** True when the command can be started (soxi exits non-zero for --version, so only spawning is checked). */
const onPath = (command: string) => spawnSync(command, ['--version']).error === undefined;
const hasSox = onPath('sox') && onPath('soxi');
const SOX_ENCODING: Record<WavFormat, string> = {
  pcm8: 'Unsigned Integer PCM',
  pcm16: 'Signed Integer PCM',
  pcm24: 'Signed Integer PCM',
  pcm32: 'Signed Integer PCM',
  float32: 'Floating Point PCM',
};

describe('encodeWav read by SoX', () => {
  if (!hasSox) console.warn('wav.test: sox/soxi not on PATH, skipping the SoX cross-check (apt-get install sox)');
  const dir = hasSox ? mkdtempSync(join(tmpdir(), 'jam-wav-')) : '';
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const format of WAV_FORMATS) {
    it(`soxi reads ${format}, and sox decodes the same samples`, () => {
      requireTool(hasSox, 'sox', 'sox');
      const frames = 501;
      const left = sine(440, frames);
      const right = sine(660, frames, 0.5);
      const path = join(dir, `${format}.wav`);
      writeFileSync(path, encodeWav([left, right], SAMPLE_RATE, format));
      const soxi = (flag: string) => execFileSync('soxi', [flag, path], { encoding: 'utf8' }).trim();
      expect(soxi('-r')).toBe(String(SAMPLE_RATE));
      expect(soxi('-c')).toBe('2');
      expect(soxi('-b')).toBe(String(BITS[format]));
      expect(soxi('-e')).toBe(SOX_ENCODING[format]);
      expect(soxi('-s')).toBe(String(frames));

      // sox divides integers by 2^(bits-1), the encoder scales by 2^(bits-1) - 1, so allow two quantisation
      // steps (plus float rounding) rather than half of one.
      const raw = execFileSync('sox', [path, '-t', 'raw', '-e', 'floating-point', '-b', '32', '-L', '-']);
      const decoded = new Float32Array(Uint8Array.from(raw).buffer); // copy: raw may not be 4-byte aligned
      expect(decoded.length).toBe(2 * frames);
      const tolerance = 2 * 2 ** -(BITS[format] - 1) + 1e-6;
      for (let i = 0; i < frames; i++) {
        expect(Math.abs(decoded[2 * i] - left[i])).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(decoded[2 * i + 1] - right[i])).toBeLessThanOrEqual(tolerance);
      }
    });
  }
});
