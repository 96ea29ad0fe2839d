import { afterEach, describe, expect, it } from 'vitest';
import {
  CloseCode,
  joinSession,
  MADE_HERE,
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

/** A phrase of `count` notes: on, bend, off for each, 1/100 s apart. */
function phrase(count: number, base: number): LiveEvent[] {
  return Array.from({ length: count }, (_, i): LiveEvent[] => [
    { type: 'on', time: i * 0.03, pitch: base + (i % 12), velocity: 64 + (i % 60) },
    { type: 'bend', time: i * 0.03 + 0.01, pitch: base + (i % 12), value: 0.25 },
    { type: 'off', time: i * 0.03 + 0.02, pitch: base + (i % 12), velocity: 0 },
  ]).flat();
}

const strip = ({ from: _from, seq: _seq, stamp: _stamp, ...event }: SessionEvent): LiveEvent => event as LiveEvent;

describe('a room with two players and a listener', () => {
  it("gives the listener each player's events in order, exactly once", async () => {
    server = await testServer();
    const url = `${server.url}/r/tuesday`;
    const guitar = await join(url, { name: 'Guitar' });
    const keys = await join(url, { name: 'Keys' });
    const listener = await join(url, { name: 'Ears', role: 'listener', playout: 0 });
    const heard: SessionEvent[] = [];
    listener.on('event', (event) => heard.push(event));
    const guitarPart = phrase(200, 40);
    const keysPart = phrase(150, 60);
    for (let i = 0; i < Math.max(guitarPart.length, keysPart.length); i++) {
      if (guitarPart[i]) guitar.send(guitarPart[i]!);
      if (keysPart[i]) keys.send(keysPart[i]!);
    }
    expect(await eventually(() => heard.length >= guitarPart.length + keysPart.length)).toBe(true);
    await pause(50);
    expect(heard.filter((event) => event.from === 'guitar').map(strip)).toEqual(guitarPart);
    expect(heard.filter((event) => event.from === 'keys').map(strip)).toEqual(keysPart);
    expect(listener.state().duplicates).toBe(0);
  });

  it("plays with an adaptive delay and keeps each player's order", async () => {
    server = await testServer();
    const url = `${server.url}/r/auto`;
    const player = await join(url, { name: 'P' });
    const listener = await join(url, { role: 'listener', playout: 'auto' });
    const heard: SessionEvent[] = [];
    listener.on('event', (event) => heard.push(event));
    const part = phrase(100, 50);
    for (const event of part) player.send(event);
    expect(await eventually(() => heard.length >= part.length)).toBe(true);
    expect(heard.map(strip)).toEqual(part);
    expect(listener.state().playout).toBeGreaterThan(0);
  });

  it('tells everyone the players and relays tempo changes, keeping the beat', async () => {
    server = await testServer();
    const url = `${server.url}/r/beat`;
    const a = await join(url, { name: 'A' });
    const b = await join(url, { name: 'B', sync: 'interval', bars: 2 });
    expect(
      a
        .state()
        .players.map((p) => p.id)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(a.state().players.find((p) => p.id === 'b')?.sync).toBe('interval');
    a.setTempo(90, 3);
    expect(await eventually(() => b.tempo().bpm === 90)).toBe(true);
    expect(b.tempo().meter).toBe(3);
    const state = await b.roomState();
    expect(state.tempo.bpm).toBe(90);
    expect(state.players).toHaveLength(2);
  });
});

describe('reconnecting', () => {
  it('resumes after a forced disconnect mid-stream: nothing lost, nothing doubled', async () => {
    server = await testServer();
    const url = `${server.url}/r/resume`;
    const player = await join(url, { name: 'Drums' });
    const listener = await join(url, { role: 'listener', playout: 0 });
    const heard: SessionEvent[] = [];
    listener.on('event', (event) => heard.push(event));
    const part = phrase(300, 36);
    let reconnects = 0;
    for (let i = 0; i < part.length; i++) {
      player.send(part[i]!);
      if (i === 200) {
        // Cut both links mid-stream, without a close handshake.
        (listener as unknown as { ws: { terminate(): void } }).ws.terminate();
        (player as unknown as { ws: { terminate(): void } }).ws.terminate();
        reconnects++;
      }
      if (i % 50 === 0) await pause(1);
    }
    expect(await eventually(() => heard.length >= part.length)).toBe(true);
    await pause(100);
    // The player's drop ends its sounding note at once (an off made by the listener); everything it played comes too.
    const played = heard.filter((event) => event.seq !== MADE_HERE);
    expect(played.map(strip)).toEqual(part);
    expect(new Set(played.map((event) => event.seq)).size).toBe(part.length);
    expect(heard.length - played.length).toBeLessThanOrEqual(1);
    expect(listener.state().reconnects).toBeGreaterThanOrEqual(reconnects);
    expect(listener.state().skipped).toBe(0);
  });

  it("follows a server's goodbye to the server it names", async () => {
    server = await testServer();
    const second = await testServer();
    try {
      const client = await join(`${server.url}/r/move`, { name: 'Bass' });
      const goodbyes: string[] = [];
      client.on('goodbye', (goodbye) => goodbyes.push(goodbye.moveTo ?? ''));
      await server.close({ moveTo: `${second.url}/r/move` });
      expect(await eventually(() => second.counts().connections === 1 && client.state().connected)).toBe(true);
      expect(goodbyes).toEqual([`${second.url}/r/move`]);
      expect(client.state().url).toBe(`${second.url}/r/move`);
    } finally {
      await Promise.all(clients.splice(0).map((client) => client.close()));
      await second.close();
    }
  });
});

describe('no hanging notes', () => {
  it("ends a player's notes for the listener when its socket dies without a close", async () => {
    server = await testServer({ heartbeatMs: 100 });
    const url = `${server.url}/r/drop`;
    const player = await join(url, { name: 'Gone', reconnect: false });
    const listener = await join(url, { role: 'listener', playout: 0 });
    const sounding = new Set<number>();
    listener.on('event', (event) => {
      if (event.type === 'on') sounding.add(event.pitch);
      if (event.type === 'off') sounding.delete(event.pitch);
    });
    for (const pitch of [60, 64, 67]) player.send({ type: 'on', time: 0, pitch, velocity: 90 });
    expect(await eventually(() => sounding.size === 3)).toBe(true);
    // The player's process hangs: its socket stops reading and answering pings, and is never closed.
    const ws = (player as unknown as { ws: { _socket: { pause(): void } } }).ws;
    ws._socket.pause();
    (player as unknown as { clearTimers(): void }).clearTimers();
    // Two heartbeats find it dead (200 ms here; 8 s with the default interval): bounded by 100 polls of 10 ms.
    expect(await eventually(() => sounding.size === 0, 100)).toBe(true);
    expect(server.counts().closed[CloseCode.HEARTBEAT_TIMEOUT]).toBe(1);
  });

  it("ends a player's notes at once when it is terminated", async () => {
    server = await testServer();
    const url = `${server.url}/r/kill`;
    const player = await join(url, { name: 'Killed', reconnect: false });
    const listener = await join(url, { role: 'listener', playout: 0 });
    const presence: string[] = [];
    listener.on('presence', (message) => presence.push(`${message.what} ${message.player.id}`));
    let offs = 0;
    listener.on('event', (event) => void (event.type === 'off' && offs++));
    player.send({ type: 'on', time: 0, pitch: 50, velocity: 90 });
    await eventually(() => listener.state().played === 1);
    (player as unknown as { ws: { terminate(): void } }).ws.terminate();
    expect(await eventually(() => offs === 1)).toBe(true);
    expect(presence).toContain('drop killed');
  });
});

describe('limits', () => {
  it('limits a flooding client with its close code', async () => {
    server = await testServer({ rate: { perSecond: 100, burst: 50 } });
    const peer = await rawPeer(`${server.url}/r/flood`);
    peer.send(hello({ name: 'flood' }));
    for (let i = 1; i <= 500; i++)
      peer.send({ v: 1, kind: 'event', seq: i, stamp: 0, type: 'on', time: 0, pitch: 60, velocity: 1 });
    const closed = await peer.closed;
    expect(closed.code).toBe(CloseCode.RATE_LIMIT);
    expect(closed.reason).toMatch(/rate limit/);
  });

  it('refuses events from a listener', async () => {
    server = await testServer();
    const peer = await rawPeer(`${server.url}/r/quiet`);
    peer.send(hello({ role: 'listener' }));
    peer.send({ v: 1, kind: 'event', seq: 1, stamp: 0, type: 'on', time: 0, pitch: 60, velocity: 1 });
    expect((await peer.closed).code).toBe(CloseCode.LISTENER_MAY_NOT_SEND);
  });

  it('caps rooms and the server, each with its own code', async () => {
    server = await testServer({ maxPeoplePerRoom: 1, maxClients: 3 });
    const first = await rawPeer(`${server.url}/r/small`);
    first.send(hello());
    await eventually(() => first.messages.length > 0);
    const second = await rawPeer(`${server.url}/r/small`);
    second.send(hello());
    expect((await second.closed).code).toBe(CloseCode.ROOM_FULL);
    const peers = [await rawPeer(`${server.url}/r/a`), await rawPeer(`${server.url}/r/b`)];
    const fourth = await rawPeer(`${server.url}/r/c`);
    expect((await fourth.closed).code).toBe(CloseCode.SERVER_FULL);
    for (const peer of [first, ...peers]) peer.ws.close();
  });

  it('does not relay MIDI system messages unless the room allows them', async () => {
    server = await testServer();
    const url = `${server.url}/r/sysex`;
    const player = await join(url, { name: 'Synth' });
    const listener = await join(url, { role: 'listener' });
    const got: number[][] = [];
    listener.on('midi', (message) => got.push(message.data));
    player.sendMidi([0xf0, 0x7e, 0x7f, 0x09, 0x01, 0xf7]);
    player.sendMidi([0xf8]);
    player.sendMidi([0xb0, 64, 127]);
    expect(await eventually(() => got.length === 1)).toBe(true);
    await pause(30);
    expect(got).toEqual([[0xb0, 64, 127]]);
    expect(server.counts().filtered).toBe(2);
  });

  it('relays them in a room that allows them', async () => {
    server = await testServer({ allowSystem: (room) => room === 'clocked' });
    const player = await join(`${server.url}/r/clocked`, { name: 'Drum machine' });
    const listener = await join(`${server.url}/r/clocked`, { role: 'listener' });
    const got: number[][] = [];
    listener.on('midi', (message) => got.push(message.data));
    player.sendMidi([0xfa]);
    player.sendMidi([0xf8]);
    expect(await eventually(() => got.length === 2)).toBe(true);
    expect(got).toEqual([[0xfa], [0xf8]]);
  });

  it('checks the Origin of browsers against the allowed list', async () => {
    server = await testServer({ allowedOrigins: ['https://jam.example'] });
    await expect(rawPeer(`${server.url}/r/o`, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const ok = await rawPeer(`${server.url}/r/o`, { origin: 'https://jam.example' });
    ok.ws.close();
  });

  it('sanitises names', async () => {
    server = await testServer();
    const client = await join(`${server.url}/r/names`, { name: '\u001b[31mRed\u0007 <script>  Guitar\u202e' });
    expect(client.state().players[0]!.name).toBe('Red script Guitar');
  });

  it('without a secret refuses to listen beyond loopback unless open', async () => {
    await expect(testServer({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe('http', () => {
  it('serves /healthz and /metrics', async () => {
    server = await testServer();
    await join(`${server.url}/r/m`, { name: 'x' });
    const base = server.url.replace('ws', 'http');
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^jam_session_connections 1$/m);
    expect(metrics).toMatch(/^jam_session_rooms 1$/m);
    expect(metrics).toMatch(/jam_session_fanout_p99_seconds/);
    expect(server.health()).toMatch(/1 connected in 1 room/);
  });
});

describe('a player who comes back as a new process', () => {
  it("goes on numbering after the server's last, so nothing it plays is taken for a duplicate", async () => {
    server = await testServer();
    const url = `${server.url}/r/again`;
    const listener = await join(url, { role: 'listener', playout: 0 });
    const heard: number[] = [];
    listener.on('event', (event) => event.seq !== MADE_HERE && heard.push(event.pitch));
    const first = await joinSession(url, { name: 'Horn' });
    for (let pitch = 60; pitch < 65; pitch++) first.send({ type: 'on', time: 0, pitch, velocity: 50 });
    await first.close();
    const second = await join(url, { name: 'Horn' });
    expect(second.state().id).toBe('horn');
    for (let pitch = 70; pitch < 75; pitch++) second.send({ type: 'on', time: 0, pitch, velocity: 50 });
    expect(await eventually(() => heard.length === 10)).toBe(true);
    expect(heard).toEqual([60, 61, 62, 63, 64, 70, 71, 72, 73, 74]);
  });
});

describe('starting a server', () => {
  it('says which port is taken', async () => {
    server = await testServer();
    await expect(testServer({ port: server.port })).rejects.toThrow(/EADDRINUSE.*--port/);
  });
});
