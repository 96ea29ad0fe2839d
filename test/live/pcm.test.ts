/** Raw PCM → mono 22 050 Hz: both sample formats, channels averaged, frames split across reads, resampling. */
import { describe, expect, it } from 'vitest';
import { resample } from '../../src/audio/resample.js';
import { checkPcmLayout, deinterleave, PcmDecoder } from '../../src/live/pcm.js';

const OUT_RATE = 22050;

function f32le(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

function s16le(values: number[]): Uint8Array {
  return new Uint8Array(Int16Array.from(values).buffer);
}

/** Feeds `bytes` to a decoder in reads of the given sizes, then ends it; returns every sample it gave. */
function decodeInReads(decoder: PcmDecoder, bytes: Uint8Array, readSizes: number[]): Float32Array {
  const parts: Float32Array[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = readSizes[i % readSizes.length];
    parts.push(decoder.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  parts.push(decoder.end());
  return Float32Array.from(parts.flatMap((part) => [...part]));
}

describe('deinterleave', () => {
  it('reads little-endian float and 16-bit samples into one array per channel', () => {
    expect(deinterleave(f32le([0.5, -0.25, 1, 0]), { rate: OUT_RATE, format: 'f32le', channels: 2 })).toEqual([
      Float32Array.from([0.5, 1]),
      Float32Array.from([-0.25, 0]),
    ]);
    expect(deinterleave(s16le([16384, -32768, 0]), { rate: OUT_RATE, format: 's16le', channels: 1 })).toEqual([
      Float32Array.from([0.5, -1, 0]),
    ]);
  });
});

describe('PcmDecoder', () => {
  it('gives the same samples whether a stereo frame arrives whole or split between reads', () => {
    const frames = Array.from({ length: 300 }, (_, i) => [Math.sin(i / 7), Math.cos(i / 5)]).flat();
    const bytes = f32le(frames);
    const layout = { rate: OUT_RATE, format: 'f32le' as const, channels: 2 };
    const whole = decodeInReads(new PcmDecoder(layout, OUT_RATE), bytes, [bytes.length]);
    // Reads of 3, 5 and 7 bytes cut through samples and frames.
    const split = decodeInReads(new PcmDecoder(layout, OUT_RATE), bytes, [3, 5, 7]);
    expect(split).toEqual(whole);
    expect(whole).toHaveLength(300);
    expect(whole[10]).toBeCloseTo((Math.sin(10 / 7) + Math.cos(10 / 5)) / 2, 6);
  });

  it('resamples in chunks to what resampling the whole signal gives', () => {
    const rate = 48000;
    const signal = Float32Array.from({ length: rate / 2 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate));
    const bytes = s16le([...signal].map((value) => Math.round(value * 32767)));
    const chunked = decodeInReads(
      new PcmDecoder({ rate, format: 's16le', channels: 1 }, OUT_RATE),
      bytes,
      [4097, 1001],
    );
    const quantised = Float32Array.from(signal, (value) => Math.round(value * 32767) / 32768);
    const whole = resample(quantised, rate, OUT_RATE);
    expect(chunked).toHaveLength(whole.length);
    expect(Math.max(...chunked.map((value, i) => Math.abs(value - whole[i])))).toBeLessThan(1e-5);
  });

  it('silences NaN, infinite and absurd samples and counts them, so one bad sample cannot silence the rest', () => {
    const decoder = new PcmDecoder({ rate: OUT_RATE, format: 'f32le', channels: 1 }, OUT_RATE);
    const out = decoder.push(f32le([0.5, NaN, Infinity, -1e30, 0.25]));
    expect(Array.from(out)).toEqual([0.5, 0, 0, 0, 0.25]);
    expect(decoder.damaged).toBe(3);
  });

  it('drops a trailing partial frame', () => {
    const decoder = new PcmDecoder({ rate: OUT_RATE, format: 's16le', channels: 2 }, OUT_RATE);
    expect(decoder.push(s16le([100, 200, 300]))).toHaveLength(1);
    expect(decoder.end()).toHaveLength(0);
  });
});

describe('checkPcmLayout', () => {
  it('names the option for a rate or channel count no PCM has', () => {
    expect(() => checkPcmLayout({ rate: 0, format: 'f32le', channels: 1 })).toThrow(/--rate 0/);
    expect(() => checkPcmLayout({ rate: 44100, format: 'f32le', channels: 0 })).toThrow(/--channels 0/);
    expect(() => checkPcmLayout({ rate: 44100, format: 's16le', channels: 2 })).not.toThrow();
  });
});
