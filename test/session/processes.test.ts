import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MADE_HERE, type SessionEvent, type SessionServer } from '../../src/session/index.js';
import { eventually, testServer } from './helpers.js';
import { phraseOf } from './peer.js';

/** vite-node (which comes with vitest) runs the TypeScript peer as its own process. */
const VITE_NODE = fileURLToPath(new URL('../../node_modules/.bin/vite-node', import.meta.url));
const PEER = fileURLToPath(new URL('./peer.ts', import.meta.url));

interface Peer {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

function peer(...args: string[]): Peer {
  const child = spawn(VITE_NODE, [PEER, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

let server: SessionServer | undefined;
const peers: Peer[] = [];
afterEach(async () => {
  for (const { child } of peers.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await server?.close();
  server = undefined;
});

const strip = ({ from: _f, seq: _s, stamp: _t, ...event }: SessionEvent) => event;

describe('players and a listener as separate processes', () => {
  it("the listener plays each player's events in order, exactly once", async () => {
    server = await testServer();
    const url = `${server.url}/r/processes`;
    const listener = peer(url, 'listener', 'Ears');
    peers.push(listener);
    expect(await eventually(() => listener.lines.includes('ready'), 3000)).toBe(true);
    const players = [peer(url, 'player', 'Guitar', '400'), peer(url, 'player', 'Keyboard', '300')];
    peers.push(...players);
    const events = () =>
      listener.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as SessionEvent);
    expect(await eventually(() => events().filter((event) => event.seq !== MADE_HERE).length >= 700, 3000)).toBe(true);
    for (const player of players) player.child.stdin!.end();
    await Promise.all(players.map((player) => player.exited));
    const played = events().filter((event) => event.seq !== MADE_HERE);
    expect(played.filter((event) => event.from === 'guitar').map(strip)).toEqual(phraseOf('Guitar', 400));
    expect(played.filter((event) => event.from === 'keyboard').map(strip)).toEqual(phraseOf('Keyboard', 300));
    listener.child.stdin!.end();
    expect(await listener.exited).toBe(0);
  });

  it("a player killed with SIGKILL: the listener's notes from it all end", async () => {
    server = await testServer({ heartbeatMs: 500 });
    const url = `${server.url}/r/sigkill`;
    const listener = peer(url, 'listener', 'Ears');
    peers.push(listener);
    expect(await eventually(() => listener.lines.includes('ready'), 3000)).toBe(true);
    const doomed = peer(url, 'hold', 'Doomed', '4');
    peers.push(doomed);
    const sounding = () => {
      const notes = new Set<number>();
      for (const line of listener.lines.filter((text) => text.startsWith('{'))) {
        const event = JSON.parse(line) as SessionEvent;
        if (event.type === 'on') notes.add(event.pitch);
        if (event.type === 'off') notes.delete(event.pitch);
      }
      return notes.size;
    };
    expect(await eventually(() => sounding() === 4, 3000)).toBe(true);
    doomed.child.kill('SIGKILL');
    // The kernel closes a killed process's sockets, so the drop is seen at once; a hung one within two heartbeats.
    expect(await eventually(() => sounding() === 0, 300)).toBe(true);
    listener.child.kill('SIGTERM');
    expect(await listener.exited).toBe(0);
  });
});
