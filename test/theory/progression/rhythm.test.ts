import { describe, expect, test } from 'vitest';
import { GROOVES, GROOVE_NAMES } from '../../../src/theory/progression/data/grooves.js';
import { seededRandom } from '../../../src/random.js';
import { playChords, RHYTHM_STYLES, type TimedChord } from '../../../src/theory/progression/rhythm.js';
import type { NoteEvent } from '../../../src/types.js';

const C: TimedChord = { startBeat: 0, beats: 4, pitches: [60, 64, 67], bass: 36 };
const G: TimedChord = { startBeat: 4, beats: 4, pitches: [59, 62, 67], bass: 43 };
const SHORT: TimedChord = { startBeat: 8, beats: 1, pitches: [57, 60, 64, 67, 71], bass: 45 };
const CHORDS = [C, G, SHORT];
/** At 120 BPM a beat is half a second. */
const BEAT = 0.5;

const pitchesBetween = (notes: NoteEvent[], start: number, end: number): number[] =>
  [
    ...new Set(notes.filter((note) => note.start >= start - 1e-9 && note.start < end - 1e-9).map((note) => note.pitch)),
  ].sort((a, b) => a - b);

describe('rhythm styles', () => {
  test('block: each chord held for its whole length, the bass with it', () => {
    const { chords, bass } = playChords([C, G]);
    expect(chords).toEqual([
      { pitch: 60, start: 0, end: 2, velocity: 100 },
      { pitch: 64, start: 0, end: 2, velocity: 100 },
      { pitch: 67, start: 0, end: 2, velocity: 100 },
      { pitch: 59, start: 2, end: 4, velocity: 100 },
      { pitch: 62, start: 2, end: 4, velocity: 100 },
      { pitch: 67, start: 2, end: 4, velocity: 100 },
    ]);
    expect(bass.map((note) => [note.pitch, note.start, note.end])).toEqual([
      [36, 0, 2],
      [43, 2, 4],
    ]);
  });

  test('arpeggios go up, down, or up and back, in eighths', () => {
    const order = (rhythm: 'arp-up' | 'arp-down' | 'arp-up-down'): number[] =>
      playChords([C], { rhythm }).chords.map((note) => note.pitch);
    expect(order('arp-up')).toEqual([60, 64, 67, 60, 64, 67, 60, 64]);
    expect(order('arp-down')).toEqual([67, 64, 60, 67, 64, 60, 67, 64]);
    expect(order('arp-up-down')).toEqual([60, 64, 67, 64, 60, 64, 67, 64]);
    expect(playChords([C], { rhythm: 'arp-up' }).chords.every((note) => note.end - note.start === BEAT / 2)).toBe(true);
  });

  test('an arpeggio too short for its notes at eighths goes faster, so every note sounds', () => {
    const notes = playChords([SHORT], { rhythm: 'arp-up' }).chords;
    expect(notes.map((note) => note.pitch)).toEqual(SHORT.pitches);
    expect(notes[notes.length - 1].end).toBeCloseTo((SHORT.startBeat + SHORT.beats) * BEAT);
  });

  test('every groove strikes the whole chord on its first beat, and has at least four styles', () => {
    expect(GROOVE_NAMES.length).toBeGreaterThanOrEqual(4);
    for (const name of GROOVE_NAMES) {
      expect(GROOVES[name].chord[0].at).toBe(0);
      expect(GROOVES[name].bass[0].at).toBe(0);
      const hits = [...GROOVES[name].chord, ...GROOVES[name].bass];
      expect(hits.every((hit) => hit.at + hit.length <= 4 && hit.velocity >= 1 && hit.velocity <= 127)).toBe(true);
    }
  });

  test('a groove repeats its bar over a long chord and is cut where the chord ends', () => {
    const long: TimedChord = { startBeat: 0, beats: 6, pitches: [60], bass: 36 };
    const starts = playChords([long], { rhythm: 'syncopated-pop' }).chords.map((note) => note.start / BEAT);
    expect(starts).toEqual([0, 1.5, 3, 4, 5.5]);
    const last = playChords([long], { rhythm: 'syncopated-pop' }).chords.at(-1);
    expect(last?.end).toBe(6 * BEAT);
  });

  test.each(RHYTHM_STYLES)(
    '%s: every note lies inside its chord, and each chord sounds all its notes and only those',
    (rhythm) => {
      for (const humanize of [false, true]) {
        const { chords, bass } = playChords(CHORDS, { rhythm, humanize, seed: 7 });
        for (const chord of CHORDS) {
          const start = chord.startBeat * BEAT;
          const end = (chord.startBeat + chord.beats) * BEAT;
          expect(pitchesBetween(chords, start, end)).toEqual(chord.pitches);
          expect(pitchesBetween(bass, start, end)).toEqual([chord.bass]);
        }
        const spans = CHORDS.map((chord) => [chord.startBeat * BEAT, (chord.startBeat + chord.beats) * BEAT]);
        for (const note of [...chords, ...bass]) {
          expect(
            spans.some(([start, end]) => note.start >= start - 1e-9 && note.end <= end + 1e-9 && note.start < note.end),
          ).toBe(true);
          expect(Number.isInteger(note.velocity) && note.velocity >= 1 && note.velocity <= 127).toBe(true);
        }
      }
    },
  );
});

describe('--humanize', () => {
  test('the same seed gives the same notes; another seed, others; without it, exact times', () => {
    const once = playChords(CHORDS, { rhythm: 'pop', humanize: true, seed: 42 });
    expect(playChords(CHORDS, { rhythm: 'pop', humanize: true, seed: 42 })).toEqual(once);
    expect(playChords(CHORDS, { rhythm: 'pop', humanize: true, seed: 43 })).not.toEqual(once);
    const exact = playChords(CHORDS, { rhythm: 'pop' });
    expect(once.chords).toHaveLength(exact.chords.length);
    expect(exact.chords.every((note) => Number.isInteger(note.start / (BEAT / 2)))).toBe(true);
  });

  test('the changes are small: at most 12 ms and 10 velocity steps', () => {
    const exact = playChords(CHORDS, { rhythm: 'soul' }).chords;
    const human = playChords(CHORDS, { rhythm: 'soul', humanize: true }).chords;
    const moved = human.filter((note, i) => note.start !== exact[i].start || note.velocity !== exact[i].velocity);
    expect(moved.length).toBeGreaterThan(human.length / 2);
    const sorted = (notes: NoteEvent[]) => [...notes].sort((a, b) => a.pitch - b.pitch || a.start - b.start);
    const [a, b] = [sorted(exact), sorted(human)];
    a.forEach((note, i) => {
      expect(Math.abs(b[i].start - note.start)).toBeLessThanOrEqual(0.012 + 1e-9);
      expect(Math.abs(b[i].velocity - note.velocity)).toBeLessThanOrEqual(10);
    });
  });

  test('the seeded generator gives numbers in [0, 1), the same for the same seed', () => {
    const first = seededRandom(5);
    const values = Array.from({ length: 1000 }, first);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const second = seededRandom(5);
    expect(Array.from({ length: 1000 }, second)).toEqual(values);
    expect(new Set(values).size).toBeGreaterThan(990);
  });
});
