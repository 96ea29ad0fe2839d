import { describe, expect, it } from 'vitest';
import { DEFAULT_SONIFY_SAMPLE_RATE, EMPTY_SECONDS, RELEASE_SECONDS, sonify } from '../../src/render/sonify.js';
import type { NoteEvent } from '../../src/types.js';

const SR = DEFAULT_SONIFY_SAMPLE_RATE;
const A4 = 69;

function note(pitch: number, start: number, end: number, velocity = 100, bends?: number[]): NoteEvent {
  return { pitch, start, end, velocity, bends };
}

function segment(samples: Float32Array, from: number, to: number): Float32Array {
  return samples.subarray(Math.round(from * SR), Math.round(to * SR));
}

/** Power of one frequency in a signal: a single DFT bin at an arbitrary frequency. */
function power(signal: Float32Array, frequency: number): number {
  let re = 0;
  let im = 0;
  for (let n = 0; n < signal.length; n++) {
    const angle = (2 * Math.PI * frequency * n) / SR;
    re += signal[n] * Math.cos(angle);
    im -= signal[n] * Math.sin(angle);
  }
  return re * re + im * im;
}

/** The frequency with the most power among whole-hertz candidates in [low, high]. */
function strongestFrequency(signal: Float32Array, low: number, high: number): number {
  let best = low;
  for (let frequency = low; frequency <= high; frequency++) {
    if (power(signal, frequency) > power(signal, best)) best = frequency;
  }
  return best;
}

function peak(samples: Float32Array): number {
  return samples.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);
}

describe('sonify', () => {
  it('renders A4 with its energy at 440 Hz, harmonics weaker', () => {
    const steady = segment(sonify([note(A4, 0, 1)]), 0.1, 0.9);
    const fundamental = power(steady, 440);
    for (const other of [220, 330, 415.3, 466.2, 660]) expect(power(steady, other)).toBeLessThan(fundamental / 100);
    expect(power(steady, 880)).toBeGreaterThan(fundamental / 100);
    expect(power(steady, 880)).toBeLessThan(fundamental);
    expect(strongestFrequency(steady, 400, 480)).toBe(440);
  });

  it('is silent before, between and after notes', () => {
    const samples = sonify([note(60, 0.5, 0.8), note(64, 1.5, 1.8)]);
    expect(peak(segment(samples, 0, 0.5))).toBe(0);
    expect(peak(segment(samples, 0.81 + RELEASE_SECONDS, 1.5))).toBe(0);
    expect(peak(segment(samples, 0.55, 0.75))).toBeGreaterThan(0.1);
    expect(peak(segment(samples, 1.55, 1.75))).toBeGreaterThan(0.1);
  });

  it('lasts until the last note ends plus the release', () => {
    // Both the end and the release are rounded to whole samples.
    const samples = sonify([note(60, 0, 2), note(67, 0.5, 1)]);
    expect(samples.length).toBe(2 * SR + Math.round(RELEASE_SECONDS * SR));
    expect(sonify([note(60, 0, 1)], 44100).length).toBe(44100 + Math.round(RELEASE_SECONDS * 44100));
    expect(sonify([note(60, 0, 0.25)]).length).toBe(Math.round(0.25 * SR) + Math.round(RELEASE_SECONDS * SR));
  });

  it('returns a short silence for no notes', () => {
    const samples = sonify([]);
    expect(samples.length).toBe(Math.round(EMPTY_SECONDS * SR));
    expect(peak(samples)).toBe(0);
    expect(sonify([note(60, 1, 1), note(NaN, 0, 1)]).length).toBe(Math.round(EMPTY_SECONDS * SR));
  });

  it('fades in and out instead of clicking', () => {
    const samples = sonify([note(A4, 0.2, 0.5, 127)]);
    const first = Math.round(0.2 * SR);
    expect(samples[first]).toBe(0);
    expect(Math.abs(samples[first + 1])).toBeLessThan(0.01);
    expect(Math.abs(samples[samples.length - 1])).toBeLessThan(0.01);
  });

  it('follows a rising bend, gliding without jumps', () => {
    // Bends from 0 to +2 semitones, evenly spaced over the note.
    const bends = Array.from({ length: 101 }, (_, i) => (2 * i) / 100);
    const samples = sonify([note(A4, 0, 1, 100, bends)]);
    const early = strongestFrequency(segment(samples, 0.05, 0.25), 400, 520);
    const late = strongestFrequency(segment(samples, 0.75, 0.95), 400, 520);
    // At the windows' centres the bend is 0.3 and 1.7 semitones.
    expect(Math.abs(early - 440 * 2 ** (0.3 / 12))).toBeLessThan(6);
    expect(Math.abs(late - 440 * 2 ** (1.7 / 12))).toBeLessThan(6);
    // With the phase integrated, adjacent samples differ no more than a steady tone at the top pitch allows.
    const held = segment(samples, 0.01, 1);
    const steepest = held.slice(1).reduce((max, sample, i) => Math.max(max, Math.abs(sample - held[i])), 0);
    const top = segment(sonify([note(A4 + 2, 0, 1)]), 0.01, 1);
    const topSteepest = top.slice(1).reduce((max, sample, i) => Math.max(max, Math.abs(sample - top[i])), 0);
    expect(steepest).toBeLessThanOrEqual(topSteepest * 1.01);
  });

  it('holds a single bend value across the note', () => {
    const steady = segment(sonify([note(A4, 0, 1, 100, [1])]), 0.1, 0.9);
    expect(strongestFrequency(steady, 400, 520)).toBe(Math.round(440 * 2 ** (1 / 12)));
  });

  it('is louder for higher velocity', () => {
    expect(peak(sonify([note(A4, 0, 0.5, 100)]))).toBeGreaterThan(peak(sonify([note(A4, 0, 0.5, 40)])));
  });

  it('never exceeds the peak level, however many notes overlap', () => {
    const chord = Array.from({ length: 12 }, (_, i) => note(48 + i, 0, 0.5, 127));
    const samples = sonify(chord);
    expect(peak(samples)).toBeLessThanOrEqual(0.9 + 1e-6);
    expect(peak(samples)).toBeGreaterThan(0.8);
  });

  it('leaves out harmonics above Nyquist', () => {
    // C8 is 4186 Hz: at 22050 Hz its 2nd harmonic (8372 Hz) is below the 11025 Hz Nyquist, its 3rd is above.
    const steady = segment(sonify([note(108, 0, 0.5)]), 0.05, 0.45);
    const fundamental = power(steady, 4186);
    // 3 × 4186 = 12558 Hz would alias to 22050 − 12558 = 9492 Hz.
    expect(power(steady, 9492)).toBeLessThan(fundamental / 1e4);
  });

  it('rejects a bad sample rate', () => {
    expect(() => sonify([], 0)).toThrow(/sample rate/);
  });
});
