/**
 * The MIDI player: drift-free scheduling against absolute targets (thousands of events over minutes, with late
 * timers, checked on an injected clock), the timeline of a MIDI file through its tempo map, and a short real-time
 * play into a stand-in port.
 */
import ToneMidi from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { playTimeline } from '../../src/midi/player.js';
import { midiTimeline, type TimedMessage } from '../../src/midi/timeline.js';
import { parseMessage } from '../../src/midi/messages.js';
import { seededRandom } from '../../src/random.js';
import { manualClock } from '../helpers/clock.js';

const { Midi } = ToneMidi;

/** `count` note-ons and -offs every `step` seconds: a steady stream of events over minutes. */
function steadyTimeline(count: number, step: number): TimedMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    time: i * step,
    message: i % 2 === 0 ? [0x90, 60, 100] : [0x80, 60, 0],
  }));
}

describe('playTimeline', () => {
  it('sends every message at its absolute target however late the timers fire: no drift over five minutes', async () => {
    const random = seededRandom(7);
    const MAX_LATENESS_MS = 8;
    const clock = manualClock(() => random() * MAX_LATENESS_MS);
    const timeline = steadyTimeline(6000, 0.05); // 300 s
    const sentAt: number[] = [];
    const start = clock.now();
    await playTimeline(timeline, () => sentAt.push(clock.now() - start), { clock });
    const lateness = timeline.map((event, i) => sentAt[i] - event.time * 1000);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
    // Each message is late by at most one timer's lateness: delays never add up.
    expect(Math.max(...lateness)).toBeLessThanOrEqual(MAX_LATENESS_MS);
    const lastQuarter = lateness.slice(-1500);
    expect(lastQuarter.reduce((a, b) => a + b, 0) / lastQuarter.length).toBeLessThan(MAX_LATENESS_MS);
  });

  it('sends messages that fall due together in one wake-up, in timeline order', async () => {
    const clock = manualClock();
    const timeline: TimedMessage[] = [
      { time: 0, message: [0xc0, 4] },
      { time: 1, message: [0x80, 60, 0] },
      { time: 1, message: [0x90, 62, 90] },
      { time: 2, message: [0x80, 62, 0] },
    ];
    const sent: number[][] = [];
    await playTimeline(timeline, (message) => sent.push(message), { clock });
    expect(sent.slice(0, 4)).toEqual(timeline.map((event) => event.message));
    expect(clock.sleeps).toBe(3);
  });

  it('stops when aborted, releasing sounding notes and sending All Notes Off on each channel used', async () => {
    const clock = manualClock();
    const controller = new AbortController();
    const timeline: TimedMessage[] = [
      { time: 0, message: [0x90, 60, 100] },
      { time: 0, message: [0x91, 64, 100] },
      { time: 10, message: [0x80, 60, 0] },
    ];
    const sent: number[][] = [];
    const summary = await playTimeline(
      timeline,
      (message) => {
        sent.push(message);
        if (sent.length === 2) controller.abort();
      },
      { clock, signal: controller.signal },
    );
    expect(summary).toEqual({ sent: 2, stopped: true });
    expect(sent.slice(2)).toEqual(
      expect.arrayContaining([
        [0x80, 60, 0],
        [0x81, 64, 0],
        [0xb0, 123, 0],
        [0xb1, 123, 0],
      ]),
    );
    expect(sent).toHaveLength(6);
  });

  it('plays a short MIDI file in real time into a port: every message once, in order, notes released', async () => {
    const midi = new Midi();
    const track = midi.addTrack();
    track.instrument.number = 81;
    track.addCC({ number: 7, value: 100 / 127, time: 0 });
    // @tonejs/midi writes a bend's value as the signed 14-bit number (and reads it back as a fraction of 8192).
    track.addPitchBend({ value: 4096, time: 0.05 });
    for (let i = 0; i < 8; i++) track.addNote({ midi: 60 + i, time: i * 0.02, duration: 0.015, velocity: 0.7 });
    const timeline = midiTimeline(new Midi(midi.toArray()));
    const sent: number[][] = [];
    const summary = await playTimeline(timeline, (message) => sent.push(message));
    expect(summary).toEqual({ sent: timeline.length, stopped: false });
    expect(sent.slice(0, 2)).toEqual([
      [0xc0, 81],
      [0xb0, 7, 100],
    ]);
    expect(sent).toContainEqual([0xe0, 0, 96]);
    const notes = sent.map(parseMessage).filter((message) => message.kind === 'on' || message.kind === 'off');
    expect(notes).toHaveLength(16);
    expect(
      notes.filter((message) => message.kind === 'on').map((message) => 'pitch' in message && message.pitch),
    ).toEqual([60, 61, 62, 63, 64, 65, 66, 67]);
    expect(sent.at(-1)).toEqual([0xb0, 123, 0]);
  });
});

describe('midiTimeline', () => {
  it('times notes through the tempo map, with the program first and note-offs before note-ons at equal times', () => {
    const midi = new Midi();
    midi.header.tempos.push({ ticks: 0, bpm: 120 }, { ticks: midi.header.ppq * 2, bpm: 60 });
    midi.header.update();
    const track = midi.addTrack();
    track.channel = 2;
    track.instrument.number = 33;
    // Four quarter notes: two at 120 BPM (0.5 s each), two at 60 BPM (1 s each).
    for (let beat = 0; beat < 4; beat++)
      track.addNote({ midi: 60, ticks: beat * midi.header.ppq, durationTicks: midi.header.ppq, velocity: 0.8 });
    const reread = new Midi(midi.toArray());
    const timeline = midiTimeline(reread);
    expect(timeline[0]).toEqual({ time: 0, message: [0xc2, 33] });
    const notes = timeline.slice(1).map(({ time, message }) => [Number(time.toFixed(3)), parseMessage(message).kind]);
    expect(notes).toEqual([
      [0, 'on'],
      [0.5, 'off'],
      [0.5, 'on'],
      [1, 'off'],
      [1, 'on'],
      [2, 'off'],
      [2, 'on'],
      [3, 'off'],
    ]);
  });
});
