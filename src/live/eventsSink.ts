/** Live events as NDJSON, one LiveEvent object per line, for pipes (`--events -`) and logs. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { LiveEvent } from '../types.js';
import type { LiveSink } from './pipeline.js';

/** Writes to `stream`, waiting when it is full; `ownStream` ends it on close (a file, not stdout). */
export function eventsSink(stream: Writable, ownStream = false): LiveSink {
  return {
    async write(event: LiveEvent) {
      if (!stream.write(`${JSON.stringify(event)}\n`)) await once(stream, 'drain');
    },
    async close() {
      if (!ownStream) return;
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/** An NDJSON file, written line by line as events happen. */
export async function eventsFileSink(file: string): Promise<LiveSink> {
  const stream = createWriteStream(file);
  await once(stream, 'open');
  return eventsSink(stream, true);
}
