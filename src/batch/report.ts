/**
 * What a batch did, file by file, and in sum: the record of each input (status, outputs, audio length,
 * notes, timings, the error of a failure), the summary, the report file that holds both, and the merge of
 * the reports of several shards into one.
 */
import { excerpt, JamError } from '../errors.js';
import type { Shard } from './shard.js';
import { round } from '../numbers.js';

export type FileStatus = 'done' | 'skipped' | 'failed';

export interface FileRecord {
  input: string;
  status: FileStatus;
  /** The files written (or found, when skipped), by kind: midi, noteEvents, lab, analysis… */
  outputs: Record<string, string>;
  /** Seconds of audio (or music, for MIDI) in the input. */
  duration?: number;
  /** Notes transcribed or analysed. */
  noteCount?: number;
  /** The key found, when the input was analysed. */
  key?: string | null;
  /** Wall-clock seconds spent on this input. */
  seconds: number;
  /** Seconds per step (transcribe, analyze, write), to see where the time goes. */
  timings?: Record<string, number>;
  /** Why it failed; for a skipped input, why it was skipped when that was not its outputs found at the start. */
  error?: string;
}

export interface Summary {
  /** Inputs in this run (in this shard, with --shard). */
  files: number;
  done: number;
  skipped: number;
  failed: number;
  /** Inputs never started: the run was stopped (Ctrl-C, --fail-fast) before them. */
  notRun: number;
  /** Seconds of audio in the files done. */
  audioSeconds: number;
  /** Seconds from start to end of the run (the longest shard's, in a merged report). */
  wallSeconds: number;
  /** Files done per minute of wall time. */
  filesPerMinute: number;
}

export interface BatchReport {
  /** Marks a file as a jam batch report, so a later run may replace it and `jam report merge` can read it. */
  format: typeof REPORT_FORMAT;
  command: string;
  /** The shards this report covers: one, or several after a merge; absent when the run was not sharded. */
  shards?: Shard[];
  /** True once every input was tried: false while the run goes on, or when it was stopped or killed. */
  complete: boolean;
  /** Why the run stopped early: the signal's name, or "fail-fast". */
  stopped?: string;
  startedAt: string;
  updatedAt: string;
  files: FileRecord[];
  summary: Summary;
}

export const REPORT_FORMAT = 'jam-batch-report/1';

export function summarize(files: FileRecord[], total: number, wallSeconds: number): Summary {
  const count = (status: FileStatus): number => files.filter((file) => file.status === status).length;
  const done = count('done');
  return {
    files: total,
    done,
    skipped: count('skipped'),
    failed: count('failed'),
    notRun: total - files.length,
    audioSeconds: round(
      files.filter((file) => file.status === 'done').reduce((sum, file) => sum + (file.duration ?? 0), 0),
      3,
    ),
    wallSeconds: round(wallSeconds, 3),
    filesPerMinute: wallSeconds > 0 ? round((done * 60) / wallSeconds, 3) : 0,
  };
}

/** A report file's contents, checked to be one jam wrote; `name` is for the message. */
export function parseReport(text: string, name: string): BatchReport {
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new JamError(`${name}: not JSON, so not a jam batch report; give a file written by --report`);
  }
  if (!isReport(report))
    throw new JamError(
      `${name}: not a jam batch report (no "format": "${REPORT_FORMAT}"); give a file written by --report`,
    );
  const problem = reportProblem(report);
  if (problem !== undefined)
    throw new JamError(
      `${name}: a damaged jam batch report (${problem}); give a file written by --report, or run again`,
    );
  return report;
}

const STATUSES: readonly string[] = ['done', 'skipped', 'failed'];

const isCount = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;
const isSeconds = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What is wrong with a report's entries or summary, in a few words; undefined when it is as jam writes it. */
export function reportProblem(report: BatchReport): string | undefined {
  if (typeof report.command !== 'string') return '"command" is not a string';
  if (typeof report.complete !== 'boolean') return '"complete" is not true or false';
  if (typeof report.startedAt !== 'string' || typeof report.updatedAt !== 'string')
    return '"startedAt" or "updatedAt" is not a time';
  for (const [index, file] of (report.files as unknown[]).entries()) {
    const at = `entry ${index + 1}`;
    if (!isObject(file)) return `${at} is not an object`;
    if (typeof file.input !== 'string' || file.input === '') return `${at} has no "input" file name`;
    if (typeof file.status !== 'string' || !STATUSES.includes(file.status))
      return `${at} has status ${excerpt(String(file.status))}, not ${STATUSES.join(', ')}`;
    if (!isObject(file.outputs) || !Object.values(file.outputs).every((output) => typeof output === 'string'))
      return `${at} has no "outputs" of file names`;
    if (!isSeconds(file.seconds)) return `${at} has no "seconds"`;
    if (file.duration !== undefined && !isSeconds(file.duration)) return `${at} has a "duration" that is not seconds`;
    if (file.noteCount !== undefined && !isCount(file.noteCount)) return `${at} has a "noteCount" that is not a count`;
    if (file.error !== undefined && typeof file.error !== 'string') return `${at} has an "error" that is not text`;
  }
  const summary: unknown = report.summary;
  if (!isObject(summary)) return 'no "summary"';
  if (!isCount(summary.notRun) || !isSeconds(summary.wallSeconds))
    return 'its summary has no "notRun" count or "wallSeconds"';
  if (report.shards !== undefined) {
    if (!Array.isArray(report.shards)) return '"shards" is not a list';
    for (const shard of report.shards as unknown[])
      if (!isObject(shard) || !isCount(shard.index) || !isCount(shard.count) || (shard.index as number) < 1)
        return 'a shard is not an index and a count';
  }
  return undefined;
}

export function isReport(value: unknown): value is BatchReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as BatchReport).format === REPORT_FORMAT &&
    Array.isArray((value as BatchReport).files)
  );
}

/**
 * The reports of a sharded run as one: every file once (the same input in two reports keeps its best
 * outcome, done over skipped over failed), the shards listed, complete only if every part was, and the wall
 * time of the slowest part, since the shards ran side by side.
 */
export function mergeReports(reports: BatchReport[]): BatchReport {
  if (reports.length === 0) throw new JamError('give at least one report to merge');
  const commands = [...new Set(reports.map((report) => report.command))];
  if (commands.length > 1)
    throw new JamError(
      `the reports come from different commands (${commands.join(', ')}); merge each command's reports on their own`,
    );
  const byInput = new Map<string, FileRecord>();
  for (const file of reports.flatMap((report) => report.files)) {
    const kept = byInput.get(file.input);
    if (!kept || STATUS_RANK[file.status] < STATUS_RANK[kept.status]) byInput.set(file.input, file);
  }
  const files = [...byInput.values()].sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : 0));
  const shards = reports.flatMap((report) => report.shards ?? []).sort((a, b) => a.index - b.index);
  const notRun = reports.reduce((sum, report) => sum + report.summary.notRun, 0);
  const wallSeconds = Math.max(...reports.map((report) => report.summary.wallSeconds));
  return {
    format: REPORT_FORMAT,
    command: commands[0],
    ...(shards.length > 0 ? { shards } : {}),
    complete: reports.every((report) => report.complete) && shardsAreWhole(shards),
    startedAt: reports.map((report) => report.startedAt).sort()[0],
    updatedAt: reports
      .map((report) => report.updatedAt)
      .sort()
      .at(-1)!,
    files,
    summary: summarize(files, files.length + notRun, wallSeconds),
  };
}

const STATUS_RANK: Record<FileStatus, number> = { done: 0, skipped: 1, failed: 2 };

/** No shards (an unsharded run), or each of 1..N exactly once. */
function shardsAreWhole(shards: Shard[]): boolean {
  if (shards.length === 0) return true;
  const count = shards[0].count;
  return shards.length === count && shards.every((shard, i) => shard.count === count && shard.index === i + 1);
}
