import { afterEach, describe, expect, it } from 'vitest';
import {
  joinSession,
  MADE_HERE,
  sessionSink,
  type SessionClient,
  type SessionEvent,
  type SessionServer,
} from '../../src/session/index.js';
import type { LiveEvent } from '../../src/types.js';
import { eventually, hello, pause, rawPeer, testServer } from './helpers.js';

let server: SessionServer | undefined;
const clients: SessionClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server?.close();
  server = undefined;
});

async function join(url: string, options: Parameters<typeof joinSession>[1] = {}): Promise<SessionClient> {
  const client = await joinSession(url, { reconnect: { baseMs: 20, maxMs: 100 }, ...options });
  clients.push(client);
  return client;
}

describe('a slow consumer', () => {
  it('is skipped, not buffered without bound and not disconnected, then sent a snapshot with the skipped count', async () => {
    const bound = 64 * 1024;
    server = await testServer({ slowConsumerBytes: bound, heartbeatMs: 60_000, rate: { perSecond: 1e6, burst: 1e6 } });
    const url = `${server.url}/r/slow`;
    const slow = await rawPeer(url);
    slow.send(hello({ role: 'listener', name: 'slow' }));
    await eventually(() => slow.messages.length > 0);
    const player = await rawPeer(url);
    player.send(hello({ name: 'busy' }));
    await eventually(() => player.messages.length > 0);
    player.send({ v: 1, kind: 'event', seq: 1, stamp: 0, type: 'on', time: 0, pitch: 62, velocity: 99 });
    await eventually(() => slow.messages.length > 1);
    // The slow listener stops reading; the player keeps playing (big controller messages, to fill buffers sooner).
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const data = [0xb0, ...Array.from({ length: 255 }, (_, i) => i % 128)];
    let seq = 1;
    const serverSide = () => [
      ...(server as unknown as { connections: Set<{ ws: { bufferedAmount: number }; behind: boolean }> }).connections,
    ];
    let peak = 0;
    for (let batch = 0; batch < 400 && server.counts().dropped < 100; batch++) {
      for (let i = 0; i < 200; i++) player.send({ v: 1, kind: 'midi', seq: ++seq, stamp: 0, data });
      await pause(2);
      peak = Math.max(peak, ...serverSide().map((conn) => conn.ws.bufferedAmount));
    }
    expect(server.counts().dropped).toBeGreaterThanOrEqual(100);
    // Memory for it stays within the bound and one message.
    expect(peak).toBeLessThan(bound + 4096);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    // Each time it drains it gets a snapshot (the kernel's buffers may take some more first): together they count all it missed.
    const snapshots = () => slow.messages.filter((message) => message.kind === 'snapshot');
    const skipped = () => snapshots().reduce((sum, message) => sum + (message.skipped as number), 0);
    expect(await eventually(() => snapshots().length > 0 && skipped() === server!.counts().dropped)).toBe(true);
    expect(snapshots().at(-1)!.sounding).toEqual([{ from: 'busy', notes: [{ pitch: 62, velocity: 99 }] }]);
    expect(slow.ws.readyState).toBe(slow.ws.OPEN);
    player.ws.close();
    slow.ws.close();
  });
});

describe('a player that loses its link', () => {
  it('keeps what it plays meanwhile and sends it when back, in order, once', async () => {
    server = await testServer();
    const url = `${server.url}/r/gap`;
    const player = await join(url, { name: 'Sax' });
    const listener = await join(url, { role: 'listener', playout: 0 });
    const heard: SessionEvent[] = [];
    listener.on('event', (event) => event.seq !== MADE_HERE && heard.push(event));
    const part: LiveEvent[] = Array.from({ length: 60 }, (_, i) => ({
      type: i % 2 ? 'off' : 'on',
      time: i / 10,
      pitch: 70,
      velocity: i % 2 ? 0 : 70,
    }));
    for (let i = 0; i < part.length; i++) {
      if (i === 20) (player as unknown as { ws: { terminate(): void } }).ws.terminate();
      player.send(part[i]!);
    }
    expect(await eventually(() => heard.length >= part.length)).toBe(true);
    await pause(30);
    expect(heard.map((event) => event.seq)).toEqual(part.map((_, i) => i + 1));
  });

  it('a listener that loses its link hears everything, with nothing made up', async () => {
    server = await testServer();
    const url = `${server.url}/r/listen`;
    const player = await join(url, { name: 'Cello' });
    const listener = await join(url, { role: 'listener', playout: 0 });
    const heard: SessionEvent[] = [];
    listener.on('event', (event) => heard.push(event));
    for (let i = 0; i < 200; i++) {
      if (i === 80) (listener as unknown as { ws: { terminate(): void } }).ws.terminate();
      player.send({ type: i % 2 ? 'off' : 'on', time: i / 10, pitch: 48, velocity: i % 2 ? 0 : 60 });
      if (i % 20 === 0) await pause(3);
    }
    expect(await eventually(() => heard.length >= 200)).toBe(true);
    await pause(30);
    expect(heard.map((event) => event.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(listener.state().reconnects).toBe(1);
  });
});

describe('the live sink', () => {
  it('stamps a live stream on the session clock from its audio times', async () => {
    server = await testServer();
    const url = `${server.url}/r/sink`;
    const player = await join(url, { name: 'Voice' });
    const listener = await join(url, { role: 'listener', playout: 0 });
    const heard: SessionEvent[] = [];
    listener.on('event', (event) => heard.push(event));
    const origin = player.sessionTime();
    const sink = sessionSink(player, { origin });
    const events: LiveEvent[] = [
      { type: 'on', time: 0.5, pitch: 60, velocity: 80 },
      { type: 'bend', time: 0.75, pitch: 60, value: 0.5 },
      { type: 'off', time: 1.25, pitch: 60, velocity: 0 },
    ];
    for (const event of events) await sink.write(event);
    await sink.close();
    expect(await eventually(() => heard.length === 3)).toBe(true);
    expect(heard.map((event) => event.stamp - origin)).toEqual([500, 750, 1250]);
    expect(heard.map(({ from: _f, seq: _s, stamp: _t, ...event }) => event)).toEqual(events);
  });
});

describe('interval mode', () => {
  it("plays an interval player's events a whole number of bars after their stamps", async () => {
    server = await testServer();
    const url = `${server.url}/r/ninjam`;
    const far = await join(url, { name: 'Far', sync: 'interval', bars: 1 });
    const listener = await join(url, { role: 'listener', playout: 'auto' });
    far.setTempo(240, 1); // a bar of 250 ms, to keep the test short
    await eventually(() => listener.tempo().bpm === 240);
    const played: number[] = [];
    listener.on('event', (event) => played.push(listener.sessionTime() - event.stamp));
    far.send({ type: 'on', time: 0, pitch: 40, velocity: 90 });
    far.send({ type: 'off', time: 0.1, pitch: 40, velocity: 0 });
    expect(await eventually(() => played.length === 2, 200)).toBe(true);
    for (const delay of played) {
      expect(delay).toBeGreaterThanOrEqual(249);
      expect(delay).toBeLessThan(400);
    }
  });
});

describe("the room's state", () => {
  it("shows each player's link as reported by the clients", async () => {
    server = await testServer();
    const url = `${server.url}/r/state`;
    await join(url, { name: 'A', syncIntervalMs: 20 });
    const viewer = await join(url, { role: 'listener', name: 'viewer', syncIntervalMs: 20 });
    expect(
      await eventually(() => (server!.roomState('state')?.players ?? []).every((player) => player.stats !== undefined)),
    ).toBe(true);
    const state = await viewer.roomState();
    expect(state.players.map((player) => player.id).sort()).toEqual(['a', 'viewer']);
    for (const player of state.players)
      expect(player.stats).toMatchObject({
        rtt: expect.any(Number),
        offset: expect.any(Number),
        jitter: expect.any(Number),
        playout: expect.any(Number),
      });
  });
});

describe('resuming too late', () => {
  it('gets a snapshot of the sounding notes and the count of what it missed', async () => {
    server = await testServer({ historyEvents: 10 });
    const url = `${server.url}/r/late`;
    const player = await join(url, { name: 'Organ' });
    const listener = await join(url, { role: 'listener', playout: 0, reconnect: { baseMs: 300, maxMs: 300 } });
    const snapshots: number[] = [];
    listener.on('snapshot', (snapshot) => snapshots.push(snapshot.skipped));
    const sounding = new Set<number>();
    listener.on('event', (event) =>
      event.type === 'on' ? sounding.add(event.pitch) : event.type === 'off' && sounding.delete(event.pitch),
    );
    player.send({ type: 'on', time: 0, pitch: 30, velocity: 100 });
    await eventually(() => sounding.has(30));
    (listener as unknown as { ws: { terminate(): void } }).ws.terminate();
    for (let i = 1; i <= 50; i++)
      player.send({ type: i % 2 ? 'on' : 'off', time: i, pitch: 80, velocity: i % 2 ? 60 : 0 });
    player.send({ type: 'off', time: 60, pitch: 30, velocity: 0 });
    player.send({ type: 'on', time: 61, pitch: 31, velocity: 70 });
    expect(await eventually(() => snapshots.length === 1)).toBe(true);
    expect(snapshots[0]).toBe(52);
    // The organ's held note ended and its new one sounds, as the snapshot says.
    expect([...sounding]).toEqual([31]);
  });
});

describe('a player over the rate limit', () => {
  it("paces itself under the server's limit, so a backlog after a gap arrives whole instead of getting it cut off", async () => {
    server = await testServer({ rate: { perSecond: 2000, burst: 1000 } });
    const url = `${server.url}/r/paced`;
    const player = await join(url, { name: 'Fast' });
    const listener = await join(url, { role: 'listener', playout: 0 });
    const heard: number[] = [];
    listener.on('event', (event) => event.seq !== MADE_HERE && heard.push(event.seq));
    const closes: number[] = [];
    player.on('reconnecting', ({ code }) => closes.push(code));
    (player as unknown as { ws: { terminate(): void } }).ws.terminate();
    for (let i = 0; i < 3000; i++)
      player.send({ type: i % 2 ? 'off' : 'on', time: i / 1000, pitch: 72, velocity: i % 2 ? 0 : 50 });
    expect(await eventually(() => heard.length >= 3000, 500)).toBe(true);
    expect(heard).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(closes).toEqual([1006]);
    expect(server.counts().closed[4004]).toBeUndefined();
  });
});

describe('closing a player', () => {
  it('waits until everything it played has been sent', async () => {
    server = await testServer({ rate: { perSecond: 4000, burst: 1000 } });
    const url = `${server.url}/r/song`;
    const listener = await join(url, { role: 'listener', playout: 0 });
    let heard = 0;
    listener.on('event', (event) => void (event.seq !== MADE_HERE && heard++));
    const player = await joinSession(url, { name: 'File' });
    for (let i = 0; i < 2000; i++)
      player.send({ type: i % 2 ? 'off' : 'on', time: i / 100, pitch: 55, velocity: i % 2 ? 0 : 40 });
    await player.close();
    expect(await eventually(() => heard === 2000)).toBe(true);
    expect(server.rooms()).toEqual(['song']);
  });
});

describe('closing a player whose link just dropped', () => {
  it('waits for the reconnect and sends what it played', async () => {
    server = await testServer();
    const url = `${server.url}/r/coda`;
    const listener = await join(url, { role: 'listener', playout: 0 });
    let heard = 0;
    listener.on('event', (event) => void (event.seq !== MADE_HERE && heard++));
    const player = await joinSession(url, { name: 'Coda', reconnect: { baseMs: 50, maxMs: 50 } });
    (player as unknown as { ws: { terminate(): void } }).ws.terminate();
    for (let i = 0; i < 100; i++)
      player.send({ type: i % 2 ? 'off' : 'on', time: i / 10, pitch: 65, velocity: i % 2 ? 0 : 30 });
    await player.close();
    expect(await eventually(() => heard === 100)).toBe(true);
  });
});
