/** The small rules a server enforces on what people send it: rate, names. */
import { MAX_NAME_LENGTH } from './constants.js';

/** A token bucket: `burst` messages at once, refilled at `perSecond`. Time in ms, passed in. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; false when the bucket is empty (the sender is over its rate). */
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * A name safe to show in anyone's terminal or page: letters, digits, spaces and a little punctuation, no control or
 * formatting characters, at most a few words long. An empty result becomes `fallback`.
 */
export function sanitizeName(raw: string | undefined, fallback: string): string {
  const cleaned = (raw ?? '')
    .normalize('NFC')
    // Terminal escape sequences first, so their printable tails do not survive as text.
    // eslint-disable-next-line no-control-regex -- the escape character is what this removes
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-_]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[^\p{L}\p{M}\p{N} ._'’-]+/gu, '')
    .replace(/ +/g, ' ')
    .trim();
  return [...cleaned].slice(0, MAX_NAME_LENGTH).join('').trim() || fallback;
}

/** A player's id: the name, lowercased, spaces as dashes. */
export function idOf(name: string): string {
  return name.toLowerCase().replace(/ /g, '-');
}
