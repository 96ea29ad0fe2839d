import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.js';
import { scoreNotes } from '../../src/transcribe/score.js';
import type { NoteEvent } from '../../src/types.js';
import { seededRandom } from '../../src/random.js';

const PYTHON = '/usr/bin/python3';

function note(start: number, end: number, pitch = 60): NoteEvent {
  return { pitch, start, end, velocity: 100 };
}

describe('scoreNotes by hand', () => {
  it('scores an exact copy 1', () => {
    const notes = [note(0, 0.5, 60), note(0.5, 1, 64), note(1, 2, 67)];
    expect(
      scoreNotes(
        notes,
        notes.map((n) => ({ ...n })),
      ),
    ).toEqual({
      precision: 1,
      recall: 1,
      f1: 1,
      matched: 3,
      reference: 3,
      estimate: 3,
    });
  });

  it('matches an onset 49 ms away but not 51 ms away', () => {
    expect(scoreNotes([note(1, 2)], [note(1.049, 2)]).matched).toBe(1);
    expect(scoreNotes([note(1, 2)], [note(0.951, 2)]).matched).toBe(1);
    expect(scoreNotes([note(1, 2)], [note(1.051, 2)]).matched).toBe(0);
    expect(scoreNotes([note(1, 2)], [note(0.949, 2)]).matched).toBe(0);
  });

  it('matches an onset exactly 50 ms away despite floating-point error', () => {
    // 0.28 - 0.23 is 0.05000000000000002 in floating point.
    expect(0.28 - 0.23).toBeGreaterThan(0.05);
    expect(scoreNotes([note(0.23, 1)], [note(0.28, 1)]).matched).toBe(1);
  });

  it('does not match a wrong pitch, and measures pitch in cents', () => {
    expect(scoreNotes([note(0, 1, 60)], [note(0, 1, 61)]).matched).toBe(0);
    expect(scoreNotes([note(0, 1, 60)], [note(0, 1, 60.4)]).matched).toBe(1);
    expect(scoreNotes([note(0, 1, 60)], [note(0, 1, 60.5)]).matched).toBe(1);
    expect(scoreNotes([note(0, 1, 60)], [note(0, 1, 60.6)]).matched).toBe(0);
    expect(scoreNotes([note(0, 1, 60)], [note(0, 1, 61)], { pitchTolerance: 100 }).matched).toBe(1);
  });

  it('matches duplicate estimates only once', () => {
    const scores = scoreNotes([note(0, 1)], [note(0, 1), note(0, 1), note(0.01, 1)]);
    expect(scores.matched).toBe(1);
    expect(scores.precision).toBeCloseTo(1 / 3, 12);
    expect(scores.recall).toBe(1);
    expect(scores.f1).toBeCloseTo(0.5, 12);
  });

  it('finds a maximum matching where greedy closest-first matching would not', () => {
    // Reference A (0.10) is closest to estimate X (0.13), which greedy matching would give it; but X is the
    // only estimate reference B (0.18) can take, while A can also take Y (0.055).
    const reference = [note(0.1, 1), note(0.18, 1)];
    const estimate = [note(0.13, 1), note(0.055, 1)];
    const scores = scoreNotes(reference, estimate);
    expect(scores.matched).toBe(2);
    expect(scores.f1).toBe(1);
  });

  it('checks offsets against max(offsetMinTolerance, offsetRatio × duration) when asked', () => {
    const mirex = { offsetRatio: 0.2 };
    // A 1 s note: offset tolerance 0.2 s.
    expect(scoreNotes([note(0, 1)], [note(0, 1.19)], mirex).matched).toBe(1);
    expect(scoreNotes([note(0, 1)], [note(0, 1.21)], mirex).matched).toBe(0);
    expect(scoreNotes([note(0, 1)], [note(0, 0.8)], mirex).matched).toBe(1);
    // A 0.1 s note: 0.2 × 0.1 is less than the 0.05 s minimum.
    expect(scoreNotes([note(0, 0.1)], [note(0, 0.14)], mirex).matched).toBe(1);
    expect(scoreNotes([note(0, 0.1)], [note(0, 0.16)], mirex).matched).toBe(0);
    expect(scoreNotes([note(0, 0.1)], [note(0, 0.16)], { ...mirex, offsetMinTolerance: 0.1 }).matched).toBe(1);
    // Onset-only scoring (the default) ignores offsets.
    expect(scoreNotes([note(0, 1)], [note(0, 3)]).matched).toBe(1);
  });

  it('scores empty reference or estimate 0, as mir_eval does', () => {
    expect(scoreNotes([], [note(0, 1)])).toEqual({
      precision: 0,
      recall: 0,
      f1: 0,
      matched: 0,
      reference: 0,
      estimate: 1,
    });
    expect(scoreNotes([note(0, 1)], [])).toMatchObject({ precision: 0, recall: 0, f1: 0, reference: 1 });
    expect(scoreNotes([], [])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('does not depend on the order of the notes', () => {
    const random = seededRandom(7);
    const { reference, estimate } = randomCase(random, 300);
    const forward = scoreNotes(reference, estimate, { offsetRatio: 0.2 });
    const backward = scoreNotes([...reference].reverse(), [...estimate].reverse(), { offsetRatio: 0.2 });
    expect(backward).toEqual(forward);
  });

  it('scores tens of thousands of notes', () => {
    const random = seededRandom(3);
    const reference = Array.from({ length: 40_000 }, (_, i) => note(i * 0.01, i * 0.01 + 0.5, 40 + (i % 48)));
    const estimate = reference
      .map((n) => ({ ...n, start: n.start + (random() - 0.5) * 0.08 }))
      .sort(() => random() - 0.5);
    const scores = scoreNotes(reference, estimate);
    expect(scores.matched).toBe(40_000);
    expect(scores.f1).toBe(1);
  });
});

// --- Cross-check against mir_eval -------------------------------------------------------------------

const hasMirEval = spawnSync(PYTHON, ['-c', 'import mir_eval']).status === 0;

/** Reads cases as JSON on stdin; prints [precision, recall, f1] for onset-only and for offset_ratio 0.2. */
const MIR_EVAL_SCRIPT = `
import json, sys, warnings
import numpy as np
import mir_eval
warnings.simplefilter('ignore')
def arrays(notes):
    intervals = np.array([[n[0], n[1]] for n in notes], dtype=float).reshape(-1, 2)
    hz = mir_eval.util.midi_to_hz(np.array([n[2] for n in notes], dtype=float))
    return intervals, hz
out = []
for case in json.load(sys.stdin):
    ref_i, ref_p = arrays(case['reference'])
    est_i, est_p = arrays(case['estimate'])
    row = {}
    for name, ratio in (('onset', None), ('offset', 0.2)):
        p, r, f, _ = mir_eval.transcription.precision_recall_f1_overlap(
            ref_i, ref_p, est_i, est_p, offset_ratio=ratio)
        row[name] = [p, r, f]
    out.append(row)
json.dump(out, sys.stdout)
`;

interface MirEvalRow {
  onset: [number, number, number];
  offset: [number, number, number];
}

function mirEvalScores(cases: { reference: NoteEvent[]; estimate: NoteEvent[] }[]): MirEvalRow[] {
  const asRows = (notes: NoteEvent[]) => notes.map((n) => [n.start, n.end, n.pitch]);
  const input = JSON.stringify(cases.map((c) => ({ reference: asRows(c.reference), estimate: asRows(c.estimate) })));
  const result = spawnSync(PYTHON, ['-c', MIR_EVAL_SCRIPT], { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`mir_eval failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as MirEvalRow[];
}

/**
 * Reference notes, and estimates made from them with onset, offset and pitch errors clustered around the
 * tolerances, plus duplicates and stray notes. Times are often on a 10 ms grid, so differences of exactly
 * 50 ms (the rounding case) are common.
 */
function randomCase(random: () => number, size: number): { reference: NoteEvent[]; estimate: NoteEvent[] } {
  const onGrid = random() < 0.5;
  const time = (t: number) => (onGrid ? Math.round(t * 100) / 100 : t);
  const pick = <T>(choices: T[]) => choices[Math.floor(random() * choices.length)];
  const sign = () => (random() < 0.5 ? -1 : 1);

  const reference: NoteEvent[] = [];
  for (let i = 0; i < size; i++) {
    const start = time(1 + random() * size * 0.1);
    const end = time(start + pick([0.05, 0.1, 0.25, 0.5, 1]) + random() * 0.5);
    reference.push(note(start, Math.max(end, start + 0.01), 40 + Math.floor(random() * 40)));
  }

  const estimate: NoteEvent[] = [];
  for (const ref of reference) {
    if (random() < 0.15) continue; // a missed note
    const onsetError = sign() * pick([0, 0.01, 0.04, 0.05, 0.05, 0.06, random() * 0.07]);
    const offsetTolerance = Math.max(0.05, 0.2 * (ref.end - ref.start));
    const offsetError = sign() * offsetTolerance * pick([0, 0.5, 1, 1, 1.1, 0.9 + random() * 0.2]);
    const pitchError = sign() * pick([0, 0, 0, 0.3 + random() * 0.4, 1]);
    const start = Math.max(0, time(ref.start + onsetError));
    const end = Math.max(time(ref.end + offsetError), start + 0.01);
    const made = note(start, end, ref.pitch + pitchError);
    estimate.push(made);
    if (random() < 0.1) estimate.push({ ...made, start: time(made.start + 0.02) }); // a near-duplicate
  }
  for (let i = 0; i < size * 0.1; i++) {
    const start = time(1 + random() * size * 0.1);
    estimate.push(note(start, start + 0.3, 40 + Math.floor(random() * 40))); // a stray note
  }
  return { reference, estimate };
}

describe('scoreNotes against mir_eval', () => {
  it('agrees with mir_eval.transcription on random note sets', () => {
    requireTool(hasMirEval, 'mir_eval', 'python3-mir-eval');
    const random = seededRandom(2024);
    const cases = Array.from({ length: 12 }, () => randomCase(random, 50 + Math.floor(random() * 151)));
    const expected = mirEvalScores(cases);
    cases.forEach(({ reference, estimate }, i) => {
      const onset = scoreNotes(reference, estimate);
      const offset = scoreNotes(reference, estimate, { offsetRatio: 0.2 });
      const ours = {
        onset: [onset.precision, onset.recall, onset.f1],
        offset: [offset.precision, offset.recall, offset.f1],
      };
      for (const mode of ['onset', 'offset'] as const) {
        ours[mode].forEach((value, k) => {
          expect(Math.abs(value - expected[i][mode][k]), `case ${i} ${mode} [${k}]`).toBeLessThanOrEqual(1e-9);
        });
      }
    });
  });
});
