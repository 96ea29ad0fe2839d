/** Durations as people write them on a command line: 90s, 45m, 12h, 7d. */
import { usageError } from '../errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_MS = 366 * UNIT_MS.d;

/** Milliseconds, or a usage error naming the option. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]] : NaN;
  if (!(ms > 0) || ms > MAX_MS)
    throw usageError(`${option} ${text}: give a duration such as 90m, 12h or 7d (at most a year)`);
  return ms;
}
