/**
 * Playout: a receiver plays each event at its stamp plus a playout delay, so a phrase keeps its rhythm however the
 * network jitters. `auto` picks the smallest delay that covers about the 99th percentile of observed lateness: it
 * rises at once when the network gets worse, and comes down only after a calm stretch (hysteresis), so it does not
 * hunt. Late events play at once and are counted; nothing is ever dropped, so a note-off is never lost.
 */
import type { Clock } from '../clock.js';
import { quantile } from './clock.js';
import {
  PLAYOUT_CALM_EVENTS,
  PLAYOUT_HYSTERESIS_MS,
  PLAYOUT_MARGIN_MS,
  PLAYOUT_MAX_MS,
  PLAYOUT_PERCENTILE,
  PLAYOUT_WINDOW,
} from './constants.js';

/** `auto`, or a fixed delay in ms (0: play on arrival). */
export type PlayoutMode = 'auto' | number;

/** Where `auto` starts before it has seen any lateness: enough for a good internet path. */
export const AUTO_START_MS = 20;

/** The delay `auto` aims for given recent lateness values (ms). */
export function coveringDelay(
  lateness: readonly number[],
  percentile = PLAYOUT_PERCENTILE,
  margin = PLAYOUT_MARGIN_MS,
): number {
  return Math.min(PLAYOUT_MAX_MS, Math.max(0, quantile(lateness, percentile)) + margin);
}

export class PlayoutDelay {
  private readonly lateness: number[] = [];
  private next = 0;
  private calm = 0;
  private current: number;

  constructor(readonly mode: PlayoutMode = 'auto') {
    this.current = mode === 'auto' ? AUTO_START_MS : Math.max(0, mode);
  }

  /** The delay (ms) added to a stamp now. */
  get delay(): number {
    return this.current;
  }

  /** Records how late (ms after its stamp, on the session clock) an event arrived. */
  observe(lateness: number): void {
    if (this.mode !== 'auto') return;
    const value = Math.max(0, lateness);
    if (this.lateness.length < PLAYOUT_WINDOW) this.lateness.push(value);
    else this.lateness[this.next] = value;
    this.next = (this.next + 1) % PLAYOUT_WINDOW;
    const target = coveringDelay(this.lateness);
    if (target > this.current) {
      this.current = target;
      this.calm = 0;
    } else if (target < this.current - PLAYOUT_HYSTERESIS_MS) {
      if (++this.calm >= PLAYOUT_CALM_EVENTS) {
        this.current = target;
        this.calm = 0;
      }
    } else {
      this.calm = 0;
    }
  }
}

interface Entry<T> {
  at: number;
  sender: string;
  item: T;
}

/**
 * Plays items at local times on an injected clock, in time order; one sender's items never overtake each other,
 * even when the delay comes down between them.
 */
export class PlayoutScheduler<T> {
  private queue: Entry<T>[] = [];
  private head = 0;
  private readonly lastAt = new Map<string, number>();
  private wake?: AbortController;
  private closed = false;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly play: (item: T) => void,
  ) {}

  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Queues an item to play at local time `at` (or at once, when that has passed and nothing is waiting). */
  schedule(item: T, sender: string, at: number): void {
    const time = Math.max(at, this.lastAt.get(sender) ?? -Infinity);
    this.lastAt.set(sender, time);
    if (this.closed || (this.pending === 0 && time <= this.clock.now())) {
      this.play(item);
      return;
    }
    this.insert({ at: time, sender, item });
    if (this.queue[this.head]!.item === item) this.wake?.abort();
    if (!this.running) {
      // Started on a microtask, so items scheduled together are ordered before the first wait.
      this.running = true;
      queueMicrotask(() => void this.run());
    }
  }

  /** Plays at once everything queued from `sender` (or from everyone), in order. */
  flush(sender?: string): void {
    const keep: Entry<T>[] = [];
    const due: Entry<T>[] = [];
    for (let i = this.head; i < this.queue.length; i++)
      (sender === undefined || this.queue[i]!.sender === sender ? due : keep).push(this.queue[i]!);
    this.queue = keep;
    this.head = 0;
    if (sender === undefined) this.lastAt.clear();
    else this.lastAt.delete(sender);
    for (const entry of due) this.play(entry.item);
    this.wake?.abort();
  }

  /** Plays everything still queued and stops. */
  close(): void {
    this.closed = true;
    this.flush();
  }

  private insert(entry: Entry<T>): void {
    const queue = this.queue;
    let low = this.head;
    let high = queue.length;
    if (high === low || queue[high - 1]!.at <= entry.at) {
      queue.push(entry);
      return;
    }
    while (low < high) {
      const middle = (low + high) >> 1;
      if (queue[middle]!.at <= entry.at) low = middle + 1;
      else high = middle;
    }
    queue.splice(low, 0, entry);
  }

  private takeHead(): Entry<T> {
    const entry = this.queue[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  private async run(): Promise<void> {
    try {
      while (this.pending > 0) {
        const next = this.queue[this.head]!;
        if (next.at <= this.clock.now()) {
          this.play(this.takeHead().item);
          continue;
        }
        this.wake = new AbortController();
        try {
          await this.clock.sleepUntil(next.at, this.wake.signal);
        } catch {
          // Woken: an earlier item came, or the queue was flushed.
        }
      }
    } finally {
      this.running = false;
      this.wake = undefined;
    }
  }
}
