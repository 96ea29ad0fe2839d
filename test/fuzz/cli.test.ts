/**
 * The fuzz suite through the real command line: a handful of mutated inputs per parser, each given to the command
 * that reads it. Every run exits 0, 1 or 2; stderr holds only `jam: ` lines (one error at most, no stack trace);
 * and a run that fails leaves no output file and no temporary behind.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCompiledCli, lines, runJam, STACK_LINE } from '../helpers/cli.js';
import {
  labTarget,
  noteJsonTarget,
  progressionTarget,
  reportTarget,
  smfTarget,
  wavTarget,
  type FuzzTarget,
} from './corpus.js';
import { FUZZ_SEED } from './harness.js';
import { Fuzz } from './mutate.js';

/** Mutated inputs run through the CLI per parser. */
const CLI_CASES = Number(process.env.FUZZ_CLI_CASES ?? 2);

let folder: string;
beforeAll(() => {
  checkCompiledCli();
  folder = mkdtempSync(join(tmpdir(), 'jam-fuzz-cli-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function inputs<T>(target: FuzzTarget<T>, salt: number): T[] {
  const seeds = target.seeds();
  return Array.from({ length: CLI_CASES }, (_, index) => {
    const fuzz = new Fuzz(FUZZ_SEED * 7919 + salt * 101 + index);
    return target.mutate(fuzz, fuzz.pick(seeds));
  });
}

interface CliCase {
  /** The input file's name and bytes, written to a fresh folder. */
  file?: [string, Uint8Array | string];
  args: string[];
  /** The output the run would write (relative to its folder). */
  output: string;
}

async function expectCleanRun(name: string, index: number, { file, args, output }: CliCase): Promise<void> {
  const cwd = mkdtempSync(join(folder, `${name}-${index}-`));
  if (file) writeFileSync(join(cwd, file[0]), file[1]);
  const run = await runJam(args, { cwd, timeout: 60_000 });
  const stderr = lines(run.stderr);
  const context = `${name} case ${index}: jam ${args.join(' ').slice(0, 200)}\n${run.stderr.slice(0, 2000)}`;
  expect([0, 1, 2], context).toContain(run.code);
  expect(run.stderr, context).not.toMatch(STACK_LINE);
  expect(
    stderr.every((line) => line.startsWith('jam: ')),
    context,
  ).toBe(true);
  expect(stderr.filter((line) => !line.startsWith('jam: warning: ')).length, context).toBeLessThanOrEqual(1);
  if (run.code !== 0) {
    expect(stderr.length, context).toBeGreaterThan(0);
    expect(readdirSync(cwd).sort(), context).toEqual(file ? [file[0]] : []);
  } else
    expect(
      readdirSync(cwd).filter((entry) => entry.endsWith('.partial')),
      context,
    ).toEqual([]);
  if (run.code !== 0) expect(readdirSync(cwd), context).not.toContain(output);
}

describe(`the CLI on mutated inputs (${CLI_CASES} a parser, FUZZ_SEED=${FUZZ_SEED})`, () => {
  it('jam transcribe on mutated WAV headers: a MIDI file or one line, nothing left behind', async () => {
    for (const [index, bytes] of inputs(wavTarget, 1).entries())
      await expectCleanRun('wav', index, {
        file: ['take.wav', bytes],
        args: ['transcribe', 'take.wav', '-o', 'out.mid'],
        output: 'out.mid',
      });
  });

  it('jam analyze and jam view on mutated MIDI files', async () => {
    for (const [index, bytes] of inputs(smfTarget, 2).entries()) {
      await expectCleanRun('smf', index, {
        file: ['song.mid', bytes],
        args: ['analyze', 'song.mid', '-o', 'out.txt'],
        output: 'out.txt',
      });
      await expectCleanRun('smf-view', index, {
        file: ['song.mid', bytes],
        args: ['view', 'song.mid', '-o', 'out.svg'],
        output: 'out.svg',
      });
    }
  });

  it('jam eval chords on mutated .lab files', async () => {
    for (const [index, text] of inputs(labTarget, 3).entries())
      await expectCleanRun('lab', index, {
        file: ['est.lab', text],
        args: ['eval', 'chords', 'est.lab', 'est.lab'],
        output: '',
      });
  });

  it('jam analyze on mutated note JSON', async () => {
    for (const [index, text] of inputs(noteJsonTarget, 4).entries())
      await expectCleanRun('json', index, {
        file: ['notes.json', text],
        args: ['analyze', 'notes.json', '-o', 'out.txt'],
        output: 'out.txt',
      });
  });

  it('jam report merge on mutated reports', async () => {
    for (const [index, text] of inputs(reportTarget, 5).entries())
      await expectCleanRun('report', index, {
        file: ['r.json', text],
        args: ['report', 'merge', 'r.json', '-o', 'all.json'],
        output: 'all.json',
      });
  });

  it('jam progression on mutated progression text', async () => {
    // A command line holds no NUL byte.
    for (const [index, text] of inputs(progressionTarget, 6).entries())
      await expectCleanRun('progression', index, {
        args: ['progression', '--', text.replace(/\0/g, ''), '-o', 'out.mid'],
        output: 'out.mid',
      });
  });
});
