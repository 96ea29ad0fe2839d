import { describe, expect, it } from 'vitest';
import { HeldNotes, MADE_HERE, type SessionEvent } from '../../src/session/index.js';

const on = (from: string, pitch: number, seq: number): SessionEvent => ({
  type: 'on',
  time: seq / 10,
  pitch,
  velocity: 80,
  from,
  seq,
  stamp: seq,
});
const off = (from: string, pitch: number, seq: number): SessionEvent => ({
  type: 'off',
  time: seq / 10,
  pitch,
  velocity: 0,
  from,
  seq,
  stamp: seq,
});

describe('held notes', () => {
  it("end a player's sounding notes, at its latest audio time", () => {
    const held = new HeldNotes();
    [on('a', 60, 1), on('a', 64, 2), off('a', 60, 3), on('b', 40, 1)].forEach((event) => held.track(event));
    expect(held.endingsOf('a', 999)).toEqual([
      { type: 'off', time: 0.3, pitch: 64, velocity: 0, from: 'a', seq: MADE_HERE, stamp: 999 },
    ]);
    expect(held.endingsOf('nobody', 999)).toEqual([]);
  });

  it('bring what sounds in line with a snapshot', () => {
    const held = new HeldNotes();
    [on('a', 60, 1), on('a', 64, 2), on('me', 30, 1)].forEach((event) => held.track(event));
    const events = held.toMatch(
      [
        {
          from: 'a',
          notes: [
            { pitch: 64, velocity: 80 },
            { pitch: 67, velocity: 70 },
          ],
        },
        { from: 'me', notes: [{ pitch: 31, velocity: 1 }] },
      ],
      500,
      'me',
    );
    expect(events.map((event) => `${event.type} ${event.from} ${event.pitch}`)).toEqual([
      'off a 60',
      'off me 30',
      'on a 67',
    ]);
    events.forEach((event) => held.track(event));
    expect(held.isSounding('a', 67)).toBe(true);
    expect(held.isSounding('a', 60)).toBe(false);
  });
});
