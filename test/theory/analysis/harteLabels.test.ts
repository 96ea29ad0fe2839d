import { spawnSync } from 'node:child_process';
import { ChordType, Interval } from 'tonal';
import { describe, expect, it } from 'vitest';
import { chordName, chordState, NO_CHORD, statePitchClasses, stateRoot } from '../../../src/theory/analysis/chords.js';
import { keyOf } from '../../../src/theory/analysis/key.js';
import { romanNumeral } from '../../../src/theory/analysis/roman.js';
import { CHORD_VOCABULARY } from '../../../src/theory/chordVocabulary.js';

const PYTHON = '/usr/bin/python3';
const PITCH_CLASSES = 12;
const NATURALS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

interface Emitted {
  label: string;
  root: number;
  /** Pitch classes mir_eval should find: the chord's notes within the octave above the root, and the bass. */
  pitchClasses: number[];
  bass: number;
  key: string;
  diatonic: boolean;
}

/**
 * Every label jam can write: each chord of the vocabulary on each root, named in each of the 24 keys (its root spelled
 * as the Roman numeral spells it, also as a secondary chord resolving to the chord a fifth below), in root position
 * and over each of its other notes.
 */
function everyLabel(): Emitted[] {
  const emitted: Emitted[] = [];
  for (let index = 0; index < 2 * PITCH_CLASSES; index++) {
    const key = keyOf(index);
    for (const quality of CHORD_VOCABULARY) {
      const semitones = ChordType.get(quality.tonal).intervals.map((name) => Interval.semitones(name) ?? 0);
      for (let root = 0; root < PITCH_CLASSES; root++) {
        const state = chordState(root, quality.name);
        const target = chordState((root + 5) % PITCH_CLASSES, 'maj');
        for (const next of [null, target]) {
          const numeral = romanNumeral(state, key, next);
          for (const bass of [null, ...statePitchClasses(state).slice(1)]) {
            const name = chordName(state, bass, numeral.root);
            const chordNotes = semitones.filter((step) => step < PITCH_CLASSES).map((step) => (root + step) % 12);
            const bassPc = bass ?? root;
            emitted.push({
              label: name.label,
              root,
              pitchClasses: [...new Set([...chordNotes, bassPc])].sort((a, b) => a - b),
              bass: bassPc,
              key: key.name,
              diatonic: numeral.role === 'diatonic',
            });
          }
        }
      }
    }
  }
  return emitted;
}

function pitchClassOf(name: string): number {
  const shift = [...name.slice(1)].reduce((sum, sign) => sum + (sign === '#' ? 1 : -1), 0);
  return (NATURALS[name[0]] + shift + PITCH_CLASSES) % PITCH_CLASSES;
}

/** mir_eval's reading of each label: [root, bitmap, bass] (bass in semitones above the root), or an error. */
function mirEvalEncode(labels: string[]): Array<[number, number[], number] | string> {
  const script = `
import json, sys, mir_eval
out = []
for label in json.load(sys.stdin):
    try:
        root, bitmap, bass = mir_eval.chord.encode(label)
        out.append([int(root), [int(b) for b in bitmap], int(bass)])
    except Exception as error:
        out.append(str(error))
print(json.dumps(out))
`;
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(labels), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`mir_eval failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('the Harte labels jam writes', () => {
  const emitted = everyLabel();

  it('all read in mir_eval (python3-mir-eval) as the chord jam meant: root, notes and bass', () => {
    const found = spawnSync(PYTHON, ['-c', 'import mir_eval']);
    // CI installs Debian's python3-mir-eval: without it this check cannot run, and must not pass silently.
    expect(found.status, `${PYTHON} -c 'import mir_eval' failed: install python3-mir-eval`).toBe(0);
    const byLabel = new Map(emitted.map((item) => [item.label, item]));
    const labels = [...byLabel.keys(), 'N'];
    const encoded = mirEvalEncode(labels);
    const wrong: string[] = [];
    labels.forEach((label, i) => {
      const result = encoded[i];
      if (label === 'N') {
        if (typeof result === 'string' || result[0] !== -1) wrong.push(`N: ${JSON.stringify(result)}`);
        return;
      }
      const meant = byLabel.get(label)!;
      if (typeof result === 'string') {
        wrong.push(`${label}: ${result}`);
        return;
      }
      const [root, bitmap, bass] = result;
      const pitchClasses = bitmap
        .flatMap((bit, step) => (bit ? [(root + step) % PITCH_CLASSES] : []))
        .sort((a, b) => a - b);
      if (
        root !== meant.root ||
        (root + bass) % PITCH_CLASSES !== meant.bass ||
        pitchClasses.join() !== meant.pitchClasses.join()
      )
        wrong.push(`${label} (${meant.key}): mir_eval reads ${JSON.stringify(result)}`);
    });
    expect(labels.length).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
  });

  it("spells a sharp key's chords with sharps and a flat key's with flats, and every root as a plain note name", () => {
    const odd: string[] = [];
    for (const item of emitted) {
      const rootName = item.label.split(':')[0];
      if (pitchClassOf(rootName) !== item.root) odd.push(`${item.label}: root is not pitch class ${item.root}`);
      // No double accidentals, and no white-key notes spelled as black ones (Cb, Fb, E#, B#) unless the key's own
      // scale has them (Cb is IV of Gb major).
      if (/##|bb/.test(rootName)) odd.push(`${item.label} in ${item.key}`);
      if (/^(Cb|Fb|E#|B#)$/.test(rootName) && !item.diatonic) odd.push(`${item.label} in ${item.key}`);
      const [tonic] = item.key.split(' ');
      if (item.diatonic && tonic.includes('#') && rootName.includes('b')) odd.push(`${item.label} in ${item.key}`);
      if (item.diatonic && tonic.includes('b') && rootName.includes('#')) odd.push(`${item.label} in ${item.key}`);
    }
    expect([...new Set(odd)]).toEqual([]);
  });

  it('names no chord N', () => {
    expect(chordName(NO_CHORD, null, '').label).toBe('N');
    expect(stateRoot(chordState(2, 'maj'))).toBe(2);
  });
});
