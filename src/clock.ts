/**
 * Time for anything that must keep pace with the wall clock: a monotonic clock in milliseconds and a sleep until an
 * absolute time on it. Schedulers wait for absolute targets, never for accumulated delays, so timer lateness never
 * adds up into drift; tests inject a clock that jumps instead of waiting.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /**
   * Resolves at `time` (on `now()`'s scale) or soon after; at once when it has passed. Rejects when `signal` aborts.
   */
  sleepUntil(time: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  async sleepUntil(time, signal) {
    const wait = time - performance.now();
    if (wait > 0) await sleep(wait, undefined, { signal });
    else signal?.throwIfAborted();
  },
};
