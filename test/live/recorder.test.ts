/** Recording a MIDI input (a stand-in with RtMidi Input's events) into a file that is whole when the recording stops. */
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { midiFromBytes, midiNotes } from '../../src/midi/read.js';
import { recordPort } from '../../src/live/recorder.js';
import { manualClock } from '../helpers/clock.js';

it('writes the notes and bends played on an input port, timed from the start, and stops listening when stopped', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'jam-recorder-'));
  try {
    const file = join(folder, 'take.mid');
    const input = new EventEmitter();
    const clock = manualClock();
    const start = clock.now();
    const controller = new AbortController();
    const recording = recordPort(input, file, { clock, signal: controller.signal, bendRange: 2 });
    const play = async (at: number, message: number[]) => {
      await clock.sleepUntil(start + at * 1000);
      input.emit('message', 0, message);
    };
    await play(0.5, [0x90, 60, 100]);
    await play(0.75, [0xe0, 0, 96]); // half way up: +1 semitone
    await play(1, [0x80, 60, 64]);
    await play(1.5, [0x92, 64, 70]); // still sounding when the recording stops
    await play(2, [0xb0, 7, 100]); // a controller: not a note
    controller.abort();
    const notes = await recording;
    input.emit('message', 0, [0x90, 67, 100]);
    expect(input.listenerCount('message')).toBe(0);
    expect(notes.map(({ pitch, start, end, velocity }) => ({ pitch, start, end, velocity }))).toEqual([
      { pitch: 60, start: 0.5, end: 1, velocity: 100 },
      { pitch: 64, start: 1.5, end: 1.5, velocity: 70 },
    ]);
    const written = midiNotes(readFileSync(file), file).map((note) => [note.pitch, note.start, note.end]);
    expect(written).toEqual([
      [60, 0.5, 1],
      [64, 1.5, 1.5],
    ]);
    const bends = midiFromBytes(readFileSync(file), file).tracks[0].pitchBends;
    expect(bends.some((bend) => Math.abs(bend.time - 0.75) < 0.02 && Math.abs(bend.value - 0.5) < 0.01)).toBe(true);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
