/**
 * Runs fuzz cases: each mutated input must end in a valid result or a JamError with a one-line message, within a
 * bounded time and memory. `FUZZ_CASES` (cases per parser) and `FUZZ_SEED` choose the run; `npm test` runs a few
 * hundred per parser, `npm run fuzz` thousands.
 */
import { writeSync } from 'node:fs';
import { JamError } from '../../src/errors.js';
import { Fuzz } from './mutate.js';
import type { FuzzTarget } from './corpus.js';

export const FUZZ_CASES = Number(process.env.FUZZ_CASES ?? 150);
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20);
/** No case may take longer (one case is one parse, at most a short analysis). */
export const CASE_MS_LIMIT = 15_000;
/** Nor may the process grow past this. */
export const RSS_LIMIT_BYTES = 1.5 * 1024 ** 3;
/** A message quotes at most a short excerpt of the input. */
export const MESSAGE_CHARS_LIMIT = 1000;

export interface FuzzOutcome {
  cases: number;
  valid: number;
  refused: number;
  /** Cases that broke a rule, with the seed and case number that repeat them. */
  failures: string[];
  slowestMs: number;
}

export function describeInput(input: unknown): string {
  const text =
    input instanceof Uint8Array
      ? Buffer.from(input.subarray(0, 48)).toString('hex')
      : typeof input === 'string'
        ? JSON.stringify(input.slice(0, 120))
        : JSON.stringify(input, (_, value) => (value instanceof Uint8Array ? `<${value.length} bytes>` : value));
  return text;
}

export async function runFuzz<T>(target: FuzzTarget<T>, cases = FUZZ_CASES, seed = FUZZ_SEED): Promise<FuzzOutcome> {
  const seeds = target.seeds();
  const outcome: FuzzOutcome = { cases: 0, valid: 0, refused: 0, failures: [], slowestMs: 0 };
  for (let index = 0; index < cases; index++) {
    // One generator per case, so a failing case repeats on its own: FUZZ_SEED and the case number.
    const fuzz = new Fuzz(seed * 1_000_003 + index);
    const input = target.mutate(fuzz, fuzz.pick(seeds));
    // FUZZ_TRACE=1 names each case before it runs, to find one that never ends.
    if (process.env.FUZZ_TRACE) writeSync(2, `${target.name} case ${index}: ${describeInput(input)}\n`);
    const started = performance.now();
    let failure: string | undefined;
    try {
      await target.run(input);
      outcome.valid++;
    } catch (error) {
      if (!(error instanceof JamError))
        failure = `${(error as Error)?.constructor?.name}: ${String((error as Error)?.message ?? error)}`;
      else if (/[\n\r]/.test(error.message))
        failure = `a message of several lines: ${JSON.stringify(error.message.slice(0, 200))}`;
      else if (error.message.length > MESSAGE_CHARS_LIMIT) failure = `a message of ${error.message.length} characters`;
      else outcome.refused++;
    }
    const ms = performance.now() - started;
    outcome.slowestMs = Math.max(outcome.slowestMs, ms);
    if (ms > CASE_MS_LIMIT) failure ??= `took ${Math.round(ms)} ms`;
    if (process.memoryUsage().rss > RSS_LIMIT_BYTES)
      failure ??= `the process grew to ${process.memoryUsage().rss} bytes`;
    if (failure !== undefined)
      outcome.failures.push(
        `${target.name} case ${index} (FUZZ_SEED=${seed}): ${failure}; input ${describeInput(input)}`,
      );
    outcome.cases++;
  }
  return outcome;
}
