/** Clocks for scheduling tests: time moves only when slept on, so minutes of schedule take no time at all. */
import type { Clock } from '../../src/clock.js';

/**
 * A clock whose every sleep ends `lateness()` ms after the time asked for, like a busy machine's timers; a sleep
 * asked for a time already past returns at once.
 */
export function manualClock(lateness: () => number = () => 0): Clock & { sleeps: number } {
  let now = 1000;
  const clock = {
    sleeps: 0,
    now: () => now,
    async sleepUntil(time: number, signal?: AbortSignal) {
      signal?.throwIfAborted();
      clock.sleeps++;
      if (time > now) now = time + lateness();
    },
  };
  return clock;
}
