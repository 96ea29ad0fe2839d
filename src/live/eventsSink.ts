/** Live events as NDJSON, one LiveEvent object per line, for pipes (`--events -`) and logs. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { LiveEvent } from '../types.js';
import type { LiveSink } from './pipeline.js';

/**
 * Writes to `stream`, waiting when it is full; `ownStream` ends it on close (a file, not stdout). A reader that goes
 * away (EPIPE) is not the sink's failure: what to do then is the caller's (the CLI stops the take); other write
 * errors are thrown on close.
 */
export function eventsSink(stream: Writable, ownStream = false): LiveSink {
  let failure: NodeJS.ErrnoException | undefined;
  stream.on('error', (error: NodeJS.ErrnoException) => void (failure ??= error));
  const gone = (): boolean => stream.destroyed || failure !== undefined;
  return {
    async write(event: LiveEvent) {
      if (gone()) return;
      if (stream.write(`${JSON.stringify(event)}\n`)) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          for (const name of ['drain', 'close', 'error']) stream.off(name, done);
          resolve();
        };
        for (const name of ['drain', 'close', 'error']) stream.once(name, done);
      });
    },
    async close() {
      if (ownStream && !gone()) {
        stream.end();
        await once(stream, 'finish');
      }
      if (failure && failure.code !== 'EPIPE') throw failure;
    },
  };
}

/** An NDJSON file, written line by line as events happen. */
export async function eventsFileSink(file: string): Promise<LiveSink> {
  const stream = createWriteStream(file);
  await once(stream, 'open');
  return eventsSink(stream, true);
}
