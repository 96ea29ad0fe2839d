/**
 * Structure-aware fuzzing of every input parser (WAV headers, SMF, .lab, note JSON, batch reports, progression text,
 * PCM): each mutated input ends in a valid result or a one-line JamError, in bounded time and memory. Seeded: a
 * failure names the FUZZ_SEED and case that repeat it. `npm run fuzz` runs thousands of cases a parser.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TARGETS } from './corpus.js';
import { FUZZ_CASES, FUZZ_SEED, runFuzz } from './harness.js';

const totals = { cases: 0, refused: 0, valid: 0, slowestMs: 0, started: performance.now() };

describe(`fuzzing the input parsers (${FUZZ_CASES} cases each, FUZZ_SEED=${FUZZ_SEED})`, () => {
  for (const target of TARGETS) {
    it(`${target.name}: every mutated input gives a valid result or a one-line JamError, in bounded time and memory`, async () => {
      const outcome = await runFuzz(target);
      totals.cases += outcome.cases;
      totals.refused += outcome.refused;
      totals.valid += outcome.valid;
      totals.slowestMs = Math.max(totals.slowestMs, outcome.slowestMs);
      expect(outcome.failures.slice(0, 5)).toEqual([]);
      expect(outcome.cases).toBe(FUZZ_CASES);
      // The mutations must reach the parser's refusals and its results, not only one of them.
      if (FUZZ_CASES >= 100) expect(outcome.refused + outcome.valid).toBe(FUZZ_CASES);
    });
  }
});

afterAll(() => {
  const seconds = (performance.now() - totals.started) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    `fuzz: ${totals.cases} cases (${totals.valid} valid, ${totals.refused} refused with a JamError) in ${seconds.toFixed(1)} s (slowest case ${totals.slowestMs.toFixed(0)} ms), peak memory ${peakMb.toFixed(0)} MB`,
  );
});
