import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bendsDuring, withMidiBends } from '../../src/midi/bends.js';
import { midiFromBytes, midiNotes } from '../../src/midi/read.js';
import { FIXTURES } from '../helpers/cli.js';

describe('the bends over a note, from pitch-bend events', () => {
  it('holds each value until the next event, in semitones of the ±2 range', () => {
    const bends = bendsDuring(
      [
        { time: 0, value: 0 },
        { time: 1.3, value: 0.25 },
        { time: 1.5, value: -0.5 },
      ],
      1,
      2,
    )!;
    expect(bends).toHaveLength(100);
    expect(bends.slice(0, 30).every((bend) => bend === 0)).toBe(true);
    expect(bends[30]).toBe(0.5);
    expect(bends[49]).toBe(0.5);
    expect(bends[50]).toBe(-1);
    expect(bends[99]).toBe(-1);
  });

  it('carries a bend set before the note into it', () => {
    expect(bendsDuring([{ time: 0, value: 0.5 }], 1, 1.5)).toEqual(new Array(50).fill(1));
  });

  it('is nothing for a note that does not bend', () => {
    expect(bendsDuring([], 0, 1)).toBeUndefined();
    expect(
      bendsDuring(
        [
          { time: 0, value: 0.5 },
          { time: 0.9, value: 0 },
        ],
        1,
        2,
      ),
    ).toBeUndefined();
  });
});

describe('notes of a MIDI file with their bends', () => {
  const bytes = readFileSync(join(FIXTURES, 'bend.mid'));
  const notes = withMidiBends(midiFromBytes(bytes, 'bend.mid'), midiNotes(bytes, 'bend.mid'));

  it('gives the quarter-tone bend and the vibrato of fixtures/bend.mid to their notes only', () => {
    expect(notes.map((note) => note.bends !== undefined)).toEqual([false, false, true, false, true, false]);
    const [bent, vibrato] = notes.filter((note) => note.bends).map((note) => note.bends!);
    // C5 at 1.0 s: up to +0.5 semitone (1.55–1.85 s), back to 0.
    expect(Math.max(...bent)).toBeCloseTo(0.5, 2);
    expect(bent[0]).toBe(0);
    expect(bent[bent.length - 1]).toBe(0);
    // D5 at 3.0 s: ±0.3 semitone at 5 Hz.
    expect(Math.max(...vibrato)).toBeCloseTo(0.3, 1);
    expect(Math.min(...vibrato)).toBeCloseTo(-0.3, 1);
  });
});
