import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkCompiledCli, expectOneLineError, FIXTURES, JAM, runJam } from '../helpers/cli.js';
import { eventsOfNotes } from '../../src/live/noteEvents.js';
import { readMidiFile } from '../../src/midi/smf.js';
import { joinSession, SessionClient, type SessionServer } from '../../src/session/index.js';
import { attachMesh, meshOf, type NodeMeshOptions } from '../../src/session/mesh/node.js';
import type { Mesh } from '../../src/session/mesh/core.js';
import type { SessionEvent } from '../../src/session/protocol.js';
import type { LiveEvent } from '../../src/types.js';
import { eventually, pause, seeded, testServer } from './helpers.js';
import { jitterProxy } from './proxy.js';

const open: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function server(heartbeatMs = 200): Promise<SessionServer> {
  const started = await testServer({ heartbeatMs });
  open.push(started);
  return started;
}

/** A fixture's notes as the live events a transcription of it streams. */
function fixtureEvents(name: string): LiveEvent[] {
  const midi = readMidiFile(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)), name);
  return eventsOfNotes(midi.notes);
}

interface Player {
  client: SessionClient;
  mesh: Mesh;
  /** What players sent. */
  heard: SessionEvent[];
  /** Everything played, the notes the client ended itself included. */
  played: SessionEvent[];
}

const allHeard = (p: Player) => p.played;

async function player(url: string, name: string, options: NodeMeshOptions = {}): Promise<Player> {
  const client = await joinSession(url, { name, playout: 0, mesh: { openTimeoutMs: 3000, ...options } });
  open.push(client);
  const heard: SessionEvent[] = [];
  const played: SessionEvent[] = [];
  // What players sent (the notes a receiver ends itself, seq 0, are not counted here).
  client.on('event', (event) => {
    played.push(event);
    if (event.seq > 0) heard.push(event);
  });
  return { client, mesh: meshOf(client)!, heard, played };
}

const allOpen = (players: Player[]) =>
  players.every(
    (p) => p.mesh.stats().length === players.length - 1 && p.mesh.stats().every((s) => s.path === 'direct'),
  );

/** Every (from, seq) heard once, each sender's in order. */
function checkExactlyOnceInOrder(heard: SessionEvent[], from: string, count: number): void {
  const seqs = heard.filter((event) => event.from === from).map((event) => event.seq);
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(seqs.length).toBe(count);
}

describe('the WebRTC mesh', () => {
  it('three Node peers each stream a fixture: every listener gets every event once, in order, mostly direct', async () => {
    const srv = await server();
    const url = `${srv.url}/r/mesh3`;
    const players = [await player(url, 'Ana'), await player(url, 'Bo'), await player(url, 'Cy')];
    expect(await eventually(() => allOpen(players), 1500)).toBe(true);
    const streams = [fixtureEvents('scale.mid'), fixtureEvents('chords.mid'), fixtureEvents('bass.mid')];
    for (let i = 0; i < 3; i++) {
      const events = streams[i]!;
      // In bursts, as a transcriber hands them out.
      for (let j = 0; j < events.length; j++) {
        players[i]!.client.send(events[j]!);
        if (j % 16 === 15) await pause(5);
      }
    }
    const ids = players.map((p) => p.client.state().id);
    const expected = (listener: number) =>
      streams.reduce((sum, events, i) => sum + (i === listener ? 0 : events.length), 0);
    expect(await eventually(() => players.every((p, i) => p.heard.length >= expected(i)), 1500)).toBe(true);
    await pause(200);
    for (let listener = 0; listener < 3; listener++) {
      for (let sender = 0; sender < 3; sender++) {
        if (sender === listener) continue;
        checkExactlyOnceInOrder(players[listener]!.heard, ids[sender]!, streams[sender]!.length);
        // The same notes, in the same order.
        expect(
          players[listener]!.heard.filter((e) => e.from === ids[sender]).map((e) => `${e.type}${e.pitch}`),
        ).toEqual(streams[sender]!.map((e) => `${e.type}${e.pitch}`));
      }
      for (const pair of players[listener]!.mesh.stats()) {
        const sender = ids.indexOf(pair.peer);
        expect(pair.path).toBe('direct');
        expect(pair.direct + pair.relay).toBe(streams[sender]!.length);
        // The direct path is in use: its packets arrive (which path brings each event first is a race on loopback).
        expect(pair.packetsReceived).toBeGreaterThan(0);
      }
    }
  }, 30_000);

  it("the room's state shows each pair's path, round trip and loss; the welcome hands out the server's ICE servers", async () => {
    // A STUN server that is not there: host candidates on loopback still connect.
    const srv = await testServer({ heartbeatMs: 200, iceServers: ['stun:127.0.0.1:9'] });
    open.push(srv);
    const url = `${srv.url}/r/seen`;
    const join = (name: string) =>
      joinSession(url, { name, playout: 0, syncIntervalMs: 50, mesh: { openTimeoutMs: 3000, heartbeatMs: 100 } });
    const clients = [await join('Ana'), await join('Bo')];
    open.push(...clients);
    for (const client of clients) expect(client.iceServersFromServer()).toEqual(['stun:127.0.0.1:9']);
    const pairsSeen = () =>
      srv.roomState('seen')?.players.every((p) => p.stats?.peers?.length === 1 && p.stats.peers[0].path === 'direct');
    expect(await eventually(() => pairsSeen() === true, 1500)).toBe(true);
    const [ana, bo] = srv.roomState('seen')!.players;
    expect(ana.stats!.peers![0]).toMatchObject({ peer: bo.id, path: 'direct', loss: expect.any(Number) });
    expect(ana.stats!.peers![0].loss).toBeGreaterThanOrEqual(0);
  }, 30_000);

  it('a pair whose direct path is blocked goes by the relay within the open timeout, loses nothing, and recovers', async () => {
    const srv = await server();
    const url = `${srv.url}/r/blocked`;
    const ana = await player(url, 'Ana', { openTimeoutMs: 1000, retryMs: 500 });
    // Bo's signalling never leaves: no channel can open between them.
    const boClient = new SessionClient(url, { name: 'Bo', playout: 0 });
    open.push(boClient);
    const signal = boClient.signal.bind(boClient);
    let blocked = true;
    boClient.signal = (to, body) => (blocked ? undefined : signal(to, body));
    const boMesh = attachMesh(boClient, { openTimeoutMs: 1000, retryMs: 500 });
    await boClient.ready;
    const boHeard: SessionEvent[] = [];
    boClient.on('event', (event) => boHeard.push(event));
    const started = performance.now();
    expect(await eventually(() => ana.mesh.stats()[0]?.state === 'failed', 1500)).toBe(true);
    const fellBackAfter = performance.now() - started;
    const events = fixtureEvents('scale.mid');
    for (const event of events) ana.client.send(event);
    expect(await eventually(() => boHeard.length >= events.length, 1500)).toBe(true);
    checkExactlyOnceInOrder(boHeard, 'ana', events.length);
    expect(boMesh.stats()[0]!.relay).toBe(events.length);
    expect(boMesh.stats()[0]!.path).toBe('relay');
    // The fallback is decided by the open timeout, not by luck (a generous bound: loaded CI machines are slow).
    expect(fellBackAfter).toBeLessThan(10_000);
    blocked = false;
    expect(await eventually(() => ana.mesh.stats()[0]?.path === 'direct', 1500)).toBe(true);
    expect(await eventually(() => boMesh.stats()[0]?.path === 'direct', 1500)).toBe(true);
    for (const event of events) ana.client.send(event);
    expect(await eventually(() => boHeard.length >= 2 * events.length, 1500)).toBe(true);
    checkExactlyOnceInOrder(boHeard, 'ana', 2 * events.length);
    expect(boMesh.stats()[0]!.packetsReceived).toBeGreaterThan(0);
  }, 30_000);

  it('a graceful leave ends the pair over signalling without an error, and the leaver’s notes end', async () => {
    const srv = await server();
    const url = `${srv.url}/r/leave`;
    const ana = await player(url, 'Ana');
    const bo = await player(url, 'Bo');
    expect(await eventually(() => allOpen([ana, bo]), 1500)).toBe(true);
    ana.client.send({ type: 'on', time: 0, pitch: 60, velocity: 90 });
    expect(await eventually(() => bo.heard.length === 1)).toBe(true);
    await ana.client.close();
    expect(await eventually(() => bo.played.some((e) => e.type === 'off' && e.pitch === 60))).toBe(true);
    expect(await eventually(() => bo.mesh.stats().length === 0)).toBe(true);
    expect(ana.mesh.stats()).toEqual([]);
  }, 20_000);

  it('a zombie peer (its channel silent for good, its socket still up) is dropped and its notes ended', async () => {
    const srv = await server(60_000);
    const url = `${srv.url}/r/zombie`;
    const ana = await player(url, 'Ana', { heartbeatMs: 200, zombieMs: 1000 });
    let dead = false;
    const bo = await player(url, 'Bo', { heartbeatMs: 200, zombieMs: 1000, impair: () => !dead });
    expect(await eventually(() => allOpen([ana, bo]), 1500)).toBe(true);
    bo.client.send({ type: 'on', time: 0, pitch: 62, velocity: 90 });
    expect(await eventually(() => ana.played.length === 1)).toBe(true);
    // Bo's side of the channel goes silent: no packets, no heartbeats (ICE "disconnected" for ever).
    dead = true;
    const since = performance.now();
    expect(await eventually(() => ana.played.some((e) => e.type === 'off' && e.pitch === 62), 1500)).toBe(true);
    expect(performance.now() - since).toBeLessThan(10_000);
    expect(ana.played.at(-1)!.seq).toBe(0);
    const pair = ana.mesh.stats()[0]!;
    expect(pair.zombies).toBe(1);
    expect(pair.path).toBe('relay');
    // Bo is still in the room: what it plays now comes by the relay.
    bo.client.send({ type: 'on', time: 1, pitch: 64, velocity: 90 });
    expect(await eventually(() => ana.heard.some((e) => e.pitch === 64))).toBe(true);
  }, 30_000);

  it('10 000 events through a mesh of 8: none missing, none twice', async () => {
    // Nine peers' worth of work in one process: a heartbeat that a busy event loop does not miss.
    const srv = await server(2000);
    const url = `${srv.url}/r/eight`;
    const players: Player[] = [];
    for (let i = 0; i < 8; i++) players.push(await player(url, `P${i}`, { openTimeoutMs: 8000 }));
    expect(await eventually(() => allOpen(players), 1500)).toBe(true);
    const perPlayer = 1250;
    for (let j = 0; j < perPlayer; j++) {
      const pitch = 40 + ((j >> 1) % 40);
      for (const p of players) p.client.send({ type: j % 2 ? 'off' : 'on', time: j / 100, pitch, velocity: 80 });
      // About 1000 events a second from each player: far more than anyone plays.
      if (j % 10 === 9) await pause(10);
    }
    const want = perPlayer * 7;
    const done = await eventually(() => players.every((p) => p.heard.length >= want), 3000);
    if (!done)
      for (const p of players) {
        const st = p.client.state();
        const missing = players
          .filter((o) => o !== p)
          .map((o) => {
            const id = o.client.state().id;
            const got = new Set(p.heard.filter((e) => e.from === id).map((e) => e.seq));
            const miss = [];
            for (let k = 1; k <= perPlayer; k++) if (!got.has(k)) miss.push(k);
            return `${id}:${miss.length}[${miss.slice(0, 5)}]`;
          });
        console.log(
          st.id,
          p.heard.length,
          'rec',
          st.reconnects,
          'dup',
          st.duplicates,
          'skipped',
          st.skipped,
          missing.join(' '),
          JSON.stringify(p.mesh.stats().map((x) => [x.peer, x.state, x.direct, x.relay, x.zombies, x.failures])),
        );
      }
    expect(done).toBe(true);
    await pause(300);
    for (const p of players) {
      expect(p.heard.length).toBe(want);
      for (const other of players) {
        if (other === p) continue;
        checkExactlyOnceInOrder(p.heard, other.client.state().id, perPlayer);
      }
    }
    const pairs = players.flatMap((p) => p.mesh.stats());
    const direct = pairs.reduce((sum, s) => sum + s.direct, 0);
    console.log(
      `mesh of 8: ${want * 8} events heard, ${direct} first by the direct path, ${pairs.reduce((sum, s) => sum + s.relay, 0)} by the relay; ` +
        `reconnects ${players.reduce((sum, p) => sum + p.client.state().reconnects, 0)}, zombies ${pairs.reduce((sum, s) => sum + s.zombies, 0)}`,
    );
    expect(direct).toBeGreaterThan(0);
  }, 60_000);

  it('past the mesh size, the others go by the relay', async () => {
    const srv = await server();
    const url = `${srv.url}/r/small`;
    const players = [
      await player(url, 'a1', { maxPeers: 2 }),
      await player(url, 'a2', { maxPeers: 2 }),
      await player(url, 'a3', { maxPeers: 2 }),
    ];
    expect(await eventually(() => players[0]!.mesh.stats()[0]?.path === 'direct', 1500)).toBe(true);
    expect(players[0]!.mesh.stats().map((s) => s.peer)).toEqual(['a2']);
    expect(players[2]!.mesh.stats()).toEqual([]);
    players[2]!.client.send({ type: 'on', time: 0, pitch: 50, velocity: 70 });
    players[2]!.client.send({ type: 'off', time: 0.5, pitch: 50, velocity: 0 });
    expect(await eventually(() => players[0]!.heard.length === 2 && players[1]!.heard.length === 2)).toBe(true);
  }, 20_000);

  it('under 10 % packet loss on the direct path, every note-off arrives and none hangs', async () => {
    const srv = await server();
    const random = seeded(7);
    const ana = await player(`${srv.url}/r/lossy`, 'Ana', { impair: () => random() >= 0.1 });
    // Bo's relay is 40 ms away: what the direct path loses, its redundancy must bring before the relay does.
    const proxy = await jitterProxy(srv.url, () => 40);
    open.push(proxy);
    const bo = await player(`${proxy.url}/r/lossy`, 'Bo');
    expect(await eventually(() => allOpen([ana, bo]), 1500)).toBe(true);
    // The three fixtures, four times over: about 300 events.
    const once = [...fixtureEvents('scale.mid'), ...fixtureEvents('chords.mid'), ...fixtureEvents('bass.mid')];
    const events = [0, 1, 2, 3].flatMap(() => once);
    const sentAt = new Map<number, number>();
    const latency: number[] = [];
    bo.client.on('event', (event) => latency.push(performance.now() - sentAt.get(event.seq)!));
    for (let j = 0; j < events.length; j++) {
      sentAt.set(j + 1, performance.now());
      ana.client.send(events[j]!);
      await pause(1);
    }
    expect(await eventually(() => bo.heard.length >= events.length, 1500)).toBe(true);
    checkExactlyOnceInOrder(bo.heard, 'ana', events.length);
    const sounding = new Set<number>();
    for (const event of bo.heard) {
      if (event.type === 'on') sounding.add(event.pitch);
      if (event.type === 'off') sounding.delete(event.pitch);
    }
    expect(sounding.size).toBe(0);
    expect(bo.heard.filter((e) => e.type === 'off').length).toBe(events.filter((e) => e.type === 'off').length);
    const stats = ana.mesh.stats()[0]!;
    expect(stats.packetsDropped).toBeGreaterThan(0);
    // Redundancy, not the relay, brought nearly everything.
    expect(bo.mesh.stats()[0]!.direct).toBeGreaterThanOrEqual(events.length * 0.95);
    latency.sort((a, b) => a - b);
    console.log(
      `mesh under 10 % loss: ${events.length} events, ${stats.packetsDropped} of ${stats.packetsDropped + stats.packetsSent} packets dropped; ` +
        `latency p50 ${latency[Math.floor(latency.length / 2)]!.toFixed(2)} ms, p99 ${latency[Math.floor(latency.length * 0.99)]!.toFixed(2)} ms; ` +
        `first copies direct ${bo.mesh.stats()[0]!.direct}, by relay ${bo.mesh.stats()[0]!.relay}`,
    );
  }, 30_000);
});

describe('the WebRTC mesh with a real process', () => {
  beforeAll(checkCompiledCli);

  it('--ice-server takes stun: and turn:user:pass@ servers; anything else is a one-line usage error', async () => {
    const run = await runJam(
      ['play', `${FIXTURES}/scale.mid`, '--session', 'ws://127.0.0.1:9/r/x', '--ice-server', 'http://stun.example.org'],
      { cwd: FIXTURES },
    );
    expectOneLineError(run, 2, 'http://stun.example.org', /stun:host\[:port\] or turn:user:password@host/);
  });

  it('a jam play peer killed with SIGKILL: the others end its notes within 10 s and the mesh carries on', async () => {
    // A server heartbeat far longer than the test: only the mesh's zombie detection can end the notes in time.
    const srv = await server(60_000);
    const url = `${srv.url}/r/killed`;
    const ana = await player(url, 'Ana');
    const bo = await player(url, 'Bo');
    const child = spawn(process.execPath, [JAM, 'play', `${FIXTURES}/chords.mid`, '--session', url, '--name', 'Zed'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    try {
      const sounding = () => {
        const held = new Set<number>();
        for (const event of ana.client.state().players.length ? allHeard(ana) : []) {
          if (event.from !== 'zed') continue;
          if (event.type === 'on') held.add(event.pitch);
          if (event.type === 'off') held.delete(event.pitch);
        }
        return held;
      };
      const directFromZed = () => ana.mesh.stats().find((s) => s.peer === 'zed')?.packetsReceived ?? 0;
      expect(await eventually(() => sounding().size > 0 && directFromZed() > 0, 1500), stderr).toBe(true);
      child.kill('SIGKILL');
      const killed = performance.now();
      expect(await eventually(() => sounding().size === 0, 1500)).toBe(true);
      const endedAfter = performance.now() - killed;
      expect(endedAfter).toBeLessThan(10_000);
      console.log(`notes of a SIGKILLed peer ended after ${Math.round(endedAfter)} ms`);
      // The mesh carries on between the others.
      const before = bo.heard.length;
      ana.client.send({ type: 'on', time: 0, pitch: 64, velocity: 80 });
      ana.client.send({ type: 'off', time: 0.1, pitch: 64, velocity: 0 });
      expect(await eventually(() => bo.heard.length === before + 2)).toBe(true);
      expect(await eventually(() => bo.mesh.stats().find((s) => s.peer === 'ana')?.path === 'direct', 1500)).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
