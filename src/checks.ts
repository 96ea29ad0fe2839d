/** Checks of numeric options, in the command line's words, so a bad value fails fast with a usage error. */
import { usageError } from './errors.js';

export interface NumberRange {
  min: number;
  max: number;
  /** Only whole numbers. */
  whole?: boolean;
  /** What to give instead, e.g. "use a value from 0 to 1 (default 0.5)". */
  hint: string;
}

/** Throws a usage error naming `--name` when `value` is given and is not a number in the range. */
export function checkNumberOption(name: string, value: number | undefined, range: NumberRange): void {
  if (value === undefined) return;
  if (!Number.isFinite(value)) throw usageError(`--${name} needs a number: ${range.hint}`);
  if (value < range.min || value > range.max || (range.whole && !Number.isInteger(value)))
    throw usageError(`--${name} ${value}: ${range.hint}`);
}
