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

/**
 * The same clock on the Unix epoch's scale (ms since 1970), still monotonic: clocks of different machines compared
 * on it differ by how far apart their wall clocks are, which is what a session's clock offset should say.
 */
export const epochClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleepUntil: (time, signal) => systemClock.sleepUntil(time - performance.timeOrigin, signal),
};
