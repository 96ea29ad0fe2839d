import { describe, expect, it } from 'vitest';
import {
  mergeReports,
  parseReport,
  REPORT_FORMAT,
  summarize,
  type BatchReport,
  type FileRecord,
} from '../../src/batch/report.js';
import { JamError } from '../../src/errors.js';

const done = (input: string, duration = 60): FileRecord => ({
  input,
  status: 'done',
  outputs: { midi: input.replace('.wav', '.mid') },
  duration,
  noteCount: 10,
  seconds: 2,
});
const failed = (input: string): FileRecord => ({
  input,
  status: 'failed',
  outputs: {},
  seconds: 0.1,
  error: `${input}: not an audio file`,
});
const skipped = (input: string): FileRecord => ({
  input,
  status: 'skipped',
  outputs: { midi: input.replace('.wav', '.mid') },
  seconds: 0,
});

function report(
  files: FileRecord[],
  shard?: { index: number; count: number },
  complete = true,
  notRun = 0,
): BatchReport {
  return {
    format: REPORT_FORMAT,
    command: 'transcribe',
    ...(shard ? { shards: [shard] } : {}),
    complete,
    startedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:01:00.000Z',
    files,
    summary: summarize(files, files.length + notRun, 60),
  };
}

describe('summarize', () => {
  it('counts each status, the inputs never started, the audio done and the rate', () => {
    const summary = summarize([done('a.wav', 30), done('b.wav', 90), failed('c.wav'), skipped('d.wav')], 6, 30);
    expect(summary).toEqual({
      files: 6,
      done: 2,
      skipped: 1,
      failed: 1,
      notRun: 2,
      audioSeconds: 120,
      wallSeconds: 30,
      filesPerMinute: 4,
    });
  });
});

describe('mergeReports', () => {
  it("joins the shards: every file once, complete when every shard 1..N is there, the slowest shard's wall time", () => {
    const one = report([done('a.wav'), failed('c.wav')], { index: 1, count: 2 });
    const two = {
      ...report([done('b.wav')], { index: 2, count: 2 }),
      summary: { ...summarize([done('b.wav')], 1, 95) },
    };
    const merged = mergeReports([two, one]);
    expect(merged.files.map((file) => file.input)).toEqual(['a.wav', 'b.wav', 'c.wav']);
    expect(merged.shards).toEqual([
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
    expect(merged.complete).toBe(true);
    expect(merged.summary).toMatchObject({ files: 3, done: 2, failed: 1, notRun: 0, wallSeconds: 95 });
  });

  it('is not complete when a shard is missing or one stopped early', () => {
    expect(
      mergeReports([report([done('a.wav')], { index: 1, count: 3 }), report([done('b.wav')], { index: 3, count: 3 })])
        .complete,
    ).toBe(false);
    const stopped = mergeReports([
      report([done('a.wav')], { index: 1, count: 2 }, false, 4),
      report([done('b.wav')], { index: 2, count: 2 }),
    ]);
    expect(stopped.complete).toBe(false);
    expect(stopped.summary.notRun).toBe(4);
  });

  it('keeps the best outcome of an input found twice: done over skipped over failed', () => {
    const merged = mergeReports([report([failed('a.wav'), skipped('b.wav')]), report([done('a.wav'), done('b.wav')])]);
    expect(merged.files.map((file) => file.status)).toEqual(['done', 'done']);
  });

  it('refuses reports of different commands', () => {
    expect(() => mergeReports([report([]), { ...report([]), command: 'analyze' }])).toThrow(/different commands/);
  });
});

describe('parseReport', () => {
  it('reads back a report', () => {
    const text = JSON.stringify(report([done('a.wav')]));
    expect(parseReport(text, 'r.json').files).toHaveLength(1);
  });

  it.each([
    ['not JSON', '{'],
    ['other JSON', '{"files": []}'],
  ])('refuses %s, naming the file', (_, text) => {
    expect(() => parseReport(text, 'r.json')).toThrow(JamError);
    expect(() => parseReport(text, 'r.json')).toThrow(/^r\.json: .*written by --report/);
  });
});

describe('report merge validates entries', () => {
  const valid = (files: unknown[]): string =>
    JSON.stringify({
      format: REPORT_FORMAT,
      command: 'transcribe',
      complete: true,
      startedAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:01:00.000Z',
      files,
      summary: {
        files: files.length,
        done: 0,
        skipped: 0,
        failed: 0,
        notRun: 0,
        audioSeconds: 0,
        wallSeconds: 1,
        filesPerMinute: 0,
      },
    });

  it('refuses an entry with no input or an unknown status, in one line naming the entry', () => {
    expect(() => parseReport(valid([{ input: null, status: 'weird', outputs: {}, seconds: 0 }]), 'r.json')).toThrow(
      /r\.json: a damaged jam batch report \(entry 1 has no "input" file name\)/,
    );
    expect(() => parseReport(valid([{ input: 'a.wav', status: 'weird', outputs: {}, seconds: 0 }]), 'r.json')).toThrow(
      /entry 1 has status "weird", not done, skipped, failed/,
    );
    expect(() => parseReport(valid([{ input: 'a.wav', status: 'done', seconds: 0 }]), 'r.json')).toThrow(
      /no "outputs"/,
    );
  });

  it('merged summary counts add up: done + skipped + failed + not run = files', () => {
    const report = parseReport(
      valid([done('a.wav'), failed('b.wav'), { input: 'c.wav', status: 'skipped', outputs: {}, seconds: 0 }]),
      'r.json',
    );
    const { summary } = mergeReports([report, report]);
    expect(summary.done + summary.skipped + summary.failed + summary.notRun).toBe(summary.files);
    expect(summary).toMatchObject({ files: 3, done: 1, skipped: 1, failed: 1 });
  });
});
