/**
 * The --record file: whole from the start, rewritten as notes end, finished on close with every sounding note
 * ended; bends heard during a note are kept in it. Read back with jam's MIDI reader.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bendsPerFrame, NoteCollector } from '../../src/live/noteCollector.js';
import { recordSink } from '../../src/live/recordSink.js';
import { midiFromBytes, midiNotes } from '../../src/midi/read.js';

let folder: string;
beforeEach(() => void (folder = mkdtempSync(join(tmpdir(), 'jam-record-'))));
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const notesIn = (file: string) =>
  midiNotes(readFileSync(file), file).map((note) => ({ ...note, start: round(note.start), end: round(note.end) }));
const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

describe('recordSink', () => {
  it('is a whole, empty MIDI file from the moment it opens', async () => {
    const file = join(folder, 'take.mid');
    const sink = await recordSink(file);
    expect(notesIn(file)).toEqual([]);
    await sink.close();
  });

  it('rewrites the file soon after a note ends, before the take is over', async () => {
    const file = join(folder, 'take.mid');
    const sink = await recordSink(file, { rewriteMs: 1 });
    sink.write({ type: 'on', time: 0.5, pitch: 64, velocity: 90 });
    sink.write({ type: 'off', time: 1, pitch: 64, velocity: 0 });
    sink.write({ type: 'on', time: 1.25, pitch: 67, velocity: 70 });
    await expect.poll(() => notesIn(file)).toEqual([{ pitch: 64, start: 0.5, end: 1, velocity: 90 }]);
    await sink.close();
  });

  it('on close ends the notes still sounding at the last event and writes them with the program', async () => {
    const file = join(folder, 'take.mid');
    const sink = await recordSink(file, { program: 33 });
    sink.write({ type: 'on', time: 0, pitch: 40, velocity: 100 });
    sink.write({ type: 'on', time: 0.25, pitch: 47, velocity: 80 });
    sink.write({ type: 'off', time: 0.75, pitch: 47, velocity: 0 });
    await sink.close();
    expect(notesIn(file)).toEqual([
      { pitch: 40, start: 0, end: 0.75, velocity: 100 },
      { pitch: 47, start: 0.25, end: 0.75, velocity: 80 },
    ]);
    expect(midiFromBytes(readFileSync(file), file).tracks[0].instrument.number).toBe(33);
  });

  it('keeps the bends of a note sounding alone as pitch-bend events', async () => {
    const file = join(folder, 'take.mid');
    const sink = await recordSink(file);
    sink.write({ type: 'on', time: 0, pitch: 60, velocity: 100 });
    sink.write({ type: 'bend', time: 0.2, pitch: 60, value: 1 });
    sink.write({ type: 'off', time: 0.5, pitch: 60, velocity: 0 });
    await sink.close();
    const bends = midiFromBytes(readFileSync(file), file).tracks[0].pitchBends;
    expect(bends.some((bend) => bend.value > 0.4 && Math.abs(bend.time - 0.2) < 0.02)).toBe(true);
    expect(bends.at(-1)?.value).toBe(0);
  });
});

describe('NoteCollector', () => {
  it('pairs each note-off with the earliest sounding note of its pitch and ignores strays', () => {
    const collector = new NoteCollector();
    collector.add({ type: 'off', time: 0, pitch: 50, velocity: 0 });
    collector.add({ type: 'on', time: 0, pitch: 60, velocity: 10 });
    collector.add({ type: 'on', time: 1, pitch: 60, velocity: 20 });
    expect(collector.add({ type: 'off', time: 2, pitch: 60, velocity: 0 })).toEqual({
      pitch: 60,
      start: 0,
      end: 2,
      velocity: 10,
    });
    collector.finish(3);
    expect(collector.notes.map((note) => [note.start, note.end])).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });

  it('spreads bends over the note one per model frame, each holding until the next', () => {
    const frame = 256 / 22050;
    const bends = bendsPerFrame(
      [
        { time: 2 * frame, value: 0.5 },
        { time: 4 * frame, value: -0.25 },
      ],
      0,
      6 * frame,
    );
    expect(bends).toEqual([0, 0, 0.5, 0.5, -0.25, -0.25]);
  });
});

describe('recordSink into a special file', () => {
  it.runIf(process.platform === 'linux')(
    'live --record into a FIFO: the take arrives once, whole, at close; the FIFO stays a FIFO',
    async () => {
      const folder = mkdtempSync(join(tmpdir(), 'jam-record-fifo-'));
      try {
        const fifo = join(folder, 'take.mid');
        execFileSync('mkfifo', [fifo]);
        const reader = new Promise<Buffer>((resolve) => {
          const chunks: Buffer[] = [];
          createReadStream(fifo)
            .on('data', (chunk) => chunks.push(chunk as Buffer))
            .on('end', () => resolve(Buffer.concat(chunks)));
        });
        const sink = await recordSink(fifo, { rewriteMs: 1 });
        sink.write({ type: 'on', time: 0, pitch: 60, velocity: 100 });
        sink.write({ type: 'off', time: 0.5, pitch: 60, velocity: 0 });
        await new Promise((resolve) => setTimeout(resolve, 20));
        await sink.close();
        const bytes = await reader;
        expect(midiNotes(bytes, 'take.mid').map((note) => note.pitch)).toEqual([60]);
        expect(bytes.indexOf('MThd', 4)).toBe(-1);
        expect(lstatSync(fifo).isFIFO()).toBe(true);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  );
});
