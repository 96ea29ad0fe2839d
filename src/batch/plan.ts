/**
 * Where each input's outputs go, before any work: beside the input, or under the output folder along the
 * input's relative path (so `takes/day1/a.wav` → `midi/day1/a.mid`). Two inputs that would write the same
 * file (`a.wav` and `a.mp3` side by side both want `a.mid`) both fail with a message naming the other,
 * rather than one silently replacing the other's result; the rest of the batch goes on. The check runs on
 * the whole batch before sharding, so every shard agrees on it.
 */
import path from 'node:path';
import type { BatchInput } from './inputs.js';
import type { BatchItem } from './run.js';
import { inShard, type Shard } from './shard.js';

/** The folder an input's outputs go to: its own, or its relative path's folder under `outDir`. */
export function outputFolder(input: BatchInput, outDir: string | undefined): string {
  if (outDir === undefined) return input.path === '-' ? '.' : path.dirname(input.path);
  return path.join(outDir, path.posix.dirname(input.relative));
}

/** Items for the inputs, with `outputsOf` naming each one's files (standard output, `-`, is not a file). */
export function planBatch(
  inputs: BatchInput[],
  outputsOf: (input: BatchInput) => Record<string, string | undefined>,
): BatchItem[] {
  const items = inputs.map((input): BatchItem => ({
    input: input.path,
    outputs: Object.fromEntries(
      Object.entries(outputsOf(input)).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '-',
      ),
    ),
  }));
  const writer = new Map<string, BatchItem>();
  for (const item of items) {
    for (const file of Object.values(item.outputs)) {
      const key = path.resolve(file);
      const other = writer.get(key);
      if (other && other !== item) {
        other.problem ??= clash(other.input, item.input, file);
        item.problem ??= clash(item.input, other.input, file);
      } else writer.set(key, item);
    }
  }
  return items;
}

function clash(input: string, other: string, file: string): string {
  return `${input}: ${other} would write ${file} too; rename one of them, or move it to another folder`;
}

/** The items of one shard (all of them without --shard), chosen by their inputs' relative paths. */
export function shardItems(items: BatchItem[], inputs: BatchInput[], shard: Shard | undefined): BatchItem[] {
  return items.filter((_, i) => inShard(inputs[i].relative, shard));
}
