import { Chord, Note, Progression, RomanNumeral } from 'tonal';
import { describe, expect, test } from 'vitest';
import { JamError } from '../../../src/errors.js';
import { GENRES, MOODS, PROGRESSIONS } from '../../../src/theory/progression/data/progressions.js';
import { findProgression, listProgressions, TAGS } from '../../../src/theory/progression/library.js';
import { chordsFileName, MODES, parseProgression } from '../../../src/theory/progression/parse.js';

describe('the library', () => {
  test('has at least 150 progressions with unique names, in every mode', () => {
    expect(PROGRESSIONS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(PROGRESSIONS.map((progression) => progression.name.toLowerCase())).size).toBe(PROGRESSIONS.length);
    for (const mode of MODES) expect(listProgressions({ mode }).length, mode).toBeGreaterThan(0);
  });

  test('no two progressions of a mode share a file name (their numerals without lengths)', () => {
    for (const mode of MODES) {
      const names = listProgressions({ mode }).map((progression) =>
        chordsFileName(parseProgression(progression.numerals)),
      );
      expect(new Set(names).size, mode).toBe(names.length);
    }
  });

  test('every progression has moods and genres from the vocabularies', () => {
    for (const progression of PROGRESSIONS) {
      expect(progression.moods.length, progression.name).toBeGreaterThan(0);
      expect(progression.genres.length, progression.name).toBeGreaterThan(0);
      for (const mood of progression.moods) expect(MOODS, progression.name).toContain(mood);
      for (const genre of progression.genres) expect(GENRES, progression.name).toContain(genre);
    }
  });

  /**
   * An independent reading of each numeral: the root from tonal's own Progression.fromRomanNumerals (taking
   * a secondary numeral's target as a second step), the third from the numeral's case.
   */
  test('every numeral names the chord tonal reads it as: the root, and a major or minor third by its case', () => {
    for (const progression of PROGRESSIONS) {
      const chords = parseProgression(progression.numerals, { key: { tonic: 'C', mode: progression.mode } }).chords;
      for (const chord of chords) {
        // A slash before a numeral is a secondary chord (V7/V); before a number it is part of the chord (I6/9).
        const [, primary, target] = /^(.+?)(?:\/([b#]?[IViv]+))?$/.exec(chord.numeral ?? '') ?? [];
        const tonic = target === undefined ? 'C' : Progression.fromRomanNumerals('C', [target])[0];
        const numeral = RomanNumeral.get(primary);
        const [roman] = Progression.fromRomanNumerals(tonic, [`${numeral.acc}${numeral.roman}`]);
        const where = `${progression.name}: ${chord.numeral} = ${chord.symbol}`;
        expect(Note.chroma(chord.root), where).toBe(Note.chroma(roman));
        const intervals = Chord.get(chord.symbol).intervals;
        const upper = numeral.major;
        if (intervals.includes('3M') || intervals.includes('3m')) {
          const third = intervals.includes('3M') ? 'major' : 'minor';
          expect(third, where).toBe(upper && !/[°ø]|dim|m(?!aj)/.test(primary) ? 'major' : 'minor');
        }
        expect(chord.notes, where).toEqual(Chord.get(chord.symbol).notes);
      }
    }
  });
});

describe('filtering and finding', () => {
  test('--tag and --mode filter; every tag a progression may have is a mood or a genre', () => {
    const sadMinor = listProgressions({ tags: ['sad'], mode: 'minor' });
    expect(sadMinor.length).toBeGreaterThan(0);
    expect(sadMinor.every((progression) => progression.moods.includes('sad') && progression.mode === 'minor')).toBe(
      true,
    );
    expect(
      listProgressions({ tags: ['jazz', 'chill'] }).every(
        (p) => p.genres.includes('jazz') && p.moods.includes('chill'),
      ),
    ).toBe(true);
    expect(listProgressions({ tags: ['SAD'] })).toEqual(listProgressions({ tags: ['sad'] }));
    expect(listProgressions()).toHaveLength(PROGRESSIONS.length);
    expect(TAGS).toEqual([...MOODS, ...GENRES]);
  });

  test('an unknown tag is named, with the nearest tags suggested', () => {
    expect(() => listProgressions({ tags: ['sadd'] })).toThrow(JamError);
    expect(() => listProgressions({ tags: ['sadd'] })).toThrow(/unknown tag "sadd": did you mean sad\?/);
  });

  test('a progression by name, in any case; an unknown name suggests the nearest', () => {
    expect(findProgression('pop axis').numerals).toBe('I V vi IV');
    expect(findProgression('  Andalusian Cadence ').mode).toBe('minor');
    expect(() => findProgression('andalusin cadense')).toThrow(
      /no progression named "andalusin cadense" in the library: did you mean "Andalusian cadence"/,
    );
  });
});
