/**
 * `jam eval` end to end, through the real command line: note, chord and key scores as MIREX computes
 * them, --json, and one-line errors for references it cannot read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { midiToBytes, notesToMidi } from '../../src/midi/write.js';
import { runJam, type JamRun, checkCompiledCli } from '../helpers/cli.js';

const TIMEOUT = 60_000;

beforeAll(checkCompiledCli);

const it = test.extend<{ work: string }>({
  work: async ({}, use) => {
    const folder = mkdtempSync(join(tmpdir(), 'jam-eval-'));
    try {
      await use(folder);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
});

function jam(work: string, args: string[]): Promise<JamRun> {
  return runJam(args, { cwd: work, timeout: TIMEOUT });
}

function write(work: string, name: string, data: Uint8Array | string): string {
  writeFileSync(join(work, name), data);
  return name;
}

const NOTES = [60, 64, 67, 72].map((pitch, i) => ({ pitch, start: i * 0.5, end: i * 0.5 + 0.4, velocity: 90 }));

describe.concurrent('jam eval', { timeout: TIMEOUT }, () => {
  it('scores notes onset-only and with offsets, from MIDI and note JSON', async ({ work }) => {
    write(work, 'ref.mid', midiToBytes(notesToMidi(NOTES)));
    // One note 30 ms late (still a match), one a semitone off (not), one ending far too late (onset match only).
    const estimate = [{ ...NOTES[0], start: 0.03 }, { ...NOTES[1], pitch: 65 }, NOTES[2], { ...NOTES[3], end: 3 }];
    write(work, 'est.json', JSON.stringify(estimate));
    const run = await jam(work, ['eval', 'notes', 'ref.mid', 'est.json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      [
        '4 reference notes, 4 estimated',
        'onset         precision 0.750  recall 0.750  F1 0.750',
        'onset+offset  precision 0.500  recall 0.500  F1 0.500',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await jam(work, ['eval', 'notes', 'ref.mid', 'est.json', '--json'])).stdout);
    expect(json.onset).toMatchObject({ matched: 3, reference: 4, estimate: 4 });
    expect(json.onsetOffset.matched).toBe(2);
  });

  it('scores chords from .lab files over root, majmin and sevenths', async ({ work }) => {
    write(work, 'ref.lab', '0 2 C:maj7\n2 4 A:min\n4 6 D:sus4\n');
    write(work, 'est.lab', '0.0 2.0 C:maj\n2.0 4.0 C:maj\n4.0 6.0 D:maj\n');
    const run = await jam(work, ['eval', 'chords', 'ref.lab', 'est.lab']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('root 0.667  majmin 0.500  sevenths 0.000  (over 6.0 s)\n');
    const json = JSON.parse((await jam(work, ['eval', 'chords', 'ref.lab', 'est.lab', '--json'])).stdout);
    expect(json).toMatchObject({ reference: 'ref.lab', estimate: 'est.lab', majmin: 0.5, duration: 6 });
  });

  it('scores keys given as text, in a file, or in jam analyze --json output', async ({ work }) => {
    write(work, 'ref.txt', 'A minor\n');
    write(
      work,
      'analysis.json',
      JSON.stringify({ input: 'song.mid', key: { tonic: 'C', mode: 'major', name: 'C major', confidence: 0.9 } }) +
        '\n',
    );
    expect((await jam(work, ['eval', 'key', 'ref.txt', 'analysis.json'])).stdout).toBe(
      '0.3 (reference A minor, estimate C major)\n',
    );
    expect((await jam(work, ['eval', 'key', 'E major', 'B major'])).stdout).toBe(
      '0.5 (reference E major, estimate B major)\n',
    );
    expect(JSON.parse((await jam(work, ['eval', 'key', 'Db major', 'C# major', '--json'])).stdout)).toEqual({
      reference: 'Db major',
      estimate: 'C# major',
      score: 1,
    });
  });

  it('refuses what it cannot read with one line naming the file and what is wrong', async ({ work }) => {
    write(work, 'bad.lab', '0 2 C:maj\n2 4 H:min\n');
    write(work, 'ok.lab', '0 4 C:maj\n');
    const badLab = await jam(work, ['eval', 'chords', 'bad.lab', 'ok.lab']);
    expect(badLab.code).toBe(1);
    expect(badLab.stderr).toBe(
      'jam: bad.lab, line 2: "H:min" is not a Harte chord label (e.g. C:maj, A:min7, F#:maj7/5, N)\n',
    );
    const badKey = await jam(work, ['eval', 'key', 'C lydian', 'C major']);
    expect(badKey.stderr).toBe('jam: the key: "C lydian" is not a key; write it like "C major" or "F# minor"\n');
    const missing = await jam(work, ['eval', 'chords', 'none.lab', 'ok.lab']);
    expect(missing.stderr).toBe('jam: none.lab: no such file; check the path\n');
    const noKind = await jam(work, ['eval']);
    expect(noKind.code).toBe(2);
    expect(noKind.stderr).toMatch(/^jam: say what to score: jam eval notes\|chords\|key REFERENCE ESTIMATE/);
  });
});
