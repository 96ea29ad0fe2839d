import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../src/batch/shard.js';
import { JamError } from '../../src/errors.js';

const paths = (count: number, prefix = 'takes'): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}/day${i % 7}/take-${i}.wav`);

describe('parseShard', () => {
  it('reads I/N, counting from 1 as a CI matrix does', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard('4/4')).toEqual({ index: 4, count: 4 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });

  it.each(['0/4', '5/4', '1/0', '2', 'a/b', '-1/4', '1.5/4', ''])(
    'refuses %j as a usage error (exit 2) that shows the form',
    (text) => {
      let error: unknown;
      try {
        parseShard(text);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(JamError);
      expect((error as JamError).exitCode).toBe(2);
      expect((error as JamError).message).toMatch(/--shard .*I\/N .*--shard 1\/4/);
    },
  );
});

describe('shardOf', () => {
  it('puts every path in exactly one of the N shards, and every shard gets some', () => {
    const all = paths(400);
    const shards = Array.from({ length: 4 }, (_, i) => all.filter((file) => inShard(file, { index: i + 1, count: 4 })));
    expect(shards.flat().sort()).toEqual([...all].sort());
    for (const shard of shards) expect(shard.length).toBeGreaterThan(50);
  });

  it('depends on the path alone, so adding files to the batch moves none of the others', () => {
    const before = paths(200);
    const placed = before.map((file) => shardOf(file, 5));
    const grown = [...paths(100, 'new'), ...before].sort();
    expect(before.map((file) => shardOf(file, 5))).toEqual(placed);
    expect(grown.filter((file) => !file.startsWith('new')).map((file) => shardOf(file, 5))).toEqual(
      [...before].sort().map((file) => shardOf(file, 5)),
    );
    expect(new Set(grown.map((file) => shardOf(file, 5)))).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('without --shard every path is in', () => {
    expect(inShard('anything.wav', undefined)).toBe(true);
  });
});
