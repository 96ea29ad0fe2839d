/**
 * Splitting a batch across machines: `--shard I/N` (1-based, I from 1 to N, as a CI matrix counts) takes
 * the inputs whose relative path hashes to I. A file's shard depends on its own path alone, so adding or
 * removing files never moves the others to another shard.
 */
import { createHash } from 'node:crypto';
import { usageError } from '../errors.js';

export interface Shard {
  /** 1 to count. */
  index: number;
  count: number;
}

/** More shards than this is surely a typing error. */
const MAX_SHARDS = 10_000;

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw usageError(`--shard ${text}: give I/N with 1 ≤ I ≤ N, e.g. --shard 1/4 … --shard 4/4 for four machines`);
  }
  return { index, count };
}

/** The shard (1 to count) that a relative path belongs to: the first four bytes of its SHA-256, modulo count. */
export function shardOf(relative: string, count: number): number {
  const digest = createHash('sha256').update(relative).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

export function inShard(relative: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(relative, shard.count) === shard.index;
}
