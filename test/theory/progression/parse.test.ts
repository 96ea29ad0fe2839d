import { describe, expect, test } from 'vitest';
import { JamError } from '../../../src/errors.js';
import {
  chordsFileName,
  keyName,
  keySignatureOf,
  parseMusicalKey,
  parseProgression,
  scaleOf,
  type MusicalKey,
} from '../../../src/theory/progression/parse.js';

const key = (text: string): MusicalKey => parseMusicalKey(text);
const symbols = (text: string, keyText?: string): string[] =>
  parseProgression(text, keyText === undefined ? {} : { key: key(keyText) }).chords.map((chord) => chord.symbol);

function errorOf(run: () => unknown): JamError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(JamError);
    return error as JamError;
  }
  throw new Error('expected a JamError');
}

describe('keys', () => {
  test.each([
    ['C', 'C major'],
    ['c', 'C major'],
    ['F#m', 'F# minor'],
    ['Bb minor', 'Bb minor'],
    ['Ebmaj', 'Eb major'],
    ['AM', 'A major'],
    ['d dorian', 'D dorian'],
    ['G Mixolydian', 'G mixolydian'],
    ['E phrygian', 'E phrygian'],
    ['F lydian', 'F lydian'],
    ['B locrian', 'B locrian'],
    ['A aeolian', 'A minor'],
    ['C ionian', 'C major'],
    ['D♭', 'Db major'],
  ])('%s is %s', (text, name) => {
    expect(keyName(key(text))).toBe(name);
  });

  test('a tonic alone takes the mode it is given, major by default', () => {
    expect(parseMusicalKey('Eb', 'minor')).toEqual({ tonic: 'Eb', mode: 'minor' });
    expect(parseMusicalKey('Eb dorian', 'minor')).toEqual({ tonic: 'Eb', mode: 'dorian' });
  });

  test('scales of the church modes', () => {
    expect(scaleOf(key('D dorian'))).toEqual(['D', 'E', 'F', 'G', 'A', 'B', 'C']);
    expect(scaleOf(key('F# minor'))).toEqual(['F#', 'G#', 'A', 'B', 'C#', 'D', 'E']);
    expect(scaleOf(key('Bb mixolydian'))).toEqual(['Bb', 'C', 'D', 'Eb', 'F', 'G', 'Ab']);
  });

  test('--key H names H and suggests B, the English name of German H', () => {
    const error = errorOf(() => key('H'));
    expect(error.message).toMatch(/^unknown key "H": did you mean B\?/);
  });

  test('a misspelt mode is named, with the nearest mode suggested', () => {
    expect(errorOf(() => key('C dorain')).message).toMatch(/"dorain" is not a mode; did you mean "C dorian"\?/);
    expect(errorOf(() => key('X')).message).toMatch(/unknown key "X": use a tonic A–G/);
  });

  // Sharps (+) and flats (−) of all 24 keys, as any key-signature chart has them, and the modes' parent signatures.
  const SIGNATURES: Array<[string, number, boolean]> = [
    ['C', 0, false],
    ['G', 1, false],
    ['D', 2, false],
    ['A', 3, false],
    ['E', 4, false],
    ['B', 5, false],
    ['F#', 6, false],
    ['Db', -5, false],
    ['Ab', -4, false],
    ['Eb', -3, false],
    ['Bb', -2, false],
    ['F', -1, false],
    ['Am', 0, true],
    ['Em', 1, true],
    ['Bm', 2, true],
    ['F#m', 3, true],
    ['C#m', 4, true],
    ['G#m', 5, true],
    ['D#m', 6, true],
    ['Bbm', -5, true],
    ['Fm', -4, true],
    ['Cm', -3, true],
    ['Gm', -2, true],
    ['Dm', -1, true],
    // A church mode is written as its parent major scale.
    ['D dorian', 0, false],
    ['E phrygian', 0, false],
    ['F lydian', 0, false],
    ['G mixolydian', 0, false],
    ['B locrian', 0, false],
    ['A dorian', 1, false],
    ['Eb lydian', -2, false],
    // Beyond seven sharps: G# major is written as A flat major.
    ['G#', -4, false],
  ];
  test.each(SIGNATURES)('key signature of %s: %i, minor %s', (text, accidentals, minor) => {
    expect(keySignatureOf(key(text))).toEqual({ accidentals, minor });
  });
});

describe('Roman numerals', () => {
  test('diatonic, in C major and other keys', () => {
    expect(symbols('I V vi IV', 'C')).toEqual(['C', 'G', 'Am', 'F']);
    expect(symbols('I V vi IV', 'Eb')).toEqual(['Eb', 'Bb', 'Cm', 'Ab']);
    expect(symbols('I V vi IV', 'F#')).toEqual(['F#', 'C#', 'D#m', 'B']);
    expect(symbols('ii iii vii°', 'D')).toEqual(['Em', 'F#m', 'C#dim']);
  });

  test('minor keys count from the tonic on the major scale: bIII, bVI, bVII', () => {
    expect(symbols('i bVI bIII bVII', 'Am')).toEqual(['Am', 'F', 'C', 'G']);
    expect(symbols('i bVI bIII bVII', 'F#m')).toEqual(['F#m', 'D', 'A', 'E']);
    expect(symbols('iiø7 V7 i vii°7', 'Am')).toEqual(['Bm7b5', 'E7', 'Am', 'G#dim7']);
    expect(symbols('i ♭VI ♭III ♭VII', 'Cm')).toEqual(['Cm', 'Ab', 'Eb', 'Bb']);
  });

  test('church modes', () => {
    expect(symbols('i IV', 'D dorian')).toEqual(['Dm', 'G']);
    expect(symbols('I bVII IV', 'G mixolydian')).toEqual(['G', 'F', 'C']);
    expect(symbols('i bII', 'E phrygian')).toEqual(['Em', 'F']);
    expect(symbols('I II', 'F lydian')).toEqual(['F', 'G']);
    expect(symbols('i° bII', 'B locrian')).toEqual(['Bdim', 'C']);
  });

  test('secondary dominants', () => {
    expect(symbols('V/V V7/V V/vi V7/IV vii°7/V V7/ii', 'C')).toEqual(['D', 'D7', 'E', 'C7', 'F#dim7', 'A7']);
    expect(symbols('V7/iv', 'Am')).toEqual(['A7']);
  });

  test('borrowed chords', () => {
    expect(symbols('iv bVII bVI bIII bII', 'C')).toEqual(['Fm', 'Bb', 'Ab', 'Eb', 'Db']);
  });

  test('sevenths, sus, add, sixths and extensions', () => {
    expect(symbols('Imaj7 ii7 V7 viiø7 vii°7 imaj7', 'C')).toEqual(['Cmaj7', 'Dm7', 'G7', 'Bm7b5', 'Bdim7', 'CmMaj7']);
    expect(symbols('Isus4 Isus2 Vsus V7sus4 IVadd9 iadd9', 'C')).toEqual([
      'Csus4',
      'Csus2',
      'Gsus4',
      'G7sus4',
      'Fadd9',
      'Cmadd9',
    ]);
    expect(symbols('I6 vi6 I6/9 I69 vi9 Imaj9 V9', 'C')).toEqual(['C6', 'Am6', 'C6/9', 'C6/9', 'Am9', 'Cmaj9', 'G9']);
    expect(symbols('V11 ii11 V13 vi13 Imaj13', 'C')).toEqual(['G11', 'Dm11', 'G13', 'Am13', 'Cmaj13']);
    expect(symbols('I+ V7b9 V7#9 I5 IIm7', 'C')).toEqual(['Caug', 'G7b9', 'G7#9', 'C5', 'Dm7']);
  });

  test('each chord carries its pitch classes and intervals from tonal', () => {
    const [chord] = parseProgression('V7/V', { key: key('C') }).chords;
    expect(chord).toMatchObject({
      written: 'V7/V',
      numeral: 'V7/V',
      symbol: 'D7',
      root: 'D',
      bass: 'D',
      notes: ['D', 'F#', 'A', 'C'],
    });
    expect(chord.intervals).toEqual(['1P', '3M', '5P', '7m']);
  });

  test('double flats are spelled plainly: bVI of D flat is A, not B double flat', () => {
    expect(symbols('bVI bIII', 'Db')).toEqual(['A', 'Fb']);
  });
});

describe('chord symbols', () => {
  test('symbols are kept as written, and the first chord gives the key', () => {
    const progression = parseProgression('Cmaj7 Am7 Dm7 G7');
    expect(progression.chords.map((chord) => chord.symbol)).toEqual(['Cmaj7', 'Am7', 'Dm7', 'G7']);
    expect(progression.key).toEqual({ tonic: 'C', mode: 'major' });
    expect(parseProgression('Am F C G').key).toEqual({ tonic: 'A', mode: 'minor' });
    expect(parseProgression('Am F C G', { key: key('C') }).key).toEqual({ tonic: 'C', mode: 'major' });
  });

  test('slash chords keep their bass, below the chord', () => {
    const [slash] = parseProgression('C/E').chords;
    expect(slash).toMatchObject({ symbol: 'C/E', root: 'C', bass: 'E', intervals: ['1P', '3M', '5P'] });
    expect(parseProgression('C/Bb').chords[0].notes).toEqual(['Bb', 'C', 'E', 'G']);
  });

  test('numerals and symbols mix; numerals then count from C major unless a key is given', () => {
    expect(symbols('I Am7 V7/V')).toEqual(['C', 'Am7', 'D7']);
  });
});

describe('lengths and separators', () => {
  test('per-chord beats after a colon; the rest take --beats', () => {
    expect(parseProgression('I:2 V:2 vi IV').chords.map((chord) => chord.beats)).toEqual([2, 2, 4, 4]);
    expect(parseProgression('I V:1.5', { beats: 2 }).chords.map((chord) => chord.beats)).toEqual([2, 1.5]);
  });

  test('dashes, commas and bars separate chords, but a dash inside a chord symbol does not', () => {
    expect(symbols('I-V-vi-IV')).toEqual(['C', 'G', 'Am', 'F']);
    expect(symbols('I:2-V:2, vi | IV')).toEqual(['C', 'G', 'Am', 'F']);
    expect(symbols('C-7 F7')).toEqual(['C-7', 'F7']);
  });

  test('a file name reads back as the progression: ∕ is a slash', () => {
    const progression = parseProgression('ii7 V7/V V7 I:8');
    expect(chordsFileName(progression)).toBe('ii7-V7∕V-V7-I');
    expect(symbols(chordsFileName(progression))).toEqual(['Dm7', 'D7', 'G7', 'C']);
  });
});

describe('bad progressions name the bad token and suggest the nearest valid ones', () => {
  test('"I V xyz": xyz is named, and the chords of the key are offered', () => {
    const error = errorOf(() => parseProgression('I V xyz'));
    expect(error.message).toBe(
      'progression "I V xyz": "xyz" is not a Roman numeral or chord symbol; did you mean I, ii, iii, IV, V, vi or vii°? (e.g. I ii V7 bVII V/V, or Cmaj7 Am7)',
    );
    expect(errorOf(() => parseProgression('i xyz', { key: key('Am') })).message).toMatch(
      /did you mean i, ii°, bIII, iv, v, bVI, bVII or V\?/,
    );
  });

  test.each([
    ['I iV', 'iV', /did you mean IV, iv or V\?/],
    ['Cmj7 G', 'Cmj7', /did you mean Cm7, Cmaj7/],
    ['I Vsus5', 'Vsus5', /did you mean Vsus4/],
    ['i+', 'i+', /did you mean/],
    ['I V7/Q', 'V7/Q', /did you mean V7/],
  ])('%s: "%s"', (text, token, hint) => {
    const error = errorOf(() => parseProgression(text));
    expect(error.message).toContain(`"${token}" is not a Roman numeral or chord symbol`);
    expect(error.message).toMatch(hint);
  });

  test.each(['I:0', 'I:x', 'I:', 'I:65'])('a bad length: %s', (text) => {
    expect(errorOf(() => parseProgression(text)).message).toMatch(
      new RegExp(`"${text}" has a bad length .*e\\.g\\. I:2`),
    );
  });

  test('no chords at all', () => {
    expect(errorOf(() => parseProgression('  ')).message).toMatch(/has no chords/);
  });
});
