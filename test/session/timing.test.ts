import { describe, expect, it } from 'vitest';
import {
  backoff,
  changeTempo,
  ClockSync,
  estimateClock,
  intervalDelay,
  nextBeat,
  PlayoutDelay,
  PlayoutScheduler,
  positionAt,
  syncSample,
  AUTO_START_MS,
  metronome,
} from '../../src/session/index.js';
import { jumpingClock, seeded } from './helpers.js';

describe('clock sync', () => {
  it('finds the offset of one symmetric exchange exactly', () => {
    // Local 1000 → server 5001 (offset 4000, 1 ms each way, 0.5 ms in the server) → local 1002.5
    expect(syncSample(1000, 5001, 5001.5, 1002.5)).toEqual({ offset: 4000, rtt: 2 });
  });

  it('keeps the fastest exchanges, so queueing in one direction does not pull the estimate', () => {
    const random = seeded(1);
    const sync = new ClockSync();
    const offset = -12_345.6;
    for (let i = 0; i < 32; i++) {
      const up = 0.2 + (random() < 0.5 ? random() * 30 : random() * 0.1);
      const down = 0.2 + (random() < 0.3 ? random() * 30 : random() * 0.1);
      const t0 = i * 100;
      sync.add(syncSample(t0, t0 + up + offset, t0 + up + offset + 0.05, t0 + up + 0.05 + down));
    }
    expect(Math.abs(sync.estimate.offset - offset)).toBeLessThan(0.1);
    expect(sync.estimate.jitter).toBeGreaterThan(1);
    expect(sync.localTime(sync.sessionTime(77))).toBeCloseTo(77, 9);
  });

  it('estimates nothing from nothing', () => {
    expect(estimateClock([])).toEqual({ offset: 0, rtt: 0, jitter: 0, samples: 0 });
  });
});

describe('tempo', () => {
  const tempo = { bpm: 120, meter: 4, origin: 1000 };
  it('says which bar and beat it is', () => {
    expect(positionAt(tempo, 1000)).toEqual({ bar: 0, beat: 0, phase: 0 });
    expect(positionAt(tempo, 1000 + 5 * 500 + 250)).toEqual({ bar: 1, beat: 1, phase: 0.5 });
    expect(positionAt(tempo, 500)).toEqual({ bar: -1, beat: 3, phase: 0 });
  });

  it('finds the next click and whether it is a downbeat', () => {
    expect(nextBeat(tempo, 1001)).toEqual({ time: 1500, beat: 1, downbeat: false });
    expect(nextBeat(tempo, 2600)).toEqual({ time: 3000, beat: 4, downbeat: true });
    expect(nextBeat(tempo, 3000)).toEqual({ time: 3000, beat: 4, downbeat: true });
  });

  it('changes tempo without a jump in the beat count', () => {
    const faster = changeTempo(tempo, 3250, 150);
    expect(positionAt(faster, 3250)).toEqual(positionAt(tempo, 3250));
    expect(nextBeat(faster, 3250).time).toBeCloseTo(3250 + 200, 9);
  });

  it('delays interval players by whole bars', () => {
    expect(intervalDelay(tempo, 2)).toBe(4000);
    expect(positionAt(tempo, 1234 + intervalDelay(tempo, 1)).beat).toBe(positionAt(tempo, 1234).beat);
  });
});

describe('playout delay', () => {
  it('covers the 99th percentile of lateness and rises at once', () => {
    const playout = new PlayoutDelay('auto');
    expect(playout.delay).toBe(AUTO_START_MS);
    const random = seeded(2);
    for (let i = 0; i < 500; i++) playout.observe(30 + random() * 10);
    expect(playout.delay).toBeGreaterThanOrEqual(39);
    expect(playout.delay).toBeLessThanOrEqual(43);
  });

  it('comes down only after a calm stretch, and not for small changes', () => {
    const playout = new PlayoutDelay('auto');
    for (let i = 0; i < 600; i++) playout.observe(40);
    const high = playout.delay;
    for (let i = 0; i < 100; i++) playout.observe(1);
    expect(playout.delay).toBe(high);
    for (let i = 0; i < 1000; i++) playout.observe(1);
    expect(playout.delay).toBeLessThan(high);
    const low = playout.delay;
    for (let i = 0; i < 1000; i++) playout.observe(3);
    expect(playout.delay).toBeGreaterThanOrEqual(low);
  });

  it('stays fixed when fixed', () => {
    const playout = new PlayoutDelay(25);
    playout.observe(500);
    expect(playout.delay).toBe(25);
  });
});

describe('the playout scheduler', () => {
  it('plays in time order on the injected clock, late items at once, one sender never reordered', async () => {
    const clock = jumpingClock();
    const played: string[] = [];
    const scheduler = new PlayoutScheduler<string>(clock, (item) => played.push(`${item}@${clock.now()}`));
    scheduler.schedule('a1', 'a', 1100);
    scheduler.schedule('b1', 'b', 1050);
    scheduler.schedule('late', 'c', 900);
    scheduler.schedule('a2', 'a', 1080); // the delay came down: still after a1
    for (let i = 0; i < 20 && scheduler.pending > 0; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(played).toEqual(['late@1000', 'b1@1050', 'a1@1100', 'a2@1100']);
  });

  it('flushes one sender at once, so its note-offs are never stuck behind a delay', () => {
    const clock = jumpingClock();
    const played: string[] = [];
    const scheduler = new PlayoutScheduler<string>(clock, (item) => played.push(item));
    scheduler.schedule('x-on', 'x', 5000);
    scheduler.schedule('y-on', 'y', 5000);
    scheduler.flush('x');
    expect(played).toEqual(['x-on']);
    scheduler.close();
    expect(played).toEqual(['x-on', 'y-on']);
  });
});

describe('reconnect backoff', () => {
  it('doubles with jitter and stays under its cap', () => {
    const random = seeded(3);
    const delays = Array.from({ length: 12 }, (_, attempt) => backoff(attempt, 100, 5000, random));
    delays.forEach((delay, attempt) => {
      const ceiling = Math.min(5000, 100 * 2 ** attempt);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    });
  });
});

describe('the metronome', () => {
  it('clicks on every beat of the shared tempo, downbeats marked, following a tempo change', async () => {
    const clock = jumpingClock(0);
    let tempo = { bpm: 120, meter: 3, origin: 250 };
    const source = { sessionTime: () => clock.now() + 10_000, tempo: () => tempo };
    const clicks: Array<[number, boolean]> = [];
    await metronome(
      source,
      (click) => {
        clicks.push([click.time, click.downbeat]);
        if (clicks.length === 4) tempo = changeTempo(tempo, click.time, 60);
      },
      { clock, clicks: 6 },
    );
    expect(clicks).toEqual([
      [10_250, false], // beat 20 of a 3/4 bar
      [10_750, true],
      [11_250, false],
      [11_750, false], // beat 23: from here, 60 bpm
      [12_750, true],
      [13_750, false],
    ]);
  });
});
