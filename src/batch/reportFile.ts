/**
 * The report file of a batch run. It is rewritten atomically every few seconds while the run goes on and
 * once at the end, so a run killed outright (SIGKILL) still leaves a whole report of all but its last
 * seconds, marked `complete: false`. Run again with the same command, the batch skips the files done and
 * takes their records from the report it finds, so the final report covers the whole batch.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { JamError } from '../errors.js';
import { checkCanCreate, removeStaleTemporaries, writeFileAtomic } from '../files.js';
import { isReport, REPORT_FORMAT, summarize, type BatchReport, type FileRecord } from './report.js';
import type { Shard } from './shard.js';

/** How often a running batch rewrites its report. */
export const REPORT_INTERVAL_MS = 2000;

export interface ReportHeader {
  command: string;
  shard?: Shard;
  /** Inputs in the run. */
  total: number;
}

export interface ReportFile {
  add(record: FileRecord): void;
  /** Writes the final report (`stopped`: why the run ended early) and returns it. */
  finish(stopped?: string): Promise<BatchReport>;
}

/**
 * The report an earlier run left at `file`, if any, for its records. Anything else already there is the
 * user's: it is not replaced without `force`. The temporary of a report being written when a run was killed
 * is removed.
 */
export async function earlierReport(file: string, force: boolean): Promise<BatchReport | undefined> {
  checkCanCreate(file, true);
  await removeStaleTemporaries([file]);
  if (!existsSync(file)) return undefined;
  const text = await readFile(file, 'utf8').catch(() => '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isReport(parsed)) return parsed;
  if (force) return undefined;
  throw new JamError(
    `--report ${file}: the file exists and is not a jam report; use --force to replace it, or choose another name`,
  );
}

/** Keeps the report of a run: in memory always, and in `file` (rewritten as the run goes) when one is given. */
export function reportFile(file: string | undefined, header: ReportHeader): ReportFile {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const records: FileRecord[] = [];
  const snapshot = (stopped?: string): BatchReport => ({
    format: REPORT_FORMAT,
    command: header.command,
    ...(header.shard ? { shards: [header.shard] } : {}),
    complete: stopped === undefined && records.length === header.total,
    ...(stopped !== undefined ? { stopped } : {}),
    startedAt,
    updatedAt: new Date().toISOString(),
    files: records,
    summary: summarize(records, header.total, (performance.now() - started) / 1000),
  });
  let writing: Promise<void> = Promise.resolve();
  let changed = true;
  const save = (stopped?: string): Promise<void> => {
    changed = false;
    const report = snapshot(stopped);
    if (file !== undefined)
      writing = writing
        .catch(() => undefined)
        .then(() => writeFileAtomic(file, `${JSON.stringify(report, null, 1)}\n`, { overwrite: true }));
    return writing;
  };
  const timer =
    file === undefined
      ? undefined
      : setInterval(() => {
          // A failed interim write is not fatal: the final one reports any lasting problem.
          if (changed) save().catch(() => undefined);
        }, REPORT_INTERVAL_MS);
  timer?.unref();
  if (file !== undefined) save().catch(() => undefined);
  return {
    add(record) {
      records.push(record);
      changed = true;
    },
    async finish(stopped) {
      clearInterval(timer);
      const report = snapshot(stopped);
      await save(stopped);
      return report;
    },
  };
}
