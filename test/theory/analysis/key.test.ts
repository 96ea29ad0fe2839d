import { Chord, Key, Note } from 'tonal';
import { describe, expect, it } from 'vitest';
import { JamError } from '../../../src/errors.js';
import { analyzeNotes } from '../../../src/theory/analysis/analyze.js';
import {
  homeKeyScores,
  keyCorrelations,
  keyFromScores,
  keyIndex,
  keyOf,
  parseKey,
} from '../../../src/theory/analysis/key.js';
import { PROFILE_NAMES } from '../../../src/theory/analysis/keyProfiles.js';
import type { BeatGrid } from '../../../src/theory/analysis/types.js';
import type { NoteEvent } from '../../../src/types.js';

/** Pitch-class weights with weight 1 on each of the given pitch classes and `tonicWeight` on the first. */
function weightsOf(pitchClasses: number[], tonicWeight = 2): number[] {
  const weights = new Array(12).fill(0);
  pitchClasses.forEach((pc, i) => (weights[pc] = i === 0 ? tonicWeight : 1));
  return weights;
}

describe('key names', () => {
  it('spells each tonic with the fewest accidentals, flats on a tie, as tonal names keys', () => {
    const names = Array.from({ length: 24 }, (_, index) => keyOf(index).name);
    expect(names.slice(0, 12)).toEqual(
      ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'].map((t) => `${t} major`),
    );
    expect(names.slice(12)).toEqual(
      ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'G#', 'A', 'Bb', 'B'].map((t) => `${t} minor`),
    );
    for (const index of [6, 12 + 6]) {
      const { tonic, mode } = keyOf(index);
      expect(mode === 'major' ? Key.majorKey(tonic).tonic : Key.minorKey(tonic).tonic).toBe(tonic);
    }
  });

  it('reads keys the way mir_eval writes them', () => {
    expect(parseKey('c# MINOR')).toMatchObject({ tonic: 'C#', mode: 'minor', name: 'C# minor' });
    expect(parseKey(' Gb major ').name).toBe('Gb major');
    expect(() => parseKey('H major', 'ref.txt')).toThrow(JamError);
    expect(() => parseKey('C dorian', 'ref.txt')).toThrow(/ref\.txt: "C dorian" is not a key/);
  });
});

describe('keyCorrelations', () => {
  it('finds C major from the C major scale and A minor from the A harmonic minor scale with every profile', () => {
    for (const profile of PROFILE_NAMES) {
      expect(keyFromScores(keyCorrelations(weightsOf([0, 2, 4, 5, 7, 9, 11]), profile)).name).toBe('C major');
      expect(keyFromScores(keyCorrelations(weightsOf([9, 11, 0, 2, 4, 5, 8]), profile)).name).toBe('A minor');
    }
  });

  it('is more confident of a whole scale than of a bare fifth, which fits several keys', () => {
    const scale = keyFromScores(keyCorrelations(weightsOf([0, 2, 4, 5, 7, 9, 11], 3), 'albrecht-shanahan'));
    const fifth = keyFromScores(keyCorrelations(weightsOf([0, 7], 1), 'albrecht-shanahan'));
    expect(scale.confidence).toBeGreaterThan(0.6);
    expect(fifth.confidence).toBeLessThan(scale.confidence);
  });
});

describe('homeKeyScores', () => {
  it('tells a key from its relative minor by the chords: where the music rests, and its cadences', () => {
    // The notes of C major and A minor are the same; the chords say A minor: Am most of the time, E → Am.
    const correlations = keyCorrelations(weightsOf([0, 2, 4, 5, 7, 9, 11], 1), 'albrecht-shanahan');
    const harmony = [
      { root: 9, triad: 'minor' as const, pitchClasses: [], duration: 4 },
      { root: 5, triad: 'major' as const, pitchClasses: [], duration: 2 },
      { root: 4, triad: 'major' as const, pitchClasses: [], duration: 2 },
      { root: 9, triad: 'minor' as const, pitchClasses: [], duration: 4 },
    ];
    const scores = homeKeyScores(correlations, harmony);
    expect(scores[keyIndex(9, 'minor')]).toBeGreaterThan(scores[keyIndex(0, 'major')]);
    expect(keyFromScores(scores).name).toBe('A minor');
  });
});

describe('the key of a short progression', () => {
  /** Triads, a bar each, as the pack writes them in block form. */
  function loop(symbols: string[]): NoteEvent[] {
    return symbols.flatMap((symbol, bar) =>
      Chord.get(symbol).notes.map((note) => ({
        pitch: Note.midi(`${note}4`) as number,
        start: bar * 2,
        end: bar * 2 + 2,
        velocity: 80,
      })),
    );
  }
  const keyOfLoop = (symbols: string[]) => analyzeNotes(loop(symbols), { grid: grid(symbols.length) }).key?.name;

  it('is heard from where it starts, or from where its last cadence leads', () => {
    expect(keyOfLoop(['Am', 'F', 'C', 'G'])).toBe('A minor');
    expect(keyOfLoop(['Dm', 'G', 'C'])).toBe('C major');
    expect(keyOfLoop(['Ab', 'Bb', 'C'])).toBe('C major');
  });

  it('counts the chords a major key borrows from its parallel minor as its own', () => {
    expect(keyOfLoop(['C', 'Ab', 'Bb', 'C'])).toBe('C major');
    expect(keyOfLoop(['C', 'Fm', 'C', 'G'])).toBe('C major');
    // And not the key whose own tonic turns minor: F Fm C ends in C, it does not start in F.
    expect(keyOfLoop(['F', 'Fm', 'C'])).toBe('C major');
  });

  it('does not start at home on a chord whose raised fourth sounds, unless that fourth leads on to V', () => {
    // Em's B is F's raised fourth: F Em Dm C steps down to C. D's F# is C's, but D goes on to G, V of C.
    expect(keyOfLoop(['F', 'Em', 'Dm', 'C'])).toBe('C major');
    expect(keyOfLoop(['C', 'D', 'G', 'C'])).toBe('C major');
  });
});

/** 120 bpm, 4/4, a bar every 2 s. */
function grid(bars: number): BeatGrid {
  const beats = Array.from({ length: bars * 4 }, (_, i) => i * 0.5);
  return { beats, bars: beats.filter((_, i) => i % 4 === 0), tempo: 120, meter: [4, 4], estimated: false };
}
