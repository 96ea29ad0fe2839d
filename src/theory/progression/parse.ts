/**
 * Chord progressions as people write them: Roman numerals (`I V vi IV`, `ii7 V7 Imaj7`, `i bVI bIII bVII`,
 * `V7/V`, `Isus4`, `IVadd9`) or chord symbols (`Cmaj7 Am7 Dm7 G7`, `C/E`), each optionally with its length
 * in beats (`I:2`); and keys (`C`, `F#m`, `Bb minor`, `D dorian`).
 *
 * Numerals count from the tonic on the major scale, whatever the mode, so a numeral always names the same
 * chord: in A minor, F is `bVI` and `VI` would be F#. The case gives the quality (`vi` minor, `VI` major)
 * unless the suffix says it (`vii°`, `Vsus4`).
 */
import { Chord, Key, Mode, Note, RomanNumeral } from 'tonal';
import { excerpt, JamError } from '../../errors.js';
import { COMMON_NUMERAL_SUFFIXES, NUMERAL_SUFFIXES } from './data/numeralSuffixes.js';
import { MAJOR_KEY_CHORDS, MINOR_KEY_CHORDS } from './data/packChords.js';
import { nearestWords, orList } from '../../suggest.js';

export const MODES = ['major', 'minor', 'dorian', 'phrygian', 'lydian', 'mixolydian', 'locrian'] as const;
export type ModeName = (typeof MODES)[number];

/** A tonic and a mode: the key a progression is in. */
export interface MusicalKey {
  tonic: string;
  mode: ModeName;
}

/** One chord of a progression, and how long it lasts. */
export interface ProgressionChord {
  /** The chord as written, without its length: `V7/V`, `Am7`. */
  written: string;
  /** The Roman numeral, when the chord was written as one. */
  numeral?: string;
  /** The chord symbol, as a marker in the MIDI file shows it: `D7`, `C/E`. */
  symbol: string;
  root: string;
  /** The lowest note's pitch class: the root, or the note after the slash of `C/E`. */
  bass: string;
  /** Intervals above the root, as tonal spells them (`1P 3M 5P 7m`), without a slash bass. */
  intervals: string[];
  /** Pitch classes of the chord, slash bass included (tonal's `Chord.get(symbol).notes`). */
  notes: string[];
  beats: number;
}

export interface Progression {
  key: MusicalKey;
  chords: ProgressionChord[];
}

export interface ParseOptions {
  /** The key numerals count from; without it, C major for numerals, or the first chord symbol's key. */
  key?: MusicalKey;
  /** Beats for chords written without a length. */
  beats?: number;
}

export const DEFAULT_BEATS = 4;
/** Longest chord, in beats: sixteen bars of 4/4. */
export const MAX_BEATS = 64;
const DEFAULT_KEY: MusicalKey = { tonic: 'C', mode: 'major' };

/** The spoken names of each mode (the church modes' own names included). */
const MODE_WORDS: Readonly<Record<string, ModeName>> = {
  M: 'major',
  maj: 'major',
  major: 'major',
  ionian: 'major',
  m: 'minor',
  min: 'minor',
  minor: 'minor',
  aeolian: 'minor',
  dorian: 'dorian',
  phrygian: 'phrygian',
  lydian: 'lydian',
  mixolydian: 'mixolydian',
  locrian: 'locrian',
};
/** tonal names the major and minor modes by their church names. */
export const TONAL_MODE: Readonly<Record<ModeName, string>> = {
  major: 'ionian',
  minor: 'aeolian',
  dorian: 'dorian',
  phrygian: 'phrygian',
  lydian: 'lydian',
  mixolydian: 'mixolydian',
  locrian: 'locrian',
};
/** German note names that are not English ones: H is B. */
const GERMAN_NOTE_NAMES: Readonly<Record<string, string>> = { H: 'B' };
const KEY_EXAMPLES = 'e.g. C, F#m, "Bb minor", "D dorian"';
const CHORD_EXAMPLES = 'e.g. I ii V7 bVII V/V, or Cmaj7 Am7';
/** Offered for a chord symbol too far from any known one. */
const COMMON_CHORD_TYPES = ['', 'm', '7', 'maj7', 'm7'];

const ROMAN = '(?:VII|VI|V|IV|III|II|I|vii|vi|v|iv|iii|ii|i)';
const NUMERAL = new RegExp(`^([b#]?)(${ROMAN})(.*)$`);
const SECONDARY = new RegExp(`^(.+)/([b#]?${ROMAN})$`);
const KEY = /^([A-Za-z])([#b]?)\s*(.*)$/;

/**
 * Unicode accidentals as ASCII, the way tonal reads them, and the division slash of pack file names (`V∕V`) as a slash.
 */
function plainSymbols(text: string): string {
  return text.replace(/♭/g, 'b').replace(/♯/g, '#').replace(/∕/g, '/');
}

export function keyName(key: MusicalKey): string {
  return `${key.tonic} ${key.mode}`;
}

/**
 * `C`, `c#`, `F#m`, `Bb minor`, `D dorian`, `A aeolian` → a key; anything else is a JamError naming it.
 * A tonic alone is in `modeIfNone` (major unless said).
 */
export function parseMusicalKey(text: string, modeIfNone: ModeName = 'major'): MusicalKey {
  const written = plainSymbols(text.trim());
  const match = KEY.exec(written);
  const letter = match?.[1].toUpperCase() ?? '';
  if (!match || !'ABCDEFG'.includes(letter)) {
    const german = GERMAN_NOTE_NAMES[letter];
    const hint = german ? `did you mean ${german}? (H is German for B)` : `use a tonic A–G with an optional # or b`;
    throw new JamError(`unknown key ${excerpt(text)}: ${hint}; ${KEY_EXAMPLES}`);
  }
  const modeWord = match[3].trim();
  const mode = modeWord === '' ? modeIfNone : (MODE_WORDS[modeWord] ?? MODE_WORDS[modeWord.toLowerCase()]);
  if (mode === undefined) {
    const suggestions = nearestWords(modeWord.toLowerCase(), MODES);
    const hint =
      suggestions.length > 0
        ? `did you mean ${orList(suggestions.map((word) => `"${letter}${match[2]} ${word}"`))}? `
        : '';
    throw new JamError(
      `unknown key ${excerpt(text)}: ${excerpt(modeWord)} is not a mode; ${hint}modes: ${MODES.join(', ')}`,
    );
  }
  return { tonic: letter + match[2], mode };
}

/** The tonic of `mode` among the notes of `majorTonic`'s scale: D for dorian in C major, A for minor. */
export function modeTonicOf(majorTonic: string, mode: ModeName): string {
  return Mode.relativeTonic(TONAL_MODE[mode], 'ionian', majorTonic);
}

/** The notes of the key's scale, from the tonic. */
export function scaleOf(key: MusicalKey): string[] {
  return Mode.notes(TONAL_MODE[key.mode], key.tonic);
}

export interface KeySignature {
  /** Sharps (positive) or flats (negative). */
  accidentals: number;
  minor: boolean;
}

/** A key signature holds at most seven sharps or flats; twelve fifths lead round to the same key. */
const MOST_ACCIDENTALS = 7;
const FIFTHS_AROUND_THE_CIRCLE = 12;
/** tonal's Key.majorKey works out a whole key; a pack asks for the same two dozen signatures thousands of times. */
const keySignatures = new Map<string, KeySignature>();

/**
 * The key signature as a count of sharps (positive) or flats (negative), and whether the key is minor: what
 * a MIDI key-signature event holds. A MIDI signature names only major and minor keys, so a church mode is
 * written as its parent major scale, whose notes it shares (D dorian as C major); a signature beyond seven
 * accidentals is written as its enharmonic twin (G# major as Ab major).
 */
export function keySignatureOf(key: MusicalKey): KeySignature {
  const id = keyName(key);
  let signature = keySignatures.get(id);
  if (!signature) {
    const parentMajor = Mode.relativeTonic('ionian', TONAL_MODE[key.mode], key.tonic);
    let accidentals = Key.majorKey(parentMajor).alteration;
    if (accidentals > MOST_ACCIDENTALS) accidentals -= FIFTHS_AROUND_THE_CIRCLE;
    if (accidentals < -MOST_ACCIDENTALS) accidentals += FIFTHS_AROUND_THE_CIRCLE;
    signature = { accidentals, minor: key.mode === 'minor' };
    keySignatures.set(id, signature);
  }
  return signature;
}

/** Double sharps and flats read badly in a chord symbol: Bbb becomes A. */
function plainSpelling(note: string): string {
  return Math.abs(Note.get(note).alt ?? 0) > 1 ? Note.simplify(note) : note;
}

/** The root a numeral such as `bVII` stands for, counted from `tonic` on the major scale. */
function degreeRoot(tonic: string, accidental: string, roman: string): string {
  return plainSpelling(Note.transpose(tonic, RomanNumeral.get(accidental + roman.toUpperCase()).interval ?? '1P'));
}

interface ChordParts {
  root: string;
  type: string;
  bass?: string;
}

/** `V7/V`, `bVIImaj7`, `vii°` → root and chord type in `key`, or undefined if it is not a numeral. */
function numeralParts(numeral: string, key: MusicalKey): ChordParts | undefined {
  let tonic = key.tonic;
  let primary = numeral;
  const secondary = SECONDARY.exec(numeral);
  if (secondary) {
    const [, , accidental, roman] = NUMERAL.exec(secondary[2]) ?? [];
    tonic = degreeRoot(key.tonic, accidental, roman);
    primary = secondary[1];
  }
  const match = NUMERAL.exec(primary);
  if (!match) return undefined;
  const [, accidental, roman, suffix] = match;
  const meaning = NUMERAL_SUFFIXES[suffix];
  const type = roman === roman.toUpperCase() ? meaning?.upper : meaning?.lower;
  if (type === undefined) return undefined;
  return { root: degreeRoot(tonic, accidental, roman), type };
}

/** `Cmaj7`, `F#m7b5`, `C/E` → root, type and slash bass, or undefined if tonal does not know the chord. */
function symbolParts(symbol: string): ChordParts | undefined {
  if (!/^[A-G]/.test(symbol)) return undefined;
  const chord = Chord.get(symbol);
  if (chord.empty || !chord.tonic) return undefined;
  const [root, type, bass] = Chord.tokenize(symbol);
  return { root, type, bass: bass || undefined };
}

function chordFromParts(
  written: string,
  parts: ChordParts,
  numeral: string | undefined,
  beats: number,
): ProgressionChord {
  const symbol = numeral === undefined ? Chord.get(written).symbol : parts.root + parts.type;
  return {
    written,
    ...(numeral === undefined ? {} : { numeral }),
    symbol,
    root: parts.root,
    bass: parts.bass ?? parts.root,
    intervals: Chord.get(parts.root + parts.type).intervals,
    notes: Chord.get(symbol).notes,
    beats,
  };
}

/** The chords a mistyped token was most likely meant to be: near spellings, or else the everyday chords. */
function suggestionsFor(token: string, key: MusicalKey): string[] {
  const symbol = /^([A-G][#b]?)(.*)$/.exec(token);
  if (symbol) {
    const types = Object.values(NUMERAL_SUFFIXES)
      .flatMap(({ upper, lower }) => [upper, lower])
      .filter((type) => type !== undefined);
    const near = nearestWords(
      token,
      types.map((type) => symbol[1] + type),
    );
    return near.length > 0 ? near : COMMON_CHORD_TYPES.map((type) => symbol[1] + type);
  }
  const numerals = ['', 'b', '#'].flatMap((accidental) =>
    RomanNumeral.names(true)
      .concat(RomanNumeral.names(false))
      .flatMap((roman) => COMMON_NUMERAL_SUFFIXES.map((suffix) => accidental + roman + suffix)),
  );
  const near = nearestWords(token, numerals);
  return near.length > 0 ? near : key.mode === 'minor' ? MINOR_KEY_CHORDS.triads : MAJOR_KEY_CHORDS.triads;
}

function notAChord(token: string, text: string, key: MusicalKey): JamError {
  const suggestions = suggestionsFor(token, key);
  return new JamError(
    `progression ${excerpt(text)}: ${excerpt(token)} is not a Roman numeral or chord symbol; did you mean ${orList(suggestions)}? (${CHORD_EXAMPLES})`,
  );
}

/** `I:2` → the chord and its beats; a chord without `:` lasts `beats`. */
function splitLength(token: string, beats: number, text: string): [string, number] {
  const colon = token.lastIndexOf(':');
  if (colon < 0) return [token, beats];
  const length = token.slice(colon + 1);
  const value = Number(length);
  if (length === '' || !Number.isFinite(value) || value <= 0 || value > MAX_BEATS) {
    throw new JamError(
      `progression ${excerpt(text)}: ${excerpt(token)} has a bad length ${excerpt(length)}; write the beats after ":" as a number above 0, up to ${MAX_BEATS}, e.g. ${token.slice(0, colon)}:2`,
    );
  }
  return [token.slice(0, colon), value];
}

/** The tokens of a progression: separated by spaces, commas or bars, or by dashes as in `I-V-vi-IV`. */
function tokensOf(text: string): string[] {
  return text
    .split(/[\s,|]+/)
    .filter((token) => token !== '')
    .flatMap((token) =>
      token.includes('-') && !isChordToken(token) ? token.split('-').filter((part) => part !== '') : [token],
    );
}

/** Whether a token is one chord (with or without a length), so that a dash in it (`C-7`) is not a separator. */
function isChordToken(token: string): boolean {
  const colon = token.lastIndexOf(':');
  const chord = colon < 0 ? token : token.slice(0, colon);
  return symbolParts(chord) !== undefined || numeralParts(chord, DEFAULT_KEY) !== undefined;
}

/** The key a progression of chord symbols starts in: its first chord's root, minor if that chord is. */
function keyOfFirstChord(chord: ProgressionChord): MusicalKey {
  const minor = chord.intervals.includes('3m') && !chord.intervals.includes('3M');
  return { tonic: chord.root, mode: minor ? 'minor' : 'major' };
}

/** A progression written as Roman numerals or chord symbols (or both) → its chords in a key. */
export function parseProgression(text: string, options: ParseOptions = {}): Progression {
  const written = plainSymbols(text);
  const beats = options.beats ?? DEFAULT_BEATS;
  const tokens = tokensOf(written);
  if (tokens.length === 0) throw new JamError(`progression ${excerpt(text)} has no chords; ${CHORD_EXAMPLES}`);
  const numeralKey = options.key ?? DEFAULT_KEY;
  const chords = tokens.map((token) => {
    const [chord, length] = splitLength(token, beats, text);
    const numeral = numeralParts(chord, numeralKey);
    if (numeral) return chordFromParts(chord, numeral, chord, length);
    const symbol = symbolParts(chord);
    if (symbol) return chordFromParts(chord, symbol, undefined, length);
    throw notAChord(chord, text, numeralKey);
  });
  const allSymbols = chords.every((chord) => chord.numeral === undefined);
  const key = options.key ?? (allSymbols ? keyOfFirstChord(chords[0]) : DEFAULT_KEY);
  return { key, chords };
}

/**
 * The chords as a file name: `I-V-vi-IV`, `ii7-V7∕V-V7-I`. Lengths are left out, and `/` (which cannot be in
 * a file name) becomes `∕`, the division slash, which parseProgression reads back as `/`.
 */
export function chordsFileName(progression: Progression): string {
  return progression.chords.map((chord) => chord.written.replace(/\//g, '∕')).join('-');
}
