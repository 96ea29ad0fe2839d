/**
 * The plan of a chord pack: every file's path and what it holds, for each of the 12 major keys and its
 * relative minor, without writing anything.
 *
 *   C major – A minor/1 Triads/C major/ii - Dm.mid
 *   C major – A minor/2 Sevenths and ninths/A minor/iiø7 - Bm7b5.mid
 *   C major – A minor/3 Other chords/sus2/Dsus2.mid
 *   C major – A minor/4 Progressions/Major/pop/I-V-vi-IV.mid
 *   C major – A minor/4 Progressions/Dorian/block/i-IV.mid      (D dorian: the modes share C major's notes)
 */
import { Note } from 'tonal';
import { JamError } from '../../errors.js';
import {
  MAJOR_KEY_CHORDS,
  MINOR_KEY_CHORDS,
  OTHER_CHORD_TYPES,
  PACK_MAJOR_TONICS,
  type DegreeChords,
} from './data/packChords.js';
import { PROGRESSIONS } from './data/progressions.js';
import {
  chordsFileName,
  keyName,
  modeTonicOf,
  parseMusicalKey,
  parseProgression,
  scaleOf,
  type MusicalKey,
} from './parse.js';
import { RHYTHM_STYLES, type RhythmStyle } from './rhythm.js';

/** One file of the pack: where it goes and what to play in it. */
export interface PackEntry {
  /** Relative to the pack folder, with `/` between folders. */
  path: string;
  /** The MIDI file's track name. */
  title: string;
  /** Roman numerals or a chord symbol, with lengths, as parseProgression reads them. */
  progression: string;
  key: MusicalKey;
  rhythm: RhythmStyle;
}

export interface PackOptions {
  /** Only these key pairs, each named by its major or its minor key (`C`, `Am`, `F# minor`); default all 12. */
  keys?: string[];
}

/** Single chords are held for a bar. */
const SINGLE_CHORD_RHYTHM: RhythmStyle = 'block';
const FOLDERS = {
  triads: '1 Triads',
  seventhsAndNinths: '2 Sevenths and ninths',
  other: '3 Other chords',
  progressions: '4 Progressions',
};

/** A major key and its relative minor: one folder of the pack. */
export interface KeyPair {
  major: MusicalKey;
  minor: MusicalKey;
  folder: string;
}

function keyPair(majorTonic: string): KeyPair {
  const major: MusicalKey = { tonic: majorTonic, mode: 'major' };
  const minor: MusicalKey = { tonic: modeTonicOf(majorTonic, 'minor'), mode: 'minor' };
  return { major, minor, folder: `${keyName(major)} – ${keyName(minor)}` };
}

/** The key pairs a --keys list names (`C`, `Am`, `F# minor`), in circle order, each once. */
export function packKeyPairs(keys?: string[]): KeyPair[] {
  const all = PACK_MAJOR_TONICS.map(keyPair);
  if (keys === undefined || keys.length === 0) return all;
  const wanted = keys.map((text) => {
    const key = parseMusicalKey(text);
    const pair = all.find(
      (candidate) =>
        Note.chroma(key.mode === 'minor' ? candidate.minor.tonic : candidate.major.tonic) === Note.chroma(key.tonic),
    );
    if (!pair || (key.mode !== 'major' && key.mode !== 'minor')) {
      throw new JamError(
        `--keys ${text}: a pack folder is a major key and its relative minor; name one by either, e.g. C, Am, "F# minor"`,
      );
    }
    return pair;
  });
  return all.filter((pair) => wanted.includes(pair));
}

function capitalised(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

function degreeEntries(pair: KeyPair, folder: string, pick: (chords: DegreeChords) => string[]): PackEntry[] {
  return (
    [
      [pair.major, MAJOR_KEY_CHORDS],
      [pair.minor, MINOR_KEY_CHORDS],
    ] as const
  ).flatMap(([key, chords]) =>
    pick(chords).map((numeral) => {
      const symbol = parseProgression(numeral, { key }).chords[0].symbol;
      return {
        path: `${pair.folder}/${folder}/${keyName(key)}/${numeral} - ${symbol}.mid`,
        title: `${numeral} (${symbol}) in ${keyName(key)}`,
        progression: numeral,
        key,
        rhythm: SINGLE_CHORD_RHYTHM,
      };
    }),
  );
}

function otherChordEntries(pair: KeyPair): PackEntry[] {
  return OTHER_CHORD_TYPES.flatMap((type) =>
    scaleOf(pair.major).map((root) => ({
      path: `${pair.folder}/${FOLDERS.other}/${type}/${root}${type}.mid`,
      title: `${root}${type}`,
      progression: `${root}${type}`,
      key: pair.major,
      rhythm: SINGLE_CHORD_RHYTHM,
    })),
  );
}

function progressionEntries(pair: KeyPair, fileNames: string[]): PackEntry[] {
  return PROGRESSIONS.flatMap((progression, i) => {
    const key: MusicalKey = { tonic: modeTonicOf(pair.major.tonic, progression.mode), mode: progression.mode };
    const fileName = fileNames[i];
    return RHYTHM_STYLES.map((rhythm) => ({
      path: `${pair.folder}/${FOLDERS.progressions}/${capitalised(progression.mode)}/${rhythm}/${fileName}`,
      title: `${progression.name}: ${progression.numerals} in ${keyName(key)}`,
      progression: progression.numerals,
      key,
      rhythm,
    }));
  });
}

/** Every file of the pack, folder by folder. */
export function packPlan(options: PackOptions = {}): PackEntry[] {
  const fileNames = PROGRESSIONS.map((progression) => `${chordsFileName(parseProgression(progression.numerals))}.mid`);
  return packKeyPairs(options.keys).flatMap((pair) => [
    ...degreeEntries(pair, FOLDERS.triads, (chords) => chords.triads),
    ...degreeEntries(pair, FOLDERS.seventhsAndNinths, (chords) => [...chords.sevenths, ...chords.ninths]),
    ...otherChordEntries(pair),
    ...progressionEntries(pair, fileNames),
  ]);
}
