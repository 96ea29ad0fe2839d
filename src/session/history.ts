/**
 * A room's recent history: every relayed message, already encoded, under consecutive offsets. Bounded in count and
 * in bytes; the oldest go first. A client that reconnects names the last offset it got and is sent what followed.
 */
export interface HistoryEntry {
  offset: number;
  /** Who sent it, so a resuming player is not sent its own events back. */
  from: string;
  data: Buffer;
}

export class HistoryRing {
  /** Grows (doubling) up to maxEvents, so a quiet room holds little. */
  private entries: Array<HistoryEntry | undefined> = [];
  private start = 0;
  private count = 0;
  private size = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {}

  get length(): number {
    return this.count;
  }

  get bytes(): number {
    return this.size;
  }

  /** The oldest offset held (undefined when empty). */
  get oldest(): number | undefined {
    return this.count ? this.entries[this.start]!.offset : undefined;
  }

  /** Adds the entry after the newest; its offset must be the newest's plus one. */
  push(entry: HistoryEntry): void {
    if (this.count === this.entries.length) {
      if (this.entries.length < this.maxEvents) this.grow();
      else this.dropOldest();
    }
    this.entries[(this.start + this.count) % this.entries.length] = entry;
    this.count++;
    this.size += entry.data.length;
    while (this.size > this.maxBytes && this.count > 1) this.dropOldest();
  }

  /** The entry with this offset, if still held. */
  at(offset: number): HistoryEntry | undefined {
    const oldest = this.oldest;
    if (oldest === undefined || offset < oldest || offset >= oldest + this.count) return undefined;
    return this.entries[(this.start + (offset - oldest)) % this.entries.length];
  }

  /** Whether everything after `offset` is still held (true too when nothing came after it). */
  covers(offset: number, newest: number): boolean {
    if (offset >= newest) return true;
    const oldest = this.oldest;
    return oldest !== undefined && offset + 1 >= oldest;
  }

  private grow(): void {
    const grown: Array<HistoryEntry | undefined> = new Array(
      Math.min(this.maxEvents, Math.max(64, this.entries.length * 2)),
    );
    for (let i = 0; i < this.count; i++) grown[i] = this.entries[(this.start + i) % this.entries.length];
    this.entries = grown;
    this.start = 0;
  }

  private dropOldest(): void {
    const entry = this.entries[this.start]!;
    this.entries[this.start] = undefined;
    this.start = (this.start + 1) % this.entries.length;
    this.count--;
    this.size -= entry.data.length;
  }
}
