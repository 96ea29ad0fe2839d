/**
 * The proof of issue 5: every library progression, generated as the pack has it in each of its 12 folders
 * (the 24 keys, a major key and its relative minor to a folder: a major progression on the major tonic, a
 * minor one on the minor tonic, a mode on its own degree, so every pitch class), written as MIDI in block
 * form and analysed by jam's own analyser, comes back as the same chords in the same key.
 *
 * "The same", as far as the notes can show it:
 * - Chords: the same pitch classes, chord by chord, in order, whatever the inversion or spelling (C6 and
 *   Am7 are both C E G A; G11 and G9sus4 both G C D F A). Two chords in a row with the same pitch classes
 *   count as one: the same notes struck again cannot show a change of name.
 * - Key: the analyser names keys major or minor, so a mode's key is its tonic with the mode's third
 *   (D dorian is D minor, G mixolydian G major). Where the notes cannot tell the tonic, the key signature
 *   must still be right: a modal progression may also read as the key whose scale it uses (D dorian as
 *   C major or A minor), and a major or minor progression that neither starts nor ends on its tonic chord
 *   (vi IV I V, the very chords of i bVI bIII bVII in the relative minor) may read as its relative key.
 *   A progression that starts or ends on its tonic must read as exactly its key, unless its other end is
 *   the tonic triad of the relative key (Am7 Dm7 G7 Cmaj7 is i iv7 bVII7 bIIImaj7 in A minor and vi7 ii7
 *   V7 Imaj7 in C major), or it is a vamp of two chords, which has no first chord to hear home from: then
 *   it may read as the key of either chord (C Fm is I iv in C major and V i in F minor).
 */
import { Chord, Note } from 'tonal';
import { describe, expect, test } from 'vitest';
import { arrangementToMidiBytes } from '../../../src/app/progressionFile.js';
import { analyzeMidi } from '../../../src/app/analyze.js';
import { arrangeProgression } from '../../../src/theory/progression/arrange.js';
import { MAJOR_THIRD, MINOR_THIRD, PERFECT_FIFTH } from '../../../src/theory/analysis/chroma.js';
import { PROGRESSIONS } from '../../../src/theory/progression/data/progressions.js';
import { packKeyPairs, type KeyPair } from '../../../src/theory/progression/pack.js';
import {
  keyName,
  modeTonicOf,
  MODES,
  parseProgression,
  type ModeName,
  type MusicalKey,
} from '../../../src/theory/progression/parse.js';

const MAJOR_THIRD_MODES: readonly ModeName[] = ['major', 'lydian', 'mixolydian'];
const TONAL_MODES: readonly ModeName[] = ['major', 'minor'];
const RELATIVE_MINOR_STEPS = 9;

function pitchClasses(symbol: string): string {
  return [...new Set(Chord.get(symbol).notes.map((note) => Note.chroma(note) ?? -1))].sort((a, b) => a - b).join(',');
}

/** The chords as their pitch-class sets, each run of the same set once. */
function heardChords(symbols: string[]): string[] {
  return symbols.map(pitchClasses).filter((set, i, sets) => i === 0 || set !== sets[i - 1]);
}

/** A key as "pitch class mode", the way the analyser can name it. */
function keyId(tonicPitchClass: number, mode: string): string {
  return `${tonicPitchClass} ${mode}`;
}

/** The key whose tonic triad the chord holds (root, third and fifth: Am7 → "9 minor"), if any. */
function triadKey(symbol: string): string | undefined {
  const chord = Chord.get(symbol);
  const root = Note.chroma(chord.tonic ?? '') ?? -1;
  const has = (steps: number) => chord.notes.some((note) => Note.chroma(note) === (root + steps) % 12);
  if (!has(PERFECT_FIFTH)) return undefined;
  return has(MAJOR_THIRD) ? keyId(root, 'major') : has(MINOR_THIRD) ? keyId(root, 'minor') : undefined;
}

/** Every key the analyser may name for `key` (see the header), given the progression's chords. */
function acceptedKeys(key: MusicalKey, pair: KeyPair, symbols: string[]): string[] {
  const tonic = Note.chroma(key.tonic) ?? -1;
  const named = keyId(tonic, MAJOR_THIRD_MODES.includes(key.mode) ? 'major' : 'minor');
  const parent = Note.chroma(pair.major.tonic) ?? -1;
  const signature = [keyId(parent, 'major'), keyId((parent + RELATIVE_MINOR_STEPS) % 12, 'minor')];
  const rootOf = (symbol: string) => Note.chroma(Chord.get(symbol).tonic ?? '');
  const ends = [symbols[0], symbols[symbols.length - 1]];
  if (!TONAL_MODES.includes(key.mode) || !ends.some((symbol) => rootOf(symbol) === tonic)) return [named, ...signature];
  const endKeys = ends.map(triadKey);
  const vampKeys = new Set(symbols).size === 2 ? endKeys : [];
  return [named, ...signature.filter((other) => endKeys.includes(other)), ...vampKeys].filter((id) => id !== undefined);
}

/** What goes wrong with one file, or nothing. */
function mismatch(name: string, numerals: string, key: MusicalKey, pair: KeyPair): string | undefined {
  const progression = parseProgression(numerals, { key });
  const analysis = analyzeMidi(
    arrangementToMidiBytes(arrangeProgression(progression), name),
    `${name} in ${keyName(key)}`,
  );
  const expected = progression.chords.map((chord) => chord.symbol);
  const found = analysis.chords.filter((chord) => chord.symbol !== 'N').map((chord) => chord.symbol);
  const sameChords = heardChords(found).join(' ') === heardChords(expected).join(' ');
  const foundKey = analysis.key ? keyId(Note.chroma(analysis.key.tonic) ?? -1, analysis.key.mode) : 'none';
  const sameKey = acceptedKeys(key, pair, expected).includes(foundKey);
  if (sameChords && sameKey) return undefined;
  return `${name} (${numerals}) in ${keyName(key)}: ${sameChords ? '' : `chords ${found.join(' ')} for ${expected.join(' ')}; `}${sameKey ? '' : `key ${analysis.key?.name ?? 'none'}`}`;
}

describe('every generated progression analyses back to what its name says', () => {
  test.each(MODES)('%s progressions, in every folder of the pack', (mode) => {
    const problems: string[] = [];
    let files = 0;
    for (const progression of PROGRESSIONS.filter((p) => p.mode === mode)) {
      for (const pair of packKeyPairs()) {
        files++;
        const problem = mismatch(
          progression.name,
          progression.numerals,
          { tonic: modeTonicOf(pair.major.tonic, mode), mode },
          pair,
        );
        if (problem) problems.push(problem);
      }
    }
    console.log(`progressionProof: ${mode}: ${files - problems.length} of ${files} files analyse back to their names`);
    expect(problems).toEqual([]);
  });
});
