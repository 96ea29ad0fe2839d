import { afterEach, describe, expect, it } from 'vitest';
import { joinSession, MADE_HERE, type SessionClient, type SessionServer } from '../../src/session/index.js';
import type { LiveEvent } from '../../src/types.js';
import { eventually, pause, testServer } from './helpers.js';

const LISTENERS = 300;

let server: SessionServer | undefined;
const clients: SessionClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server?.close();
  server = undefined;
});

describe('a reconnect storm', () => {
  it(`${LISTENERS} listeners all dropped at once come back, resume and miss nothing`, async () => {
    server = await testServer({ maxPeoplePerRoom: LISTENERS + 10, heartbeatMs: 2000 });
    const url = `${server.url}/r/storm`;
    const reconnect = { baseMs: 20, maxMs: 500 };
    const player = await joinSession(url, { name: 'Lead', reconnect });
    clients.push(player);
    const listeners = await Promise.all(
      Array.from({ length: LISTENERS }, (_, i) =>
        joinSession(url, { name: `ear ${i}`, role: 'listener', playout: 0, reconnect }),
      ),
    );
    clients.push(...listeners);

    const heard = listeners.map(() => [] as number[]);
    listeners.forEach((listener, i) =>
      listener.on('event', (event) => event.seq !== MADE_HERE && heard[i]!.push(event.seq)),
    );
    const part: LiveEvent[] = Array.from({ length: 100 }, (_, i) => ({
      type: i % 2 ? 'off' : 'on',
      time: i / 50,
      pitch: 60,
      velocity: i % 2 ? 0 : 100,
    }));
    for (let i = 0; i < part.length; i++) {
      player.send(part[i]!);
      if (i === 50)
        for (const listener of listeners) (listener as unknown as { ws: { terminate(): void } }).ws.terminate();
      if (i % 10 === 0) await pause(2);
    }
    expect(await eventually(() => heard.every((seqs) => seqs.length >= part.length), 1000)).toBe(true);
    await pause(50);
    const expected = part.map((_, i) => i + 1);
    for (const seqs of heard) expect(seqs).toEqual(expected);
    expect(listeners.every((listener) => listener.state().reconnects >= 1)).toBe(true);
    expect(
      await eventually(
        () =>
          server!.counts().connections === LISTENERS + 1 && listeners.every((listener) => listener.state().connected),
      ),
    ).toBe(true);
  });
});
