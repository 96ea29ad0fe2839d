/**
 * The session clock, as a client estimates it: NTP-style exchanges with the server. A ping leaves at t0 (client),
 * reaches the server at t1, leaves it at t2 (session clock) and comes back at t3 (client). Queueing only ever adds
 * delay, so the samples with the lowest round trips are the ones whose two halves were most nearly equal: keep a
 * window, take the fastest of them, and use the median of their offsets.
 */
import { SYNC_BEST_SHARE, SYNC_MIN_BEST, SYNC_WINDOW } from './constants.js';

export interface SyncSample {
  /** Session time minus local time, in ms. */
  offset: number;
  /** Round trip without the server's own time, in ms. */
  rtt: number;
}

/** One exchange's sample: t0 and t3 on the local clock, t1 and t2 on the session clock. */
export function syncSample(t0: number, t1: number, t2: number, t3: number): SyncSample {
  return { offset: (t1 - t0 + (t2 - t3)) / 2, rtt: Math.max(0, t3 - t0 - (t2 - t1)) };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The q-quantile (0..1) of the values, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The samples with the lowest round trips: a share of the window, never fewer than a few. */
export function fastestSamples(
  samples: readonly SyncSample[],
  share = SYNC_BEST_SHARE,
  least = SYNC_MIN_BEST,
): SyncSample[] {
  const count = Math.min(samples.length, Math.max(least, Math.ceil(samples.length * share)));
  return [...samples].sort((a, b) => a.rtt - b.rtt).slice(0, count);
}

export interface ClockEstimate {
  offset: number;
  /** The round trip of the fastest samples (median), in ms. */
  rtt: number;
  /** How much round trips vary: the 90th percentile above the fastest, in ms. */
  jitter: number;
  samples: number;
}

export function estimateClock(samples: readonly SyncSample[]): ClockEstimate {
  const best = fastestSamples(samples);
  const rtts = samples.map((sample) => sample.rtt);
  return {
    offset: median(best.map((sample) => sample.offset)),
    rtt: median(best.map((sample) => sample.rtt)),
    jitter: samples.length ? quantile(rtts, 0.9) - Math.min(...rtts) : 0,
    samples: samples.length,
  };
}

/** A window of samples and the estimate they give. */
export class ClockSync {
  private readonly samples: SyncSample[] = [];
  private current: ClockEstimate = { offset: 0, rtt: 0, jitter: 0, samples: 0 };

  constructor(private readonly window = SYNC_WINDOW) {}

  add(sample: SyncSample): ClockEstimate {
    this.samples.push(sample);
    if (this.samples.length > this.window) this.samples.shift();
    this.current = estimateClock(this.samples);
    return this.current;
  }

  /** Forgets every sample: the server (and so the session clock) has changed. */
  reset(): void {
    this.samples.length = 0;
    this.current = { offset: 0, rtt: 0, jitter: 0, samples: 0 };
  }

  get estimate(): ClockEstimate {
    return this.current;
  }

  /** Session time for a local time. */
  sessionTime(local: number): number {
    return local + this.current.offset;
  }

  localTime(session: number): number {
    return session - this.current.offset;
  }
}
