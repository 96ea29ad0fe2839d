import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBatch, type BatchItem, type Work, type WorkContext } from '../../src/batch/run.js';
import { writeFileAtomic } from '../../src/files.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'jam-run-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const item = (name: string): BatchItem => ({ input: `${name}.wav`, outputs: { midi: join(folder, `${name}.mid`) } });
const items = (count: number): BatchItem[] => Array.from({ length: count }, (_, i) => item(`take-${i}`));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const options = { jobs: 1, skipExisting: false, force: false, failFast: false };

/** Real work on real files: waits `ms(input)` (so inputs finish out of order), then writes the planned MIDI file atomically. */
function writer(
  ms: (input: string) => number = () => 5,
  fails: string[] = [],
): Work & { running: number; most: number; started: string[]; contexts: WorkContext[] } {
  const work = Object.assign(
    async (batchItem: BatchItem, context: WorkContext) => {
      work.started.push(batchItem.input);
      work.contexts.push(context);
      work.running++;
      work.most = Math.max(work.most, work.running);
      try {
        await pause(ms(batchItem.input));
        if (fails.includes(batchItem.input)) throw new Error(`${batchItem.input}: broken`);
        await writeFileAtomic(batchItem.outputs.midi, 'MThd', {
          overwrite: context.mayReplace(batchItem.outputs.midi),
        });
        return { outputs: batchItem.outputs, duration: 60, noteCount: 3 };
      } finally {
        work.running--;
      }
    },
    { running: 0, most: 0, started: [] as string[], contexts: [] as WorkContext[] },
  );
  return work;
}

describe('runBatch', () => {
  it('works on `jobs` inputs at once, never more', async () => {
    const work = writer(() => 20);
    const { records } = await runBatch(items(7), work, { ...options, jobs: 3 });
    expect(work.most).toBe(3);
    expect(records.map((record) => record.status)).toEqual(Array(7).fill('done'));
  });

  it('tells the work when no input will start after its own', async () => {
    const work = writer();
    await runBatch(items(4), work, { ...options, jobs: 2 });
    expect(work.started).toEqual(['take-0.wav', 'take-1.wav', 'take-2.wav', 'take-3.wav']);
    expect(work.contexts.map((context) => context.last)).toEqual([false, false, false, true]);
  });

  it('gives the records in input order though the work finishes out of order', async () => {
    const order: string[] = [];
    const work = writer((input) => (input === 'take-0.wav' ? 60 : 5));
    const { records } = await runBatch(items(4), work, {
      ...options,
      jobs: 2,
      onRecord: (record) => order.push(record.input),
    });
    expect(order).toEqual(['take-0.wav', 'take-1.wav', 'take-2.wav', 'take-3.wav']);
    expect(records.map((record) => record.input)).toEqual(order);
  });

  it('records a failure with its message and goes on with the rest', async () => {
    const errors: unknown[] = [];
    const { records, stopped } = await runBatch(items(3), writer(undefined, ['take-1.wav']), {
      ...options,
      onRecord: (_, error) => errors.push(error),
    });
    expect(records.map((record) => record.status)).toEqual(['done', 'failed', 'done']);
    expect(records[1].error).toBe('take-1.wav: broken');
    expect(errors[1]).toBeInstanceOf(Error);
    expect(stopped).toBeUndefined();
  });

  it('with failFast starts nothing after the first failure', async () => {
    const work = writer(undefined, ['take-1.wav']);
    const { records, stopped } = await runBatch(items(5), work, { ...options, failFast: true });
    expect(work.started).toEqual(['take-0.wav', 'take-1.wav']);
    expect(records).toHaveLength(2);
    expect(stopped).toBe('fail-fast');
  });

  it('skips inputs whose outputs all exist, and redoes one whose outputs exist only in part, allowed to replace them', async () => {
    const both = (name: string): BatchItem => ({
      input: `${name}.wav`,
      outputs: { midi: join(folder, `${name}.mid`), lab: join(folder, `${name}.lab`) },
    });
    writeFileSync(join(folder, 'old.mid'), 'x');
    writeFileSync(join(folder, 'old.lab'), 'x');
    writeFileSync(join(folder, 'half.mid'), 'x');
    const work = writer();
    const earlier = new Map([
      ['old.wav', { input: 'old.wav', status: 'done' as const, outputs: {}, duration: 42, noteCount: 7, seconds: 1 }],
    ]);
    const { records } = await runBatch([both('old'), both('half'), both('new')], work, {
      ...options,
      skipExisting: true,
      earlier,
    });
    expect(records.map((record) => record.status)).toEqual(['skipped', 'done', 'done']);
    expect(records[0]).toMatchObject({ duration: 42, noteCount: 7, seconds: 0 });
    expect(work.started).toEqual(['half.wav', 'new.wav']);
    expect(work.contexts.every((context) => context.mayReplace(join(folder, 'half.mid')))).toBe(true);
    expect(work.contexts.every((context) => !context.mayReplace(join(folder, 'new.mid')))).toBe(true);
  });

  it('skips, never replaces, an output that appeared after planning (another batch into the same folder)', async () => {
    const late = item('late');
    const work: Work = async (batchItem, context) => {
      // Another run writes the file between this batch's planning and its write.
      writeFileSync(batchItem.outputs.midi, 'theirs');
      await writeFileAtomic(batchItem.outputs.midi, 'ours', { overwrite: context.mayReplace(batchItem.outputs.midi) });
      return { outputs: batchItem.outputs };
    };
    const { records } = await runBatch([late], work, { ...options, skipExisting: true });
    expect(records[0].status).toBe('skipped');
    expect(records[0].error).toMatch(/late\.mid already exists/);
    expect(readFileSync(late.outputs.midi, 'utf8')).toBe('theirs');
    expect(readdirSync(folder)).toEqual(['late.mid']);
  });

  it('two batches into one folder at once write each file once: the other skips it', async () => {
    const shared = items(6);
    const writes: string[] = [];
    const work =
      (who: string): Work =>
      async (batchItem, context) => {
        await pause(1);
        await writeFileAtomic(batchItem.outputs.midi, who, { overwrite: context.mayReplace(batchItem.outputs.midi) });
        writes.push(`${who}:${batchItem.input}`);
        return { outputs: batchItem.outputs };
      };
    const [a, b] = await Promise.all([
      runBatch(shared, work('a'), { ...options, skipExisting: true }),
      runBatch(shared, work('b'), { ...options, skipExisting: true }),
    ]);
    expect(writes).toHaveLength(6);
    for (let i = 0; i < 6; i++) expect([a.records[i].status, b.records[i].status].sort()).toEqual(['done', 'skipped']);
  });

  it('without skipExisting or force, the work may not replace outputs', async () => {
    const work = writer();
    await runBatch(items(1), work, options);
    expect(work.contexts[0].overwrite).toBe(false);
  });

  it('when stopped, finishes the inputs in flight and starts no more', async () => {
    const stop = new AbortController();
    const work = writer(() => 30);
    const running = runBatch(items(6), work, { ...options, jobs: 2, signal: stop.signal });
    // Stopped once both jobs have an input in hand, however long the batch took to get there.
    while (work.started.length < 2) await pause(1);
    stop.abort('SIGINT');
    const { records, stopped } = await running;
    expect(stopped).toBe('SIGINT');
    expect(records.map((record) => record.status)).toEqual(['done', 'done']);
    expect(records.every((record) => existsSync(record.outputs.midi))).toBe(true);
  });

  it('a stopped batch still records the inputs it skipped after the first one it never started', async () => {
    writeFileSync(join(folder, 'take-3.mid'), 'x');
    const order: string[] = [];
    const { records } = await runBatch(items(4), writer(undefined, ['take-0.wav']), {
      ...options,
      skipExisting: true,
      failFast: true,
      onRecord: (record) => order.push(`${record.input} ${record.status}`),
    });
    expect(order).toEqual(['take-0.wav failed', 'take-3.wav skipped']);
    expect(records).toHaveLength(2);
  });

  it('an input with a problem known in advance fails without being worked on', async () => {
    const work = writer();
    const { records } = await runBatch(
      [{ ...item('a'), problem: 'a.wav: b.wav would write a.mid too' }],
      work,
      options,
    );
    expect(records[0]).toMatchObject({ status: 'failed', error: 'a.wav: b.wav would write a.mid too' });
    expect(work.started).toEqual([]);
  });

  it('removes the temporaries a killed run left beside the outputs, and only those', async () => {
    writeFileSync(join(folder, '.take-0.mid.0123abcd.partial'), 'half a file');
    writeFileSync(join(folder, '.other.mid.0123abcd.partial'), 'not ours');
    await runBatch(items(1), writer(), options);
    expect(readdirSync(folder).sort()).toEqual(['.other.mid.0123abcd.partial', 'take-0.mid']);
  });

  it('reports progress through the work to do, leaving out skipped inputs', async () => {
    writeFileSync(join(folder, 'take-0.mid'), 'x');
    const seen: number[] = [];
    await runBatch(items(3), writer(), {
      ...options,
      skipExisting: true,
      onProgress: (counts) => seen.push(counts.fraction),
    });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect(seen).toContain(0.5);
  });
});
