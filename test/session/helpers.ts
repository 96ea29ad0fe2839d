/** Real servers and sockets on loopback for the session tests, and bounded waits. */
import { WebSocket } from 'ws';
import type { Clock } from '../../src/clock.js';
import { startSessionServer, type SessionServer, type SessionServerOptions } from '../../src/session/index.js';

/** Repeatable "random" numbers from a seed. */
export { seededRandom as seeded } from '../../src/random.js';

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds, at most `tries` times `stepMs` apart; returns whether it held. */
export async function eventually(condition: () => boolean, tries = 1000, stepMs = 10): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (condition()) return true;
    await pause(stepMs);
  }
  return condition();
}

/** A server on a free loopback port with fast heartbeats. */
export function testServer(options: SessionServerOptions = {}): Promise<SessionServer> {
  return startSessionServer({ port: 0, host: '127.0.0.1', heartbeatMs: 200, ...options });
}

/** A bare socket speaking the protocol by hand: what a hostile, or a foreign, client does. */
export interface RawPeer {
  ws: WebSocket;
  messages: Array<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
}

export async function rawPeer(url: string, options: { origin?: string } = {}): Promise<RawPeer> {
  const ws = new WebSocket(url, { perMessageDeflate: false, ...options });
  const messages: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    closed,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
  };
}

export const hello = (extra: Record<string, unknown> = {}) => ({ v: 1, kind: 'hello', role: 'player', ...extra });

/** A clock whose sleeps end at once at the time asked for: minutes of schedule take no time. */
export function jumpingClock(start = 1000): Clock {
  let now = start;
  return {
    now: () => now,
    async sleepUntil(time: number, signal?: AbortSignal) {
      signal?.throwIfAborted();
      if (time > now) now = time;
    },
  };
}
