import { describe, expect, it } from 'vitest';
import { parseHarte } from '../../../src/theory/analysis/harte.js';

function bitmap(...semitones: number[]): number[] {
  const places = new Array(12).fill(0);
  for (const semitone of semitones) places[semitone] = 1;
  return places;
}

describe('parseHarte', () => {
  it('reads roots, shorthands, degree lists and bass degrees as mir_eval encodes them', () => {
    expect(parseHarte('C')).toEqual({ root: 0, bitmap: bitmap(0, 4, 7), bass: 0 });
    expect(parseHarte('A:min7')).toEqual({ root: 9, bitmap: bitmap(0, 3, 7, 10), bass: 0 });
    expect(parseHarte('F#:maj7/5')).toEqual({ root: 6, bitmap: bitmap(0, 4, 7, 11), bass: 7 });
    expect(parseHarte('Bb:maj/b7')).toEqual({ root: 10, bitmap: bitmap(0, 4, 7, 10), bass: 10 });
    expect(parseHarte('Cb:min')).toMatchObject({ root: 11 });
    expect(parseHarte('C:(1,b3,5)')).toEqual({ root: 0, bitmap: bitmap(0, 3, 7), bass: 0 });
    expect(parseHarte('G:7(*3)')).toEqual({ root: 7, bitmap: bitmap(0, 7, 10), bass: 0 });
    // Ninths and other degrees past the octave are not in the bitmap.
    expect(parseHarte('F:9').bitmap).toEqual(bitmap(0, 4, 7, 10));
    expect(parseHarte('Eb:maj(9)').bitmap).toEqual(bitmap(0, 4, 7));
    expect(parseHarte('N')).toEqual({ root: -1, bitmap: bitmap(), bass: -1 });
    expect(parseHarte('X').bitmap.every((place) => place === -1)).toBe(true);
  });

  it('refuses what is not a Harte label, saying which label', () => {
    for (const label of ['H:maj', 'C:major', 'C:', 'C:maj()', 'C(1,3)', 'C:maj/x', 'c:min', 'C:aug7', 'C:maj/15']) {
      expect(() => parseHarte(label), label).toThrow(`"${label}"`);
    }
  });
});
