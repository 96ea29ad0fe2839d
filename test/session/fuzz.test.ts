import { afterEach, describe, expect, it } from 'vitest';
import {
  joinSession,
  MAX_MESSAGE_BYTES,
  type SessionClient,
  type SessionEvent,
  type SessionServer,
} from '../../src/session/index.js';
import type { LiveEvent } from '../../src/types.js';
import { eventually, hello, pause, rawPeer, seeded, testServer } from './helpers.js';

const MESSAGES = Number(process.env.FUZZ_MESSAGES ?? 10_000);

/** One hostile message: mostly broken, sometimes valid but out of order, now and then huge. */
function hostileMessage(random: () => number): string | Buffer {
  const pick = random();
  const int = (n: number) => Math.floor(random() * n);
  const event = {
    v: 1,
    kind: 'event',
    seq: 1 + int(50),
    stamp: random() * 1e6,
    type: 'on',
    time: random(),
    pitch: int(128),
    velocity: int(128),
  };
  if (pick < 0.15) {
    const text = JSON.stringify(event);
    return text.slice(0, int(text.length - 1));
  }
  if (pick < 0.17) return JSON.stringify({ ...event, junk: 'x'.repeat(MAX_MESSAGE_BYTES + int(4096)) });
  if (pick < 0.2) return Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256)));
  if (pick < 0.4) {
    const junk = [null, -1, Infinity, 'sixty', [], {}, true, 2 ** 60, '\u0000', 128.5][int(10)];
    const fields = Object.keys(event);
    return JSON.stringify({ ...event, [fields[int(fields.length)]!]: junk });
  }
  if (pick < 0.45) return JSON.stringify({ ...event, v: int(5) === 0 ? '1' : 2 + int(9) });
  if (pick < 0.75) return JSON.stringify(event); // valid, but its sequence number jumps around
  if (pick < 0.8)
    return JSON.stringify({
      v: 1,
      kind: 'midi',
      seq: 1 + int(50),
      stamp: 0,
      data: [0xf0, ...Array.from({ length: int(200) }, () => int(128)), 0xf7],
    });
  if (pick < 0.88) return JSON.stringify({ v: 1, kind: 'ping', t0: random() * 1e9 });
  if (pick < 0.92) return JSON.stringify(hello());
  if (pick < 0.96) return `${'['.repeat(1000 + int(20_000))}${']'.repeat(int(20_000))}`;
  return JSON.stringify({ v: 1, kind: ['welcome', 'pong', 'presence', '__proto__', 'constructor', ''][int(6)], t0: 1 });
}

let server: SessionServer | undefined;
const clients: SessionClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server?.close();
  server = undefined;
});

describe('a hostile client', () => {
  it('sends 10 000 malformed, oversize and out-of-order messages: the server stays up, the others lose nothing, memory stays bounded', async () => {
    server = await testServer({ historyEvents: 1000, historyBytes: 256 * 1024 });
    const url = `${server.url}/r/fuzz`;
    const honest = await joinSession(url, { name: 'Honest' });
    const listener = await joinSession(url, { role: 'listener', playout: 0 });
    clients.push(honest, listener);
    const heard: SessionEvent[] = [];
    listener.on('event', (event) => event.from === 'honest' && heard.push(event));
    const part: LiveEvent[] = Array.from({ length: 600 }, (_, i) => ({
      type: i % 2 ? 'off' : 'on',
      time: i / 100,
      pitch: 40 + (i % 40),
      velocity: i % 2 ? 0 : 80,
    }));
    const heapBefore = process.memoryUsage().heapUsed;

    const random = seeded(16);
    let sent = 0;
    let connections = 0;
    let played = 0;
    const closeCodes = new Map<number, number>();
    for (let round = 0; round < 5000 && sent < MESSAGES; round++) {
      const peer = await rawPeer(url);
      connections++;
      peer.send(hello({ name: 'hostile' }));
      const batch = 1 + Math.floor(random() * 30);
      for (let i = 0; i < batch && sent < MESSAGES && peer.ws.readyState === peer.ws.OPEN; i++) {
        const message = hostileMessage(random);
        peer.ws.send(message, { binary: Buffer.isBuffer(message) });
        sent++;
      }
      if (played < part.length) honest.send(part[played++]!);
      // Half the time the hostile client hangs up cleanly, half the time it just vanishes.
      if (random() < 0.5) peer.ws.close();
      else peer.ws.terminate();
      const { code } = await peer.closed;
      closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
    }
    while (played < part.length) honest.send(part[played++]!);

    expect(sent).toBe(MESSAGES);
    expect(await eventually(() => heard.length >= part.length)).toBe(true);
    await pause(50);
    expect(heard.map(({ from: _f, seq: _s, stamp: _t, ...event }) => event)).toEqual(part);
    expect(listener.state().duplicates).toBe(0);
    expect(await (await fetch(`${server.url.replace('ws', 'http')}/healthz`)).text()).toBe('ok\n');
    expect(await eventually(() => server!.counts().connections === 2)).toBe(true);
    // Every rule was exercised, each with its own code.
    expect([...closeCodes.keys()]).toEqual(expect.arrayContaining([4001, 4002, 4003, 4000, 4014]));
    expect(connections).toBeGreaterThan(100);
    // Memory: the history is capped, and the heap has not grown with the ten thousand messages.
    const room = (
      server as unknown as { roomsByName: Map<string, { history: { length: number; bytes: number } }> }
    ).roomsByName.get('fuzz')!;
    expect(room.history.length).toBeLessThanOrEqual(1000);
    expect(room.history.bytes).toBeLessThanOrEqual(256 * 1024);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('hostile handshakes', () => {
  it('answers broken paths and garbage HTTP without falling over', async () => {
    server = await testServer();
    const { connect } = await import('node:net');
    const port = server.port;
    const requests = [
      'GET /r/%E0%A4%A HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      'GET //[ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      'GET /r/a/b HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      'GET /r/x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n',
      '\u0000\u0001garbage\r\n\r\n',
      'GET /r/x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\u0081\u00ff',
    ];
    for (const request of requests) {
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(request));
        socket.on('data', () => undefined);
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
      });
    }
    const client = await joinSession(`${server.url}/r/after`, { name: 'still here' });
    clients.push(client);
    expect(client.state().connected).toBe(true);
  });

  it('lets a client give up at once on a refused handshake', async () => {
    server = await testServer({ allowedOrigins: ['https://jam.example'] });
    await expect(
      joinSession(`${server.url}/r/x`, { origin: 'https://elsewhere.example', timeoutMs: 60_000 }),
    ).rejects.toThrow(/HTTP 403/);
  });
});
