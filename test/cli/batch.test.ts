/**
 * Batches through the real command line: a generated folder of short takes (nested folders, corrupt files,
 * two takes with one stem, hidden and non-audio files) transcribed whole, killed part-way and resumed,
 * stopped with Ctrl-C, split into shards and merged, with the report and the exit codes checked.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeWav } from '../../src/audio/wav.js';
import {
  checkCompiledCli,
  FIXTURES,
  JAM,
  lines,
  listFiles,
  runJam,
  type JamRun,
  lendWorkspace,
} from '../helpers/cli.js';
import { requireTool } from '../helpers/tools.js';

const TIMEOUT = 120_000;
const HAS_SOX = spawnSync('sox', ['--version'], { stdio: 'ignore' }).status === 0;

/** The takes folder: every input with what should become of it. */
const GOOD = [
  ...Array.from({ length: 8 }, (_, i) => `day1/take-${i + 1}.wav`),
  ...Array.from({ length: 6 }, (_, i) => `day2/take-${i + 1}.wav`),
  ...Array.from({ length: 4 }, (_, i) => `day2/deep/take-${i + 1}.flac`),
  'day3/bass.flac',
  'day3/bend.ogg',
  // Truncated: transcribed as far as it goes, with a warning.
  'day2/cut.wav',
];
const CORRUPT = ['day1/garbage.wav', 'day2/empty.wav'];
/** Same stem, same folder: both would write day3/twin.mid. */
const TWINS = ['day3/twin.mp3', 'day3/twin.wav'];
const ALL = [...GOOD, ...CORRUPT, ...TWINS].sort();

let source: string;

/** 1-2 s cuts of the fixtures, so a whole batch is a few seconds of work. */
function makeTakes(folder: string): void {
  const cut = (fixture: string, target: string, start: number, seconds: number): void => {
    mkdirSync(dirname(join(folder, target)), { recursive: true });
    const made = spawnSync(
      'sox',
      [join(FIXTURES, fixture), join(folder, target), 'trim', String(start), String(seconds)],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`sox: ${made.stderr}`);
  };
  GOOD.slice(0, 14).forEach((take, i) => cut(i % 2 ? 'chords.wav' : 'scale.wav', take, (i % 4) * 0.5, 1.5));
  GOOD.slice(14, 18).forEach((take, i) => cut('bass.flac', take, i * 0.5, 1.5));
  cut('bass.flac', 'day3/bass.flac', 0, 2);
  cut('bend.ogg', 'day3/bend.ogg', 0, 2);
  cut('scale.wav', 'day3/twin.wav', 0, 1);
  copyFileSync(join(FIXTURES, 'chords.mp3'), join(folder, 'day3/twin.mp3'));
  writeFileSync(join(folder, 'day1/garbage.wav'), 'not audio at all\n');
  const whole = encodeWav([new Float32Array(22050)], 22050);
  writeFileSync(join(folder, 'day2/cut.wav'), whole.subarray(0, whole.length / 2));
  writeFileSync(join(folder, 'day2/empty.wav'), '');
  writeFileSync(join(folder, 'day1/notes.txt'), 'not an input\n');
  writeFileSync(join(folder, '.hidden.wav'), 'hidden files are left alone\n');
}

beforeAll(() => {
  checkCompiledCli();
  if (!HAS_SOX) return;
  source = mkdtempSync(join(tmpdir(), 'jam-batch-source-'));
  makeTakes(join(source, 'takes'));
});
afterAll(() => {
  if (source) rmSync(source, { recursive: true, force: true });
});

class Workspace {
  constructor(readonly path: string) {}

  file(name: string): string {
    return join(this.path, name);
  }

  files(under = ''): string[] {
    return listFiles(join(this.path, under));
  }

  jam(args: string[], input?: string): Promise<JamRun> {
    return runJam(args, { cwd: this.path, input, timeout: TIMEOUT });
  }

  report(name = 'report.json') {
    return JSON.parse(readFileSync(this.file(name), 'utf8'));
  }
}

/** Each test gets its own copy of the takes; afterwards no `.partial` file may be left anywhere. */
const it = test.extend<{ work: Workspace }>({
  work: async ({}, use) => {
    requireTool(HAS_SOX, 'sox (to cut the takes)', 'sox');
    const work = new Workspace(mkdtempSync(join(tmpdir(), 'jam-batch-')));
    cpSync(join(source, 'takes'), work.file('takes'), { recursive: true });
    await lendWorkspace(work, use);
  },
});

const mids = (takes: string[]) => takes.map((take) => take.replace(/\.\w+$/, '.mid')).sort();
const byInput = (report: { files: Array<{ input: string; status: string }> }) =>
  Object.fromEntries(report.files.map((file) => [file.input.replace(/^takes\//, ''), file.status]));

/** Starts jam in the background, for signals. */
function startJam(work: Workspace, args: string[]) {
  const child = spawn(process.execPath, [JAM, ...args], {
    cwd: work.path,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.resume();
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, ended };
}

/** Waits until `count` MIDI files exist below `folder`. */
async function midiFilesAppear(folder: string, count: number): Promise<void> {
  for (let tries = 0; tries < 12_000; tries++) {
    if (listFiles(folder).filter((file) => file.endsWith('.mid')).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${count} MIDI files did not appear in ${folder}`);
}

describe.concurrent('jam transcribe <folder>', { timeout: TIMEOUT }, () => {
  it('mirrors the tree under --out-dir, reports every input once, fails the bad ones and goes on; run again, it skips what is done', async ({
    work,
  }) => {
    const run = await work.jam(['transcribe', 'takes', '--out-dir', 'midi', '--report', 'report.json']);
    expect(run.code, run.stderr).toBe(1);
    expect(work.files('midi')).toEqual(mids(GOOD));
    // Piped: one line per file done (its MIDI file), one `jam:` line per failure, then the count.
    expect(lines(run.stdout).sort()).toEqual(mids(GOOD).map((file) => join('midi', file)));
    const stderr = lines(run.stderr);
    expect(stderr.at(-1)).toBe(`jam: warning: ${CORRUPT.length + TWINS.length} of ${ALL.length} inputs failed`);
    for (const bad of [...CORRUPT, ...TWINS])
      expect(stderr.filter((line) => line.startsWith(`jam: takes/${bad}: `))).toHaveLength(1);
    expect(run.stderr).toMatch(
      /jam: takes\/day3\/twin\.mp3: takes\/day3\/twin\.wav would write midi\/day3\/twin\.mid too; rename one/,
    );

    const report = work.report();
    expect(report).toMatchObject({ format: 'jam-batch-report/1', command: 'transcribe', complete: true });
    expect(report.files.map((file: { input: string }) => file.input)).toEqual(ALL.map((take) => `takes/${take}`));
    expect(byInput(report)).toEqual(
      Object.fromEntries(ALL.map((take) => [take, GOOD.includes(take) ? 'done' : 'failed'])),
    );
    const first = report.files.find((file: { input: string }) => file.input === 'takes/day2/deep/take-1.flac');
    expect(first).toMatchObject({
      outputs: { midi: 'midi/day2/deep/take-1.mid' },
      duration: 1.5,
      noteCount: expect.any(Number),
    });
    expect(Object.keys(first.timings)).toEqual(['transcribe', 'write']);
    expect(report.files.find((file: { input: string }) => file.input === 'takes/day2/empty.wav').error).toMatch(
      /empty/,
    );
    expect(report.summary).toMatchObject({
      files: ALL.length,
      done: GOOD.length,
      skipped: 0,
      failed: CORRUPT.length + TWINS.length,
      notRun: 0,
    });

    const written = statSync(work.file('midi/day1/take-1.mid')).mtimeMs;
    const again = await work.jam(['transcribe', 'takes', '--out-dir', 'midi', '--report', 'report.json', '--json']);
    expect(again.code).toBe(1);
    expect(statSync(work.file('midi/day1/take-1.mid')).mtimeMs).toBe(written);
    const records = lines(again.stdout).map((line) => JSON.parse(line));
    expect(records.at(-1).summary).toMatchObject({
      files: ALL.length,
      done: 0,
      skipped: GOOD.length,
      failed: CORRUPT.length + TWINS.length,
    });
    expect(
      records
        .slice(0, -1)
        .map((record) => record.status)
        .filter((status) => status === 'skipped'),
    ).toHaveLength(GOOD.length);
    // A skipped file keeps what the first run learnt of it.
    expect(
      work.report().files.find((file: { input: string }) => file.input === 'takes/day2/deep/take-1.flac'),
    ).toMatchObject({ status: 'skipped', duration: 1.5 });
  });

  it('killed with SIGKILL part-way, leaves only whole files, and the same command finishes the rest', async ({
    work,
  }) => {
    const args = ['transcribe', 'takes', '--out-dir', 'midi', '--report', 'report.json', '--jobs', '1'];
    const { child, ended } = startJam(work, args);
    await midiFilesAppear(work.file('midi'), 3);
    child.kill('SIGKILL');
    expect((await ended).signal).toBe('SIGKILL');
    const before = work.files('midi').filter((file) => file.endsWith('.mid'));
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(GOOD.length);
    for (const file of before)
      expect(
        readFileSync(work.file(join('midi', file)))
          .subarray(0, 4)
          .toString('latin1'),
      ).toBe('MThd');
    // What a kill during a write leaves: a temporary, which is not an output and is cleared on resume.
    writeFileSync(work.file('midi/day1/.take-8.mid.0badf00d.partial'), 'half a MIDI file');
    writeFileSync(work.file('.report.json.0badf00d.partial'), '{"half a report');

    const resumed = await work.jam(args);
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(work.files('midi')).toEqual(mids(GOOD));
    const report = work.report();
    expect(report.complete).toBe(true);
    expect(report.files).toHaveLength(ALL.length);
    expect(report.summary.skipped).toBe(before.length);
    expect(report.summary.done + report.summary.skipped).toBe(GOOD.length);
  });

  it('Ctrl-C stops after the file in flight: exit 130, whole outputs, a report marked incomplete', async ({ work }) => {
    const { child, ended } = startJam(work, [
      'transcribe',
      'takes',
      '--out-dir',
      'midi',
      '--report',
      'report.json',
      '--jobs',
      '1',
    ]);
    await midiFilesAppear(work.file('midi'), 1);
    child.kill('SIGINT');
    const { code, stderr } = await ended;
    expect(code).toBe(130);
    expect(stderr).toMatch(/jam: warning: SIGINT: stopping after the inputs in flight/);
    expect(stderr).toMatch(/stopped \(SIGINT\) after \d+ of 25 inputs; run the same command again to go on/);
    const report = work.report();
    expect(report).toMatchObject({ complete: false, stopped: 'SIGINT' });
    expect(report.summary.notRun).toBeGreaterThan(0);
    const done = report.files.filter((file: { status: string }) => file.status === 'done');
    expect(work.files('midi')).toEqual(
      done.map((file: { outputs: { midi: string } }) => file.outputs.midi.replace(/^midi\//, '')).sort(),
    );
  });

  it('two shards cover every input exactly once, and jam report merge joins their reports', async ({ work }) => {
    const shard = (index: number) =>
      work.jam([
        'transcribe',
        'takes',
        '-d',
        'midi',
        '--shard',
        `${index}/2`,
        '--report',
        `shard-${index}.json`,
        '--jobs',
        '1',
      ]);
    // Side by side, as two CI machines would run them.
    const runs = await Promise.all([shard(1), shard(2)]);
    for (const run of runs) expect([0, 1]).toContain(run.code);
    const [one, two] = [work.report('shard-1.json'), work.report('shard-2.json')];
    const inputs = (report: { files: Array<{ input: string }> }) => report.files.map((file) => file.input);
    expect(inputs(one).length).toBeGreaterThan(0);
    expect(inputs(two).length).toBeGreaterThan(0);
    expect(inputs(one).filter((input: string) => inputs(two).includes(input))).toEqual([]);
    expect([...inputs(one), ...inputs(two)].sort()).toEqual(ALL.map((take) => `takes/${take}`));
    expect(work.files('midi')).toEqual(mids(GOOD));
    expect(one.shards).toEqual([{ index: 1, count: 2 }]);

    const merged = await work.jam(['report', 'merge', 'shard-1.json', 'shard-2.json', '-o', 'all.json']);
    expect(merged.code).toBe(1);
    expect(lines(merged.stderr)).toEqual([
      `jam: warning: ${CORRUPT.length + TWINS.length} of ${ALL.length} inputs failed`,
    ]);
    const all = work.report('all.json');
    expect(all).toMatchObject({
      complete: true,
      shards: [
        { index: 1, count: 2 },
        { index: 2, count: 2 },
      ],
    });
    expect(all.summary).toMatchObject({ files: ALL.length, done: GOOD.length, failed: CORRUPT.length + TWINS.length });

    const missing = await work.jam(['report', 'merge', 'shard-1.json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).complete).toBe(false);
    expect(missing.stderr).toMatch(/not complete/);
  });

  it('--fail-fast stops starting inputs after the first failure', async ({ work }) => {
    const run = await work.jam([
      'transcribe',
      'takes/day1',
      '--out-dir',
      'midi',
      '--fail-fast',
      '--jobs',
      '1',
      '--report',
      'report.json',
    ]);
    expect(run.code).toBe(1);
    const report = work.report();
    // garbage.wav is the first input in day1/.
    expect(report.files.map((file: { status: string }) => file.status)).toEqual(['failed']);
    expect(report).toMatchObject({ complete: false, stopped: 'fail-fast', summary: { files: 9, notRun: 8 } });
    expect(work.files('midi')).toEqual([]);
  });

  it('a folder of good takes exits 0; --from - reads the list; patterns pick files; --analyze adds the key and chords', async ({
    work,
  }) => {
    const run = await work.jam(['transcribe', 'takes/day2/**/*.flac', '--out-dir', 'midi', '--analyze', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(work.files('midi')).toEqual([
      'deep/take-1.analysis.json',
      'deep/take-1.lab',
      'deep/take-1.mid',
      'deep/take-2.analysis.json',
      'deep/take-2.lab',
      'deep/take-2.mid',
      'deep/take-3.analysis.json',
      'deep/take-3.lab',
      'deep/take-3.mid',
      'deep/take-4.analysis.json',
      'deep/take-4.lab',
      'deep/take-4.mid',
    ]);
    const analysis = JSON.parse(readFileSync(work.file('midi/deep/take-1.analysis.json'), 'utf8'));
    expect(analysis).toMatchObject({
      input: 'takes/day2/deep/take-1.flac',
      key: expect.anything(),
      chords: expect.any(Array),
    });
    expect(readFileSync(work.file('midi/deep/take-1.lab'), 'utf8')).toMatch(/^0\.000000 \d+\.\d{6} \S+\n/);

    const listed = await work.jam(
      ['transcribe', '--from', '-', '--out-dir', 'listed', '--json'],
      'takes/day1/take-1.wav\ntakes/day3/bend.ogg\n',
    );
    expect(listed.code, listed.stderr).toBe(0);
    expect(work.files('listed')).toEqual(['takes/day1/take-1.mid', 'takes/day3/bend.mid']);
    const records = lines(listed.stdout).map((line) => JSON.parse(line));
    expect(records.map((record) => record.status ?? 'summary')).toEqual(['done', 'done', 'summary']);
    expect(records[0].notes.length).toBe(records[0].noteCount);
  });

  it('usage errors exit 2 before any work: a bad --shard, --jobs 0, a pattern that matches nothing', async ({
    work,
  }) => {
    for (const [args, hint] of [
      [['--shard', '0/2'], /--shard 0\/2: give I\/N with 1 ≤ I ≤ N/],
      [['--shard', '3/2'], /--shard 3\/2/],
      [['--jobs', '0'], /--jobs 0: give a whole number from 1/],
    ] as const) {
      const run = await work.jam(['transcribe', 'takes', '-d', 'midi', ...args]);
      expect(run.code).toBe(2);
      expect(lines(run.stderr)).toEqual([expect.stringMatching(hint)]);
    }
    const none = await work.jam(['transcribe', 'takes/**/*.aiff', '-d', 'midi']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^jam: takes\/\*\*\/\*\.aiff: no files match this pattern/);
    expect(existsSync(work.file('midi'))).toBe(false);
  });
});

function makeSongs(work: Workspace): void {
  for (const [fixture, target] of [
    ['chords.mid', 'songs/a/chords.mid'],
    ['scale.mid', 'songs/a/b/scale.mid'],
    ['bend.mid', 'songs/bend.mid'],
  ]) {
    mkdirSync(dirname(work.file(target)), { recursive: true });
    copyFileSync(join(FIXTURES, fixture), work.file(target));
  }
  writeFileSync(work.file('songs/broken.mid'), 'not MIDI');
}

describe.concurrent('jam analyze <folder>', { timeout: TIMEOUT }, () => {
  it('writes one .lab per MIDI file along the tree, with a report; a bad file fails alone', async ({ work }) => {
    makeSongs(work);
    const run = await work.jam([
      'analyze',
      'songs',
      '--format',
      'lab',
      '--out-dir',
      'labs',
      '--report',
      'report.json',
      '--jobs',
      '2',
    ]);
    expect(run.code).toBe(1);
    expect(work.files('labs')).toEqual(['a/b/scale.lab', 'a/chords.lab', 'bend.lab']);
    expect(lines(run.stdout)).toEqual([
      join('labs', 'a/b/scale.lab'),
      join('labs', 'a/chords.lab'),
      join('labs', 'bend.lab'),
    ]);
    expect(readFileSync(work.file('labs/a/chords.lab'), 'utf8')).toMatch(/^0\.000000 \S+ C:maj\n/);
    const report = work.report();
    expect(report.files.map((file: { input: string; status: string }) => [file.input, file.status])).toEqual([
      ['songs/a/b/scale.mid', 'done'],
      ['songs/a/chords.mid', 'done'],
      ['songs/bend.mid', 'done'],
      ['songs/broken.mid', 'failed'],
    ]);
    expect(report.files[1]).toMatchObject({ key: 'C major', outputs: { lab: 'labs/a/chords.lab' } });
    const again = await work.jam([
      'analyze',
      'songs',
      '--format',
      'lab',
      '--out-dir',
      'labs',
      '--report',
      'report.json',
    ]);
    expect(work.report().summary).toMatchObject({ skipped: 3, failed: 1 });
    expect(again.code).toBe(1);
  });

  it('never takes its own outputs or report for inputs, even inside the folder it reads', async ({ work }) => {
    makeSongs(work);
    const args = ['analyze', 'songs', '--json', '--out-dir', 'songs/json', '--report', 'songs/report.json'];
    expect((await work.jam(args)).code).toBe(1);
    expect(work.files('songs/json')).toEqual(['a/b/scale.json', 'a/chords.json', 'bend.json']);
    expect((await work.jam(args)).code).toBe(1);
    expect(work.report('songs/report.json').summary).toMatchObject({ files: 4, skipped: 3, failed: 1 });
  });
});
