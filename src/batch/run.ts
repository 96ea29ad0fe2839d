/**
 * The batch scheduler: runs the work for each input, `jobs` at a time, and turns each outcome into a
 * record. Inputs whose outputs all exist are skipped (with skipExisting); a failure is recorded and the
 * rest go on (unless failFast); a stop signal (Ctrl-C) starts nothing new but lets the files in flight
 * finish. Records come out in input order, whatever order the work finishes in.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { JamError } from '../errors.js';
import { OutputExistsError, removeStaleTemporaries } from '../files.js';
import { round } from '../numbers.js';
import type { FileRecord } from './report.js';

/** One input and the files it is planned to produce, by kind (midi, noteEvents, lab…). */
export interface BatchItem {
  input: string;
  outputs: Record<string, string>;
  /** A reason this input cannot be run, known before any work (e.g. two inputs would write one file). */
  problem?: string;
}

/** What the work tells about an input it finished. */
export type WorkResult = Omit<FileRecord, 'input' | 'status' | 'seconds' | 'error'>;

export interface WorkContext {
  /** May the work replace outputs that exist? (--force.) */
  overwrite: boolean;
  /**
   * May the work replace this output? With --force any; with skipExisting, those found when the batch was planned
   * (the remains of an earlier run's unfinished input); never one that appeared since (another run's).
   */
  mayReplace: (file: string) => boolean;
  /** Aborted by Ctrl-C or SIGTERM: long reads stop. */
  signal?: AbortSignal;
  /** The work's own progress through this input, 0-1. */
  onProgress: (fraction: number) => void;
  /** No input starts after this one. */
  last: boolean;
}

export type Work = (item: BatchItem, context: WorkContext) => Promise<WorkResult>;

export interface Counts {
  total: number;
  done: number;
  skipped: number;
  failed: number;
  /**
   * Through the work to do (skipped inputs left out, so an ETA holds on a resumed run), 0-1, counting the part done
   * of the inputs in flight.
   */
  fraction: number;
}

export interface RunOptions {
  /** Inputs worked on at the same time. */
  jobs: number;
  /** Skip an input whose planned outputs all exist. */
  skipExisting: boolean;
  force: boolean;
  /** Stop starting new inputs after the first failure. */
  failFast: boolean;
  /** When aborted, nothing new starts; the inputs in flight finish. */
  signal?: AbortSignal;
  /** Records of an earlier run (by input), whose details a skipped input keeps. */
  earlier?: Map<string, FileRecord>;
  /** Each record, in input order; for a failure, also what was thrown (for the CLI's message and --debug stack). */
  onRecord?: (record: FileRecord, error?: unknown) => void;
  onProgress?: (counts: Counts) => void;
}

export interface RunResult {
  records: FileRecord[];
  /** "fail-fast", or the abort reason, when the batch stopped before every input was tried. */
  stopped?: string;
}

/**
 * The engine threads each job gets: the machine's cores shared among the inputs worked on at once. On 2
 * cores two jobs of one thread each beat one job of two threads (`npm run bench:batch`): whole files in
 * parallel need no coordination between threads, and one job's decoding and note creation fill the gaps
 * in the other's inference.
 */
export function threadsPerJob(jobs: number, inputs: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, Math.min(jobs, inputs))));
}

export async function runBatch(items: BatchItem[], work: Work, options: RunOptions): Promise<RunResult> {
  const results: Array<FileRecord | undefined> = new Array(items.length);
  const errors = new Map<number, unknown>();
  const counts: Counts = { total: items.length, done: 0, skipped: 0, failed: 0, fraction: 0 };
  const inFlight = new Map<number, number>();
  let emitted = 0;
  let failedFast = false;

  const showProgress = (): void => {
    const toDo = items.length - counts.skipped;
    const partly = [...inFlight.values()].reduce((sum, fraction) => sum + fraction, 0);
    counts.fraction = toDo === 0 ? 1 : (counts.done + counts.failed + partly) / toDo;
    options.onProgress?.({ ...counts });
  };
  const finish = (index: number, record: FileRecord): void => {
    results[index] = record;
    counts[record.status]++;
    inFlight.delete(index);
    if (record.status === 'failed' && options.failFast) failedFast = true;
    for (; emitted < results.length && results[emitted] !== undefined; emitted++)
      options.onRecord?.(results[emitted]!, errors.get(emitted));
    showProgress();
  };

  const pending: number[] = [];
  items.forEach((item, index) => {
    const planned = Object.values(item.outputs);
    if (
      !item.problem &&
      options.skipExisting &&
      !options.force &&
      planned.length > 0 &&
      planned.every((file) => existsSync(file))
    ) {
      finish(index, skippedRecord(item, options.earlier?.get(item.input)));
    } else pending.push(index);
  });
  const planned = pending.flatMap((index) => Object.values(items[index].outputs));
  await removeStaleTemporaries(planned);
  const foundAtPlanning = new Set(planned.filter((file) => existsSync(file)));
  const mayReplace = (file: string): boolean => options.force || (options.skipExisting && foundAtPlanning.has(file));
  const appeared = (file: string): boolean => !foundAtPlanning.has(file);

  const stopping = (): boolean => failedFast || options.signal?.aborted === true;
  const worker = async (): Promise<void> => {
    for (let index = pending.shift(); index !== undefined && !stopping(); index = pending.shift()) {
      inFlight.set(index, 0);
      const outcome = await attempt(
        items[index],
        work,
        options,
        { mayReplace, appeared },
        pending.length === 0,
        (fraction) => {
          inFlight.set(index, fraction);
          showProgress();
        },
      );
      if (outcome.error !== undefined) errors.set(index, outcome.error);
      finish(index, outcome.record);
    }
  };
  showProgress();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, pending.length)) }, worker));

  // Inputs skipped after one that never started (the batch stopped) still have their say.
  for (; emitted < results.length; emitted++)
    if (results[emitted]) options.onRecord?.(results[emitted]!, errors.get(emitted));
  const records = results.filter((record): record is FileRecord => record !== undefined);
  const stopped = records.length === items.length ? undefined : failedFast ? 'fail-fast' : stopReason(options.signal);
  return { records, stopped };
}

async function attempt(
  item: BatchItem,
  work: Work,
  options: RunOptions,
  { mayReplace, appeared }: { mayReplace: (file: string) => boolean; appeared: (file: string) => boolean },
  last: boolean,
  onProgress: (fraction: number) => void,
): Promise<{ record: FileRecord; error?: unknown }> {
  const started = performance.now();
  const seconds = (): number => round((performance.now() - started) / 1000, 3);
  if (item.problem)
    return {
      record: { input: item.input, status: 'failed', outputs: {}, seconds: 0, error: item.problem },
      error: new JamError(item.problem),
    };
  try {
    const result = await work(item, { overwrite: options.force, mayReplace, signal: options.signal, onProgress, last });
    return { record: { input: item.input, status: 'done', ...result, seconds: seconds() } };
  } catch (error) {
    // An output that appeared after planning (another run into the same folder) is left alone: the input is skipped.
    if (error instanceof OutputExistsError && appeared(error.target))
      return {
        record: {
          input: item.input,
          status: 'skipped',
          outputs: item.outputs,
          seconds: seconds(),
          error: error.message,
        },
        error,
      };
    return {
      record: {
        input: item.input,
        status: 'failed',
        outputs: {},
        seconds: seconds(),
        error: error instanceof Error ? error.message : String(error),
      },
      error,
    };
  }
}

/** A skipped input keeps what an earlier run learnt of it (audio length, notes, key), but not its timings. */
function skippedRecord(item: BatchItem, earlier: FileRecord | undefined): FileRecord {
  const known =
    earlier?.status === 'done' ? { duration: earlier.duration, noteCount: earlier.noteCount, key: earlier.key } : {};
  return { input: item.input, status: 'skipped', outputs: item.outputs, ...known, seconds: 0 };
}

/** What stopped the batch: an abort's message (SIGINT, SIGTERM) or the reason it was given. */
function stopReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'stopped');
}
