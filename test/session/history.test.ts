import { describe, expect, it } from 'vitest';
import { HistoryRing, Room, sanitizeName, TokenBucket } from '../../src/session/index.js';

const entry = (offset: number, size = 10) => ({ offset, from: 'p', data: Buffer.alloc(size) });

describe('the history ring', () => {
  it('keeps consecutive offsets and forgets the oldest past its count', () => {
    const ring = new HistoryRing(100, 1e9);
    for (let offset = 1; offset <= 250; offset++) ring.push(entry(offset));
    expect(ring.length).toBe(100);
    expect(ring.oldest).toBe(151);
    expect(ring.at(150)).toBeUndefined();
    expect(ring.at(151)?.offset).toBe(151);
    expect(ring.at(250)?.offset).toBe(250);
    expect(ring.covers(150, 250)).toBe(true);
    expect(ring.covers(149, 250)).toBe(false);
  });

  it('forgets the oldest past its bytes', () => {
    const ring = new HistoryRing(1000, 1000);
    for (let offset = 1; offset <= 50; offset++) ring.push(entry(offset, 100));
    expect(ring.bytes).toBeLessThanOrEqual(1000);
    expect(ring.length).toBe(10);
    expect(ring.at(41)?.offset).toBe(41);
    for (let offset = 51; offset <= 3000; offset++) ring.push(entry(offset, 1 + (offset % 7)));
    for (let offset = ring.oldest!; offset <= 3000; offset++) expect(ring.at(offset)?.offset).toBe(offset);
  });
});

describe('a room', () => {
  it('relays each sequence number once and keeps the sounding notes', () => {
    const room = new Room('r', { epoch: 5 });
    const keys = room.join({ name: 'Keys', role: 'player' }, () => false);
    expect(room.accept(keys, 1)).toBe(true);
    expect(room.accept(keys, 1)).toBe(false);
    expect(room.accept(keys, 3)).toBe(true);
    expect(room.accept(keys, 2)).toBe(false);
    room.play(keys, { type: 'on', time: 0, pitch: 60, velocity: 90 });
    room.play(keys, { type: 'on', time: 0, pitch: 64, velocity: 80 });
    room.play(keys, { type: 'off', time: 0, pitch: 60, velocity: 0 });
    expect(room.sounding()).toEqual([{ from: 'keys', notes: [{ pitch: 64, velocity: 80 }] }]);
    room.leave(keys);
    expect(room.sounding()).toEqual([]);
  });

  it('gives a second person of the same name their own id, and a returning one their old record', () => {
    const room = new Room('r');
    const first = room.join({ name: 'Sam', role: 'player' }, () => false);
    first.lastSeq = 12;
    const other = room.join({ name: 'Sam', role: 'player' }, (id) => id === 'sam');
    expect(other.id).toBe('sam-2');
    room.leave(first);
    const back = room.join({ name: 'Sam', role: 'player' }, (id) => id === 'sam-2');
    expect(back).toBe(first);
    expect(back.lastSeq).toBe(12);
  });
});

describe('limits', () => {
  it('a token bucket allows its burst, then its rate', () => {
    const bucket = new TokenBucket(10, 5, 0);
    expect(Array.from({ length: 6 }, () => bucket.take(0))).toEqual([true, true, true, true, true, false]);
    expect(bucket.take(99)).toBe(false);
    expect(bucket.take(100)).toBe(true);
  });

  it('names are cleaned of control and formatting characters, and kept short', () => {
    expect(sanitizeName('  Zoë\u200b  the\tdrummer ', 'player')).toBe('Zoë the drummer');
    expect(sanitizeName('\u0000\u0007', 'player')).toBe('player');
    expect([...sanitizeName('x'.repeat(100), 'p')]).toHaveLength(32);
  });
});
