import { describe, expect, it } from 'vitest';
import { chordState } from '../../../src/theory/analysis/chords.js';
import { parseKey } from '../../../src/theory/analysis/key.js';
import { romanNumeral } from '../../../src/theory/analysis/roman.js';

const PC: Record<string, number> = {
  C: 0,
  'C#': 1,
  Db: 1,
  D: 2,
  Eb: 3,
  E: 4,
  F: 5,
  'F#': 6,
  G: 7,
  'G#': 8,
  Ab: 8,
  A: 9,
  Bb: 10,
  B: 11,
};

/** The numeral, role and root spelling of `root quality` in `key`, followed by `next` (or nothing). */
function numeral(key: string, root: string, quality: string, next?: [string, string]) {
  const following = next ? chordState(PC[next[0]], next[1]) : null;
  return romanNumeral(chordState(PC[root], quality), parseKey(key), following);
}

describe('romanNumeral', () => {
  it('names the diatonic chords of a major key, case and suffix from the quality', () => {
    const chords: Array<[string, string, string]> = [
      ['C', 'maj', 'I'],
      ['D', 'min', 'ii'],
      ['E', 'min7', 'iii7'],
      ['F', 'maj7', 'IVmaj7'],
      ['G', '7', 'V7'],
      ['A', 'min', 'vi'],
      ['B', 'dim', 'vii°'],
      ['B', 'hdim7', 'viiø7'],
      ['G', 'sus4', 'Vsus4'],
    ];
    for (const [root, quality, expected] of chords)
      expect(numeral('C major', root, quality)).toMatchObject({ numeral: expected, role: 'diatonic', root });
  });

  it("names a minor key's chords against its own scale, with the raised leading tone as its own", () => {
    const chords: Array<[string, string, string]> = [
      ['A', 'min', 'i'],
      ['B', 'dim', 'ii°'],
      ['C', 'maj', 'III'],
      ['D', 'min', 'iv'],
      ['E', 'maj', 'V'],
      ['E', '7', 'V7'],
      ['F', 'maj', 'VI'],
      ['G', 'maj', 'VII'],
      ['G#', 'dim7', 'vii°7'],
      ['E', 'min', 'v'],
    ];
    for (const [root, quality, expected] of chords)
      expect(numeral('A minor', root, quality)).toMatchObject({ numeral: expected, role: 'diatonic' });
  });

  it('names secondary dominants and leading-tone chords by the chord they point to', () => {
    expect(numeral('C major', 'D', '7')).toMatchObject({ numeral: 'V7/V', role: 'secondary', root: 'D' });
    expect(numeral('C major', 'A', '7')).toMatchObject({ numeral: 'V7/ii', role: 'secondary' });
    expect(numeral('C major', 'E', 'maj', ['A', 'min'])).toMatchObject({ numeral: 'V/vi', role: 'secondary' });
    expect(numeral('C major', 'C', '7')).toMatchObject({ numeral: 'V7/IV', role: 'secondary' });
    expect(numeral('C major', 'F#', 'dim7')).toMatchObject({ numeral: 'vii°7/V', role: 'secondary', root: 'F#' });
    expect(numeral('C major', 'G#', 'dim7')).toMatchObject({ numeral: 'vii°7/vi', root: 'G#' });
    expect(numeral('A minor', 'B', '7')).toMatchObject({ numeral: 'V7/V', role: 'secondary' });
    expect(numeral('Eb major', 'F', '7')).toMatchObject({ numeral: 'V7/V', root: 'F' });
  });

  it('names chords borrowed from the parallel key, with accidentals against the home scale', () => {
    expect(numeral('C major', 'Bb', 'maj')).toMatchObject({ numeral: 'bVII', role: 'borrowed', root: 'Bb' });
    expect(numeral('C major', 'F', 'min')).toMatchObject({ numeral: 'iv', role: 'borrowed' });
    expect(numeral('C major', 'Ab', 'maj7')).toMatchObject({ numeral: 'bVImaj7', role: 'borrowed', root: 'Ab' });
    expect(numeral('C major', 'Eb', 'maj')).toMatchObject({ numeral: 'bIII', role: 'borrowed', root: 'Eb' });
    expect(numeral('A minor', 'D', 'maj')).toMatchObject({ numeral: 'IV', role: 'borrowed' });
    expect(numeral('A minor', 'A', 'maj')).toMatchObject({ numeral: 'I', role: 'borrowed' });
    // A major triad a fifth above a chord of the key, not resolving to it, is still borrowed when it can be.
    expect(numeral('E major', 'D', 'maj', ['E', 'maj'])).toMatchObject({ numeral: 'bVII', role: 'borrowed' });
    expect(numeral('E major', 'D', 'maj', ['G', 'maj'])).toMatchObject({ role: 'borrowed' });
  });

  it('calls anything else chromatic, still with a numeral', () => {
    expect(numeral('C major', 'Db', 'maj')).toMatchObject({ numeral: 'bII', role: 'chromatic', root: 'Db' });
    expect(numeral('C major', 'F#', 'min')).toMatchObject({ numeral: '#iv', role: 'chromatic' });
  });
});
