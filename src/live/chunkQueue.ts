/**
 * Audio from a source that cannot wait (a sound card's callback) for a consumer that takes its time (the
 * transcriber): chunks queue up while the consumer works and are handed over joined, all at once, so a slow step
 * costs latency but loses no audio and never lets the backlog grow chunk by chunk.
 */
export class ChunkQueue implements AsyncIterable<Float32Array> {
  private pending: Float32Array[] = [];
  private closed = false;
  private wake: (() => void) | undefined;

  push(chunk: Float32Array): void {
    if (this.closed) return;
    this.pending.push(chunk);
    this.wake?.();
  }

  /** Ends the iteration once what is queued has been taken. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /** Samples waiting, for reporting how far behind the consumer is. */
  get queuedSamples(): number {
    return this.pending.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Float32Array> {
    for (;;) {
      if (this.pending.length === 0) {
        if (this.closed) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      const chunks = this.pending;
      this.pending = [];
      yield join(chunks);
    }
  }
}

function join(chunks: Float32Array[]): Float32Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Float32Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
