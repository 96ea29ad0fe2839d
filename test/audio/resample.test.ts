import { describe, expect, it } from 'vitest';
import { resample, Resampler } from '../../src/audio/resample.js';

const sine = (hz: number, rate: number, seconds: number) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));
const maxAbs = (values: Float32Array, from: number, to: number) => {
  let max = 0;
  for (let i = from; i < to; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
};

describe('resampling to 22 050 Hz', () => {
  for (const rate of [8000, 44100, 48000, 96000, 44056]) {
    it(`keeps a 1 kHz tone at ${rate} Hz in tune and in time (error < 1e-3)`, () => {
      const out = resample(sine(1000, rate, 1), rate, 22050);
      expect(out.length).toBe(Resampler.outputLength(rate, rate, 22050));
      const expected = sine(1000, 22050, out.length / 22050);
      let error = 0;
      for (let i = 500; i < out.length - 500; i++) error = Math.max(error, Math.abs(out[i] - expected[i]));
      expect(error).toBeLessThan(1e-3);
    });
  }

  it('removes what would alias: a 15 kHz tone at 44.1 kHz all but vanishes', () => {
    const out = resample(sine(15000, 44100, 1), 44100, 22050);
    expect(maxAbs(out, 500, out.length - 500)).toBeLessThan(1e-3);
  });

  // 44.1 kHz takes the half-band loop, 48 kHz the general one.
  for (const rate of [48000, 44100]) {
    it(`gives the same samples fed in chunks of any size as fed whole (${rate} Hz)`, () => {
      const input = sine(440, rate, 2);
      const whole = resample(input, rate, 22050);
      const resampler = new Resampler(rate, 22050);
      const parts: Float32Array[] = [];
      for (let at = 0, size = 1; at < input.length; at += size, size = ((size * 7) % 5003) + 1)
        parts.push(resampler.push(input.subarray(at, at + size)));
      parts.push(resampler.end());
      const chunked = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
      parts.reduce((at, part) => (chunked.set(part, at), at + part.length), 0);
      expect(chunked).toEqual(whole);
    });
  }

  it('passes the same rate through unchanged', () => {
    const input = sine(440, 22050, 0.1);
    expect(resample(input, 22050, 22050)).toEqual(input);
  });
});
