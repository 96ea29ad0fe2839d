/**
 * runLive's contract with its parts, through stand-ins for the source and transcriber (the real ones are run end
 * to end in test/cli/live.test.ts): events reach every sink in order, a chunk is not read before the last one is
 * transcribed, and however the run ends nothing is left sounding and every sink is closed.
 */
import { describe, expect, it } from 'vitest';
import { runLive, type LiveSink, type LiveSource, type LiveTranscriber } from '../../src/live/pipeline.js';
import type { LiveEvent } from '../../src/types.js';

const SECOND = 22050;

/** Three one-second chunks, or fewer when the signal aborts; counts the chunks it has handed over. */
function countingSource(chunks = 3): LiveSource & { read: number } {
  const source = {
    name: 'test',
    read: 0,
    async *chunks(signal: AbortSignal) {
      for (let i = 0; i < chunks && !signal.aborted; i++) {
        source.read++;
        yield new Float32Array(SECOND);
      }
    },
  };
  return source;
}

/** Starts a note at the start of each chunk; its end() flushes with the note-off of the last one. */
function oneNotePerChunk(onPush: (pushed: number) => void = () => undefined): LiveTranscriber & { pushed: number } {
  const transcriber = {
    pushed: 0,
    async push(): Promise<LiveEvent[]> {
      const time = transcriber.pushed++;
      onPush(transcriber.pushed);
      const on: LiveEvent = { type: 'on', time, pitch: 60 + time, velocity: 80 };
      return time === 0 ? [on] : [{ type: 'off', time, pitch: 59 + time, velocity: 0 }, on];
    },
    async end(): Promise<LiveEvent[]> {
      return [{ type: 'off', time: transcriber.pushed, pitch: 59 + transcriber.pushed, velocity: 0 }];
    },
  };
  return transcriber;
}

function collectingSink(): LiveSink & { events: LiveEvent[]; closed: number } {
  const sink = {
    events: [] as LiveEvent[],
    closed: 0,
    write(event: LiveEvent) {
      sink.events.push(event);
    },
    close() {
      sink.closed++;
    },
  };
  return sink;
}

describe('runLive', () => {
  it('gives every sink every event in order and closes each once', async () => {
    const sinks = [collectingSink(), collectingSink()];
    const summary = await runLive({ source: countingSource(), transcriber: oneNotePerChunk(), sinks });
    expect(summary).toEqual({ seconds: 3, notes: 3, events: 6, stopped: false });
    for (const sink of sinks) {
      expect(sink.events.map((event) => `${event.type}${event.pitch}`)).toEqual([
        'on60',
        'off60',
        'on61',
        'off61',
        'on62',
        'off62',
      ]);
      expect(sink.closed).toBe(1);
    }
  });

  it('reads the next chunk only after the last one is transcribed and delivered', async () => {
    const source = countingSource();
    const readWhenPushed: number[] = [];
    const transcriber = oneNotePerChunk(() => readWhenPushed.push(source.read));
    let slowWrites = 0;
    const slowSink: LiveSink = {
      async write() {
        await new Promise((resolve) => setTimeout(resolve, 5));
        slowWrites++;
      },
      close() {},
    };
    await runLive({ source, transcriber, sinks: [slowSink] });
    expect(readWhenPushed).toEqual([1, 2, 3]);
    expect(slowWrites).toBe(6);
  });

  it('stops when the signal aborts, flushes the transcriber, and ends with no note sounding', async () => {
    const controller = new AbortController();
    const sink = collectingSink();
    const transcriber = oneNotePerChunk((pushed) => pushed === 2 && controller.abort());
    const summary = await runLive({
      source: countingSource(10),
      transcriber,
      sinks: [sink],
      signal: controller.signal,
    });
    expect(summary.stopped).toBe(true);
    expect(summary.seconds).toBe(2);
    expect(sink.events.at(-1)).toMatchObject({ type: 'off', pitch: 61 });
    expect(sink.closed).toBe(1);
  });

  it('when the transcriber fails, releases the notes it left sounding, closes the sinks and throws its error', async () => {
    let pushes = 0;
    const failing: LiveTranscriber = {
      async push() {
        if (++pushes === 2) throw new Error('model failed');
        return [{ type: 'on', time: 0.5, pitch: 64, velocity: 90 }];
      },
      async end() {
        return [];
      },
    };
    const sink = collectingSink();
    await expect(runLive({ source: countingSource(), transcriber: failing, sinks: [sink] })).rejects.toThrow(
      'model failed',
    );
    expect(sink.events).toEqual([
      { type: 'on', time: 0.5, pitch: 64, velocity: 90 },
      { type: 'off', time: 2, pitch: 64, velocity: 0 },
    ]);
    expect(sink.closed).toBe(1);
  });

  it('closes every sink even when one fails to close, then reports that failure', async () => {
    const good = collectingSink();
    const bad: LiveSink = { write() {}, close: () => Promise.reject(new Error('disk full')) };
    await expect(
      runLive({ source: countingSource(1), transcriber: oneNotePerChunk(), sinks: [bad, good] }),
    ).rejects.toThrow('disk full');
    expect(good.closed).toBe(1);
  });
});
