import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../helpers/tools.js';
import { chordScores, keyScore } from '../../../src/theory/analysis/evaluate.js';
import { keyOf, parseKey } from '../../../src/theory/analysis/key.js';
import type { LabeledInterval } from '../../../src/theory/analysis/lab.js';

const PYTHON = '/usr/bin/python3';

describe('chordScores by hand', () => {
  it('weighs by duration, and leaves out references a vocabulary cannot express', () => {
    const reference = [
      { start: 0, end: 2, label: 'C:maj' },
      { start: 2, end: 4, label: 'A:min7' },
      { start: 4, end: 5, label: 'D:sus4' },
    ];
    const estimate = [
      { start: 0, end: 2, label: 'C:maj7' },
      { start: 2, end: 4, label: 'A:min' },
      { start: 4, end: 5, label: 'D:maj' },
    ];
    // root: all right. majmin: C and Am right (sevenths ignored), Dsus4 left out. sevenths: both wrong, Dsus4 left out.
    expect(chordScores(reference, estimate)).toEqual({ root: 1, majmin: 1, sevenths: 0, duration: 5 });
  });

  it('pads a short estimate with N and cuts a long one to the reference', () => {
    const reference = [{ start: 1, end: 3, label: 'G:7' }];
    const estimate = [
      { start: 0, end: 2, label: 'G:7' },
      { start: 2, end: 10, label: 'C:maj' },
    ];
    expect(chordScores(reference, estimate)).toMatchObject({ root: 0.5, sevenths: 0.5, duration: 2 });
    expect(chordScores(reference, [{ start: 2, end: 3, label: 'G:7' }])).toMatchObject({ root: 0.5 });
    expect(chordScores([{ start: 0, end: 4, label: 'N' }], [])).toMatchObject({ root: 1, majmin: 1, sevenths: 1 });
  });
});

describe('keyScore', () => {
  it("gives MIREX's weights: same, fifth above, relative, parallel, other", () => {
    const score = (ref: string, est: string) => keyScore(parseKey(ref), parseKey(est));
    expect(score('C major', 'C major')).toBe(1);
    expect(score('Db major', 'C# major')).toBe(1);
    expect(score('C major', 'G major')).toBe(0.5);
    expect(score('C major', 'F major')).toBe(0);
    expect(score('C major', 'A minor')).toBe(0.3);
    expect(score('A minor', 'C major')).toBe(0.3);
    expect(score('C major', 'C minor')).toBe(0.2);
    expect(score('C major', 'E minor')).toBe(0);
  });
});

// --- Cross-check against mir_eval -------------------------------------------------------------------

const hasMirEval = spawnSync(PYTHON, ['-c', 'import mir_eval']).status === 0;

const LABELS = [
  'N',
  'X',
  'C',
  'C:maj',
  'C:min',
  'A:min7',
  'F#:maj7/5',
  'G:7',
  'G:7/3',
  'Bb:maj/b7',
  'E:min/b3',
  'D:sus4',
  'D:sus2',
  'B:hdim7',
  'B:dim',
  'Ab:aug',
  'C:maj6',
  'C:min6',
  'F:9',
  'F:maj9',
  'F:min9',
  'Eb:maj(9)',
  'C:(1,3,5)',
  'C:(1,b3,5)',
  'C:maj7(*5)',
  'G:7(*3)',
  'A:min(9)',
  'Db:dim7',
  'E:maj/5',
  'E:min7/b7',
  'C:1',
  'C:5',
  'Cb:maj',
  'E#:min',
  'G:maj/2',
  'A:minmaj7',
  'C:13',
];

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Back-to-back random chords from `start` to about `end`, now and then with a gap. */
function timeline(random: () => number, start: number, end: number, gaps: boolean): LabeledInterval[] {
  const chords: LabeledInterval[] = [];
  for (let time = start; time < end;) {
    const length = Math.round((0.2 + random() * 3) * 1000) / 1000;
    chords.push({ start: time, end: time + length, label: LABELS[Math.floor(random() * LABELS.length)] });
    time += length + (gaps && random() < 0.2 ? 0.5 : 0);
  }
  return chords;
}

const MIR_EVAL_SCRIPT = `
import json, sys, warnings
import numpy as np
import mir_eval
warnings.simplefilter('ignore')
cases = json.load(sys.stdin)
out = {'chords': [], 'keys': []}
for case in cases['chords']:
    def arrays(chords):
        return np.array([[c['start'], c['end']] for c in chords], dtype=float), [c['label'] for c in chords]
    ref_i, ref_l = arrays(case['reference'])
    est_i, est_l = arrays(case['estimate'])
    scores = mir_eval.chord.evaluate(ref_i, ref_l, est_i, est_l)
    out['chords'].append([scores['root'], scores['majmin'], scores['sevenths']])
for ref, est in cases['keys']:
    out['keys'].append(mir_eval.key.weighted_score(ref, est))
print(json.dumps(out))
`;

describe('chordScores and keyScore against mir_eval', () => {
  it('agree with mir_eval.chord.evaluate and mir_eval.key.weighted_score', () => {
    requireTool(hasMirEval, 'mir_eval', 'python3-mir-eval');
    const random = seeded(11);
    const chords = Array.from({ length: 30 }, (_, i) => {
      const reference = timeline(random, i % 3 === 0 ? 0 : 0.4, 30, false);
      const estimate = timeline(random, [0, 0.9, 0.2][i % 3], 20 + random() * 20, i % 2 === 0);
      return { reference, estimate };
    });
    const keys = Array.from({ length: 24 }, (_, a) =>
      Array.from({ length: 24 }, (_, b) => [keyOf(a).name, keyOf(b).name]),
    ).flat();
    const run = spawnSync(PYTHON, ['-c', MIR_EVAL_SCRIPT], {
      input: JSON.stringify({ chords, keys }),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    expect(run.status, run.stderr).toBe(0);
    const expected = JSON.parse(run.stdout) as { chords: number[][]; keys: number[] };
    chords.forEach(({ reference, estimate }, i) => {
      const ours = chordScores(reference, estimate);
      [ours.root, ours.majmin, ours.sevenths].forEach((value, k) =>
        expect(Math.abs(value - expected.chords[i][k]), `case ${i} score ${k}`).toBeLessThan(1e-9),
      );
    });
    keys.forEach(([ref, est], i) =>
      expect(keyScore(parseKey(ref), parseKey(est)), `${ref} / ${est}`).toBe(expected.keys[i]),
    );
  });
});
