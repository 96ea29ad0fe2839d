/**
 * A live sink that plays into a session: `jam live … --session URL` is one more sink beside ports, files and JSON
 * lines. Events are stamped on the session clock from their audio time: audio time 0 is the session time when the
 * sink was made (or `origin`), so the phrase keeps the rhythm it was played with, however the transcriber batches it.
 */
import type { LiveSink } from '../live/pipeline.js';
import type { LiveEvent } from '../types.js';
import type { SessionClient } from './client.js';

export interface SessionSinkOptions {
  /** Session time (ms) of audio time 0. Default: when the sink is made. */
  origin?: number;
  /** Close the client when the sink closes (default: the caller closes it). */
  closeClient?: boolean;
}

export function sessionSink(
  client: SessionClient,
  { origin = client.sessionTime(), closeClient = false }: SessionSinkOptions = {},
): LiveSink {
  return {
    write(event: LiveEvent) {
      client.send(event, origin + event.time * 1000);
    },
    async close() {
      if (closeClient) await client.close();
      else await client.drain();
    },
  };
}
