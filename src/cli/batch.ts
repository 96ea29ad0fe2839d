/**
 * What `jam transcribe` and `jam analyze` share for many inputs: the batch options (--from, --jobs,
 * --skip-existing, --report, --shard, --fail-fast), expanding the inputs, Ctrl-C that finishes the files in
 * flight, the progress bar with the files-done count, the report, the summary and the exit code.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv } from 'yargs';
import { expandInputs, parsePathList, type BatchInput, type Extensions } from '../batch/inputs.js';
import { shardItems } from '../batch/plan.js';
import type { FileRecord, Summary } from '../batch/report.js';
import { earlierReport, reportFile } from '../batch/reportFile.js';
import { runBatch, type BatchItem, type Counts, type WorkContext, type WorkResult } from '../batch/run.js';
import { parseShard, type Shard } from '../batch/shard.js';
import { JamError, usageError } from '../errors.js';
import { userArg } from './args.js';
import { exitIfStopped, stopSignal } from './interrupt.js';
import { progressBar } from './progress.js';
import { reportError, warn } from './report.js';

/**
 * Files worked on at once. Measured by `npm run bench:batch` on 2 cores (docs/ci.md): a second job overlaps
 * one file's decoding, note creation and writing with the next one's inference.
 */
export const DEFAULT_JOBS = 2;
const MAX_JOBS = 64;

export interface BatchArgs {
  from?: string;
  outDir?: string;
  jobs: number;
  skipExisting?: boolean;
  report?: string;
  shard?: string;
  failFast: boolean;
  force: boolean;
  json: boolean;
  quiet: boolean;
  debug: boolean;
}

export function batchOptions<T>(yargs: Argv<T>): Argv<T> {
  return yargs
    .option('from', {
      requiresArg: true,
      type: 'string',
      describe: 'Also take input paths from this file, one per line; - reads them from standard input',
    })
    .option('jobs', {
      requiresArg: true,
      alias: 'j',
      type: 'number',
      default: DEFAULT_JOBS,
      describe: 'Inputs worked on at once',
    })
    .option('skip-existing', {
      type: 'boolean',
      describe:
        'Skip inputs whose outputs all exist (default on for folders, patterns and --from, so a stopped run resumes)',
    })
    .option('report', {
      requiresArg: true,
      type: 'string',
      describe: "Write a JSON report: every input's status, outputs, timings and error, and a summary",
    })
    .option('shard', {
      requiresArg: true,
      type: 'string',
      describe: 'I/N: take only the I-th of N parts of the inputs (1-based), for N machines',
    })
    .option('fail-fast', {
      type: 'boolean',
      default: false,
      describe: 'Stop starting new inputs after the first failure',
    }) as unknown as Argv<T>;
}

export interface BatchSetup {
  inputs: BatchInput[];
  /** The inputs came from a folder, a pattern or --from. */
  batch: boolean;
  shard?: Shard;
  jobs: number;
  skipExisting: boolean;
}

/** Checks the batch options and expands the positional inputs (and --from's list) into inputs. */
export async function batchSetup(
  args: BatchArgs,
  positional: string[],
  extensions: Extensions,
  example: string,
): Promise<BatchSetup> {
  if (!Number.isInteger(args.jobs) || args.jobs < 1 || args.jobs > MAX_JOBS)
    throw usageError(`--jobs ${args.jobs}: give a whole number from 1 to ${MAX_JOBS}`);
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  const from = args.from === undefined ? undefined : userArg(args.from);
  if (from === '-' && positional.includes('-'))
    throw usageError('--from - and the input - both read standard input; choose one');
  const listed = from === undefined ? [] : parsePathList(await readPathList(from));
  if (positional.length === 0 && listed.length === 0) throw usageError(`give at least one input, e.g. ${example}`);
  const { inputs, batch } = await expandInputs(positional, extensions, listed);
  // jam's own files are never inputs, or a second run would take the first run's JSON for notes to analyse.
  const own = (file: string): boolean =>
    (args.report !== undefined && path.resolve(file) === path.resolve(args.report)) ||
    (args.outDir !== undefined && isInside(file, args.outDir));
  const kept = batch ? inputs.filter((input) => input.path === '-' || !own(input.path)) : inputs;
  return { inputs: kept, batch, shard, jobs: args.jobs, skipExisting: args.skipExisting ?? batch };
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(path.resolve(folder), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

async function readPathList(from: string): Promise<string> {
  try {
    return from === '-' ? await readStandardInput() : await readFile(from, 'utf8');
  } catch {
    throw new JamError(`--from ${from}: cannot read this list of inputs; check the path`);
  }
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** What a command does with one input, and how it shows the outcome once its turn in the input order comes. */
export type CommandWork = (
  item: BatchItem,
  context: WorkContext,
) => Promise<{ result: WorkResult; print?: (record: FileRecord) => void }>;

export interface CommandBatch {
  command: string;
  setup: BatchSetup;
  /** One per input of `setup.inputs`, in the same order. */
  items: BatchItem[];
  work: CommandWork;
  /** The line a skipped input prints when standard output is piped (its output's path). */
  skippedLine?: (record: FileRecord) => string | undefined;
}

/** Runs the batch: prints each input's outcome in input order, keeps the report, and sets the exit code. */
export async function runCommandBatch(batch: CommandBatch, args: BatchArgs): Promise<Summary> {
  const { setup } = batch;
  const items = shardItems(batch.items, setup.inputs, setup.shard);
  const earlier = args.report === undefined ? undefined : await earlierReport(args.report, args.force);
  const report = reportFile(args.report, { command: batch.command, shard: setup.shard, total: items.length });
  const progress = progressBar(
    items.length === 1 ? displayName(items[0].input) : filesDone(0, items.length, 0),
    !args.quiet && !args.json,
  );
  const prints = new Map<string, (record: FileRecord) => void>();
  const stop = stopSignal();
  stop.addEventListener('abort', () =>
    warn(`${(stop.reason as Error).message}: stopping after the inputs in flight (again to stop at once)`),
  );

  const result = await runBatch(
    items,
    async (item, context) => {
      const { result, print } = await batch.work(item, context);
      if (print) prints.set(item.input, print);
      return result;
    },
    {
      jobs: setup.jobs,
      skipExisting: setup.skipExisting,
      force: args.force,
      failFast: args.failFast,
      signal: stop,
      earlier: new Map((earlier?.files ?? []).map((record) => [record.input, record])),
      onRecord(record, error) {
        report.add(record);
        progress.done();
        showRecord(record, error, batch, args);
        prints.get(record.input)?.(record);
        prints.delete(record.input);
      },
      onProgress(counts: Counts) {
        progress.update(
          counts.fraction,
          items.length === 1
            ? undefined
            : filesDone(counts.done + counts.skipped + counts.failed, counts.total, counts.failed),
        );
      },
    },
  );
  progress.done();
  const final = await report.finish(result.stopped);
  showSummary(final.summary, result.stopped, batch, args);
  // A stop by Ctrl-C or SIGTERM has set its own exit code (interrupt.ts).
  if (!stop.aborted && final.summary.failed > 0) process.exitCode = 1;
  // A read given up on (a FIFO that stays silent) would keep the process alive.
  exitIfStopped(stop);
  return final.summary;
}

/** One object as a line of --json output on standard output. */
export function printJsonLine(value: object): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function showRecord(record: FileRecord, error: unknown, batch: CommandBatch, args: BatchArgs): void {
  if (record.status === 'failed') {
    reportError(error ?? new JamError(record.error ?? 'failed'), args.debug);
    if (args.json) printJsonLine(record);
  } else if (record.status === 'skipped') {
    if (record.error !== undefined) warn(`${record.error}; skipped ${record.input}`);
    if (args.json) printJsonLine(record);
    else if (!args.quiet && !process.stdout.isTTY) {
      const line = batch.skippedLine?.(record);
      if (line !== undefined) process.stdout.write(`${line}\n`);
    }
  }
}

function showSummary(summary: Summary, stopped: string | undefined, batch: CommandBatch, args: BatchArgs): void {
  if (args.json && batch.setup.batch) printJsonLine({ summary, ...(stopped ? { stopped } : {}) });
  const shard = batch.setup.shard ? ` (shard ${batch.setup.shard.index}/${batch.setup.shard.count})` : '';
  if (stopped !== undefined) {
    warn(
      `stopped (${stopped}) after ${summary.files - summary.notRun} of ${summary.files} inputs${shard}; run the same command again to go on`,
    );
  } else if (!args.quiet && !args.json && process.stderr.isTTY && summary.files > 1) {
    process.stderr.write(`${summaryLine(summary)}${shard}\n`);
  } else if (summary.failed > 0 && summary.files > 1) {
    warn(`${summary.failed} of ${summary.files} inputs failed`);
  }
}

/** e.g. "40 inputs: 37 done, 2 skipped, 1 failed in 82.0 s (27.1 files/min)". */
export function summaryLine(summary: Summary): string {
  return `${summary.files} inputs: ${summary.done} done, ${summary.skipped} skipped, ${summary.failed} failed in ${summary.wallSeconds.toFixed(1)} s (${summary.filesPerMinute.toFixed(1)} files/min)`;
}

function filesDone(finished: number, total: number, failed: number): string {
  return `${finished}/${total} files${failed > 0 ? `, ${failed} failed` : ''}`;
}

function displayName(input: string): string {
  return input === '-' ? 'stdin' : path.basename(input);
}
