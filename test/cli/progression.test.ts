/**
 * `jam progression` end to end, through the real command line (bin/jam.js over dist/) in a child process:
 * the files it writes read back with @tonejs/midi, its JSON, the library list, and its one-line errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { listFiles, runJam, type JamRun, checkCompiledCli } from '../helpers/cli.js';
import { chordPitchClasses, chordSegments, keySignatureIn, readMidi } from '../app/chordSegments.js';

const STACK_LINE = /^\s+at /m;

beforeAll(checkCompiledCli);

/** Each test runs jam in a fresh folder of its own, which must hold no half-written file afterwards. */
const it = test.extend<{
  work: {
    path: string;
    jam: (args: string[]) => Promise<JamRun>;
    files: () => string[];
    file: (name: string) => string;
  };
}>({
  work: async ({}, use) => {
    const path = mkdtempSync(join(tmpdir(), 'jam-progression-'));
    try {
      await use({
        path,
        jam: (args) => runJam(['progression', ...args], { cwd: path }),
        files: () => listFiles(path),
        file: (name) => join(path, name),
      });
      expect(listFiles(path).filter((file) => file.endsWith('.partial'))).toEqual([]);
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
  },
});

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

function expectOneLineError(run: JamRun, code: number, hint: RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  expect(lines(run.stderr), run.stderr).toHaveLength(1);
  expect(run.stderr).toMatch(/^jam: /);
  expect(run.stderr).toMatch(hint);
  expect(run.stderr).not.toMatch(STACK_LINE);
  expect(run.stdout).toBe('');
}

describe.concurrent('jam progression: MIDI files', () => {
  it('Roman numerals → "<chords> in <key>.mid" with the chords as markers, the key signature and a track name', async ({
    work,
  }) => {
    const run = await work.jam(['I V vi IV']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('I-V-vi-IV in C major.mid\n');
    const midi = readMidi(readFileSync(work.file('I-V-vi-IV in C major.mid')));
    const segments = chordSegments(midi);
    expect(segments.map((segment) => segment.marker)).toEqual(['C', 'G', 'Am', 'F']);
    for (const segment of segments) expect(segment.pitchClasses).toEqual(chordPitchClasses(segment.marker));
    expect(keySignatureIn(midi)).toEqual({ accidentals: 0, minor: false });
    expect(midi.tracks.map((track) => track.name)).toEqual(['I V vi IV in C major']);
    expect(midi.header.tempos[0].bpm).toBe(120);
  });

  it("a library progression in a key: the key's signature, the mode from the library", async ({ work }) => {
    const run = await work.jam(['--name', 'andalusian cadence', '--key', 'E']);
    expect(run.code, run.stderr).toBe(0);
    const midi = readMidi(readFileSync(work.file('Andalusian cadence in E minor.mid')));
    expect(chordSegments(midi).map((segment) => segment.marker)).toEqual(['Em', 'D', 'C', 'B']);
    expect(keySignatureIn(midi)).toEqual({ accidentals: 1, minor: true });
  });

  it('every option at once: a groove, spread voicings, a bass line, a human feel, twice round, at 90 BPM', async ({
    work,
  }) => {
    const args = [
      'ii7 V7/V V7 Imaj7:8',
      '-k',
      'Eb',
      '--rhythm',
      'soul',
      '--voicing',
      'spread',
      '--bass',
      '--humanize',
      '--loop',
      '2',
      '--bpm',
      '90',
      '--beats',
      '2',
      '--octave',
      '3',
    ];
    // The same seed, the same file (rhythm.test.ts shows another seed gives other notes).
    expect((await work.jam([...args, '--seed', '9', '-o', 'a.mid'])).code).toBe(0);
    expect((await work.jam([...args, '--seed', '9', '-o', 'b.mid'])).code).toBe(0);
    const bytes = (name: string) => readFileSync(work.file(name));
    expect(bytes('a.mid').equals(bytes('b.mid'))).toBe(true);
    const midi = readMidi(bytes('a.mid'));
    const segments = chordSegments(midi);
    expect(segments.map((segment) => segment.marker)).toEqual([
      'Fm7',
      'F7',
      'Bb7',
      'Ebmaj7',
      'Fm7',
      'F7',
      'Bb7',
      'Ebmaj7',
    ]);
    expect(segments.map((segment) => segment.startTicks / 480)).toEqual([0, 2, 4, 6, 14, 16, 18, 20]);
    for (const segment of segments) expect(segment.pitchClasses).toEqual(chordPitchClasses(segment.marker));
    expect(midi.tracks.map((track) => track.name)).toEqual(['ii7 V7/V V7 Imaj7:8 in Eb major', 'Bass']);
    expect(midi.header.tempos[0].bpm).toBeCloseTo(90);
    expect(keySignatureIn(midi)).toEqual({ accidentals: -3, minor: false });
  });

  it("chord symbols take the first chord's key; -o - writes the MIDI to standard output", async ({ work }) => {
    const run = await work.jam(['Am F C G', '-o', '-']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdoutBytes.subarray(0, 4).toString('latin1')).toBe('MThd');
    const midi = readMidi(run.stdoutBytes);
    expect(chordSegments(midi).map((segment) => segment.marker)).toEqual(['Am', 'F', 'C', 'G']);
    expect(keySignatureIn(midi)).toEqual({ accidentals: 0, minor: true });
    expect(work.files()).toEqual([]);
  });

  it('never overwrites without --force', async ({ work }) => {
    writeFileSync(work.file('mine.mid'), 'keep me');
    expectOneLineError(
      await work.jam(['I IV', '-o', 'mine.mid']),
      1,
      /mine\.mid already exists; use --force to overwrite it/,
    );
    expect(readFileSync(work.file('mine.mid'), 'utf8')).toBe('keep me');
    expect((await work.jam(['I IV', '-o', 'mine.mid', '--force'])).code).toBe(0);
    expect(readFileSync(work.file('mine.mid')).subarray(0, 4).toString('latin1')).toBe('MThd');
  });
});

describe.concurrent('jam progression: JSON and the library', () => {
  it('--json prints the chords, voicings and notes instead of writing MIDI', async ({ work }) => {
    const run = await work.jam(['I V7/V V', '--json', '--bass']);
    expect(run.code, run.stderr).toBe(0);
    const [result] = lines(run.stdout).map((line) => JSON.parse(line));
    expect(result.key).toBe('C major');
    expect(result.chords.map((chord: { numeral: string; symbol: string }) => [chord.numeral, chord.symbol])).toEqual([
      ['I', 'C'],
      ['V7/V', 'D7'],
      ['V', 'G'],
    ]);
    expect(result.chords[1]).toMatchObject({
      notes: ['D', 'F#', 'A', 'C'],
      startBeat: 4,
      beats: 4,
      start: 2,
      end: 4,
      bassPitch: 38,
    });
    expect(result.chords[0].voicing).toEqual(['C4', 'E4', 'G4']);
    expect(result.notes.length).toBe(3 + 4 + 3);
    expect(result.bass.map((note: { pitch: number }) => note.pitch)).toEqual([36, 38, 43]);
    expect(work.files()).toEqual([]);
  });

  it('--list --tag sad --mode minor: the sad minor progressions, one per line', async ({ work }) => {
    const run = await work.jam(['--list', '--tag', 'sad', '--mode', 'minor']);
    expect(run.code, run.stderr).toBe(0);
    const rows = lines(run.stdout).map((line) => line.split('\t'));
    expect(rows.length).toBeGreaterThan(3);
    for (const [name, numerals, mode, tags] of rows) {
      expect(name.length).toBeGreaterThan(0);
      expect(numerals).toMatch(/^[ib#]/);
      expect(mode).toBe('minor');
      expect(tags.split(', ')).toContain('sad');
    }
    const json = await work.jam(['--list', '--json']);
    expect(lines(json.stdout).length).toBeGreaterThanOrEqual(150);
    expect(JSON.parse(lines(json.stdout)[0])).toMatchObject({ name: 'Pop axis', numerals: 'I V vi IV', mode: 'major' });
  });
});

describe.concurrent('jam progression: bad input', () => {
  const failures: Array<{ args: string[]; code: number; hint: RegExp }> = [
    {
      args: ['I V xyz'],
      code: 1,
      hint: /^jam: progression "I V xyz": "xyz" is not a Roman numeral or chord symbol; did you mean I, ii, iii, IV, V, vi or vii°\?/,
    },
    { args: ['I V', '--key', 'H'], code: 2, hint: /^jam: --key: unknown key "H": did you mean B\?/ },
    {
      args: ['--name', 'andalusin'],
      code: 1,
      hint: /no progression named "andalusin" in the library: did you mean "Andalusian cadence"\?/,
    },
    { args: ['I V', '-o', '/nonexistent-dir/x.mid'], code: 1, hint: /the folder \/nonexistent-dir does not exist/ },
    { args: [], code: 2, hint: /give a progression, e\.g\. jam progression "I V vi IV"/ },
    { args: ['I V', '--tag', 'sad'], code: 2, hint: /--tag and --mode filter --list/ },
    { args: ['I V', '--json', '-o', 'x.mid'], code: 2, hint: /--json prints the progression instead of writing MIDI/ },
    { args: ['I V', '--bpm', '0'], code: 2, hint: /--bpm 0: use beats per minute from 20 to 400/ },
    { args: ['I V', '--voicing', 'drop-4'], code: 2, hint: /drop-4/ },
  ];

  it.for(failures)('$args: exit $code, one line, nothing written', async ({ args, code, hint }, { work }) => {
    expectOneLineError(await work.jam(args), code, hint);
    expect(work.files()).toEqual([]);
  });

  it('--help shows the options with examples', async ({ work }) => {
    const run = await work.jam(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--voicing/);
    expect(run.stdout).toMatch(/Examples:/);
    expect(run.stdout).toMatch(/jam progression --list --tag sad --mode minor/);
  });
});
