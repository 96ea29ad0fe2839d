/**
 * Jam sessions end to end, every part a real process: `jam serve`, players (`jam live --session`, `jam play
 * --session`) and a listener (`jam join`), over real sockets on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, it, test } from 'vitest';
import { midiNotes, notesToMidiBytes } from '../../src/api/midi.js';
import { checkCompiledCli, expectOneLineError, FIXTURES, JAM, lines, runJam } from '../helpers/cli.js';

beforeAll(checkCompiledCli);

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: Running[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const { child } of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function start(args: string[], cwd: string): Running {
  const child = spawn(process.execPath, [JAM, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const process_ = { child, stderr: () => stderr, exited };
  running.push(process_);
  return process_;
}

/** Waits (a bounded number of times) until `check` holds; returns whether it did. */
async function waitFor(check: () => boolean, { tries = 200, every = 100 } = {}): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (check()) return true;
    await sleep(every);
  }
  return check();
}

/** A server on a free port: its ws:// address, read from what it prints. */
async function startServer(cwd: string, extra: string[] = []): Promise<string> {
  const server = start(['serve', '--port', '0', ...extra], cwd);
  const announced = await waitFor(() => /serving jam sessions at (ws:\/\/\S+?);/.test(server.stderr()));
  expect(announced, server.stderr()).toBe(true);
  return /serving jam sessions at (ws:\/\/\S+?);/.exec(server.stderr())![1];
}

function readLines(file: string): Record<string, unknown>[] {
  return existsSync(file) ? lines(readFileSync(file, 'utf8')).map((line) => JSON.parse(line)) : [];
}

/** A live event's own fields, as `jam live --events` writes them. */
function liveFields(event: Record<string, unknown>): Record<string, unknown> {
  const { type, time, pitch, velocity, value } = event;
  return type === 'bend' ? { type, time, pitch, value } : { type, time, pitch, velocity };
}

/** Whether a listener is in the room, asked with `jam session` a bounded number of times. */
async function listenerJoined(url: string, cwd: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const state = await runJam(['session', url, '--json'], { cwd });
    if (state.code === 0 && JSON.parse(state.stdout).players.some((p: { role: string }) => p.role === 'listener'))
      return true;
    await sleep(100);
  }
  return false;
}

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'jam-session-'));
  folders.push(folder);
  return folder;
}

describe('jam sessions, every part a real process', () => {
  test('two jam live players and a jam join listener: the listener hears each player exactly as jam live --events gives it, in order, once', async () => {
    const cwd = tempFolder();
    const url = `${await startServer(cwd)}/r/tuesday`;
    const heard = join(cwd, 'heard.ndjson');
    const listener = start(['join', url, '--events', heard, '--record', 'room.mid'], cwd);
    expect(await listenerJoined(url, cwd), listener.stderr()).toBe(true);

    const players = { Ana: 'scale.wav', Bo: 'chords.wav' };
    const [expectedAna, expectedBo, ...played] = await Promise.all([
      runJam(['live', join(FIXTURES, players.Ana), '--events', '-'], { cwd }),
      runJam(['live', join(FIXTURES, players.Bo), '--events', '-'], { cwd }),
      ...Object.entries(players).map(([name, file]) =>
        runJam(['live', join(FIXTURES, file), '--session', url, '--name', name], { cwd }),
      ),
    ]);
    for (const run of played) expect(run.code, run.stderr).toBe(0);
    const expected = {
      Ana: lines(expectedAna.stdout).map((line) => JSON.parse(line)),
      Bo: lines(expectedBo.stdout).map((line) => JSON.parse(line)),
    };
    expect(expected.Ana.length).toBeGreaterThan(10);
    expect(expected.Bo.length).toBeGreaterThan(10);

    const total = expected.Ana.length + expected.Bo.length;
    await waitFor(() => readLines(heard).length >= total);
    listener.child.kill('SIGTERM');
    expect(await listener.exited).toBe(143);

    const events = readLines(heard);
    for (const name of Object.keys(players) as (keyof typeof players)[]) {
      const theirs = events.filter((event) => event.player === name);
      expect(theirs.map(liveFields), name).toEqual(expected[name]);
      const sequences = theirs.map((event) => event.seq as number);
      expect(new Set(sequences).size, `${name}: each event once`).toBe(sequences.length);
    }
    expect(events).toHaveLength(total);

    // The room's file: a named track per player, holding each one's notes.
    const tracks = new Map<string, number>();
    const room = readFileSync(join(cwd, 'room.mid'));
    for (const note of midiNotes(room, 'room.mid')) expect(note.end).toBeGreaterThanOrEqual(note.start);
    const { Midi } = (await import('@tonejs/midi')).default;
    for (const track of new Midi(room).tracks) tracks.set(track.name, track.notes.length);
    expect([...tracks.keys()].sort()).toEqual(['Ana', 'Bo']);
    for (const name of ['Ana', 'Bo'] as const)
      expect(tracks.get(name)).toBe(expected[name].filter((event) => event.type === 'on').length);
  });

  test('a player killed with SIGKILL mid-phrase: the listener ends every note of theirs within the heartbeat limit', async () => {
    const cwd = tempFolder();
    const url = `${await startServer(cwd)}/r/kill`;
    // A long chord that is still sounding when the player is killed.
    const held = [60, 64, 67].map((pitch) => ({ pitch, start: 0.2, end: 30, velocity: 90 }));
    writeFileSync(join(cwd, 'held.mid'), notesToMidiBytes(held));
    const heard = join(cwd, 'heard.ndjson');
    start(['join', url, '--events', heard], cwd);
    expect(await listenerJoined(url, cwd)).toBe(true);
    const player = start(['play', 'held.mid', '--session', url, '--name', 'Cy'], cwd);
    expect(await waitFor(() => readLines(heard).filter((event) => event.type === 'on').length === 3)).toBe(true);
    const killedAt = Date.now();
    player.child.kill('SIGKILL');
    const ended = await waitFor(() => readLines(heard).filter((event) => event.type === 'off').length === 3, {
      tries: 150,
    });
    expect(ended, JSON.stringify(readLines(heard))).toBe(true);
    const heartbeatLimitMs = 10_000;
    expect(Date.now() - killedAt).toBeLessThan(heartbeatLimitMs + 2000);
    const offs = readLines(heard).filter((event) => event.type === 'off');
    expect(offs.map((event) => event.pitch).sort()).toEqual([60, 64, 67]);
  });

  test('jam session shows the players, their links and the tempo; --json for scripts', async () => {
    const cwd = tempFolder();
    const url = `${await startServer(cwd)}/r/state`;
    start(['join', url, '--events', 'heard.ndjson', '--name', 'Dee'], cwd);
    expect(await listenerJoined(url, cwd)).toBe(true);
    const table = await runJam(['session', url], { cwd });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^room state \(epoch \d+\): 120 bpm, 4 beats a bar/);
    expect(table.stdout).toMatch(/^Dee\s+listener\s+realtime\s+up/m);
    const json = JSON.parse((await runJam(['session', url, '--json'], { cwd })).stdout);
    expect(json.room).toBe('state');
    expect(json.players.map((p: { name: string }) => p.name)).toEqual(['Dee']);

    const waltz = await runJam(['session', url, '--tempo', '96', '--meter', '3'], { cwd });
    expect(waltz.code, waltz.stderr).toBe(0);
    expect(waltz.stdout).toMatch(/^room state \(epoch \d+\): 96 bpm, 3 beats a bar/);
    expect(JSON.parse((await runJam(['session', url, '--json'], { cwd })).stdout).tempo).toMatchObject({
      bpm: 96,
      meter: 3,
    });
  });

  test('with a secret, only signed links get in: jam token makes one; forged, expired and wrong-room ones are refused', async () => {
    const cwd = tempFolder();
    const secret = 'a-secret-of-thirty-two-characters';
    writeFileSync(join(cwd, 'secret'), secret);
    const server = await startServer(cwd, ['--secret-file', 'secret']);
    const token = (args: string[]) =>
      runJam(['token', '--secret-file', 'secret', '--server', server, ...args], { cwd });
    const link = (await token(['--room', 'band', '--name', 'Eve'])).stdout.trim();
    expect(link).toMatch(new RegExp(`^${server}/r/band\\?token=[\\w-]+\\.[\\w-]+$`));
    expect((await runJam(['session', link, '--json'], { cwd })).code).toBe(0);

    const unsigned = await runJam(['session', `${server}/r/band`], { cwd });
    expectOneLineError(unsigned, 1, server, /token/);
    const forged = link.replace(/\.[\w-]+$/, '.AAAA');
    expectOneLineError(await runJam(['session', forged], { cwd }), 1, server, /signed|forged/);
    const other = (await token(['--room', 'other', '--name', 'Eve'])).stdout.trim();
    const wrongRoom = other.replace('/r/other', '/r/band');
    expectOneLineError(await runJam(['session', wrongRoom], { cwd }), 1, server, /room/);
    const expired = (await token(['--room', 'band', '--name', 'Eve', '--ttl', '1s'])).stdout.trim();
    await sleep(1500);
    expectOneLineError(await runJam(['session', expired], { cwd }), 1, server, /expired/);
  });

  test('jam serve stopped with SIGTERM tells everyone goodbye: it exits 0, and so does a listener with nowhere to go', async () => {
    const cwd = tempFolder();
    const server = start(['serve', '--port', '0'], cwd);
    expect(await waitFor(() => /serving jam sessions at (ws:\/\/\S+?);/.test(server.stderr()))).toBe(true);
    const url = `${/serving jam sessions at (ws:\/\/\S+?);/.exec(server.stderr())![1]}/r/bye`;
    const listener = start(['join', url, '--events', 'heard.ndjson'], cwd);
    expect(await listenerJoined(url, cwd)).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toMatch(/stopping: telling everyone goodbye/);
    expect(await listener.exited).toBe(0);
  });

  test('what the user did wrong, in one line', async () => {
    const cwd = tempFolder();
    expectOneLineError(await runJam(['join', 'http://x/r/a', '--events', '-'], { cwd }), 2, 'http://x/r/a', /ws:\/\//);
    expectOneLineError(await runJam(['join', 'ws://127.0.0.1:9/r/a'], { cwd }), 2, '--events', /somewhere/);
    expectOneLineError(
      await runJam(['join', 'ws://h/r/a', '--events', '-', '--playout', 'soon'], { cwd }),
      2,
      '--playout soon',
      /auto/,
    );
    expectOneLineError(
      await runJam(['token', '--room', 'a', '--name', 'b', '--secret', 'short'], { cwd }),
      2,
      'secret',
      /16/,
    );
    expectOneLineError(
      await runJam(['token', '--room', 'a b', '--name', 'b', '--secret', 'x'.repeat(20)], { cwd }),
      2,
      '--room a b',
      /letters/,
    );
    expectOneLineError(await runJam(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd }), 1, '0.0.0.0', /--secret/);
    expectOneLineError(
      await runJam(['session', 'ws://127.0.0.1:9/r/a', '--tempo', '2'], { cwd }),
      2,
      '--tempo 2',
      /20/,
    );
    const noRoom = await runJam(
      ['live', join(FIXTURES, 'scale.wav'), '--session', 'ws://127.0.0.1:9/r/a', '--record', 'take.mid'],
      { cwd },
    );
    expectOneLineError(noRoom, 1, 'ws://127.0.0.1:9/r/a', /no jam server answers/);
    expect(existsSync(join(cwd, 'take.mid')), 'no file left behind').toBe(false);
    const nobody = await runJam(['session', 'ws://127.0.0.1:9/r/a'], { cwd });
    expectOneLineError(nobody, 1, 'ws://127.0.0.1:9/r/a', /no jam server answers/);
  });
});

describe("jam session's table", () => {
  it('lists each player with their link, then each pair of the mesh with its path, round trip and loss', async () => {
    const { stateTable } = await import('../../src/cli/session.js');
    const link = { rtt: 0.4, offset: 0.1, jitter: 0.2, playout: 20, sent: 10, received: 12, late: 0 };
    const player = { role: 'player' as const, sync: 'realtime' as const, bars: 1, connected: true };
    const table = stateTable({
      kind: 'state',
      room: 'tuesday',
      epoch: 7,
      tempo: { bpm: 100, meter: 4, origin: 0 },
      messagesIn: 30,
      messagesOut: 40,
      skipped: 0,
      players: [
        {
          ...player,
          id: 'ana',
          name: 'Ana',
          stats: { ...link, peers: [{ peer: 'bo', path: 'direct', rtt: 0.31, loss: 0 }] },
        },
        { ...player, id: 'bo', name: 'Bo', stats: { ...link, peers: [{ peer: 'ana', path: 'relay', loss: 0.25 }] } },
      ],
    });
    expect(table).toMatch(/^room tuesday \(epoch 7\): 100 bpm, 4 beats a bar; 30 messages in, 40 out, 0 skipped/);
    expect(table).toMatch(/^Ana\s+player\s+realtime\s+up\s+0\.4 ms\s+0\.1 ms\s+0\.2 ms\s+20\.0 ms\s+10\s+12\s+0$/m);
    expect(table).toContain(
      'pairs (the mesh):\n  Ana → Bo: direct, round trip 0.3 ms, 0% loss\n  Bo → Ana: relay, round trip -, 25% loss',
    );
  });
});
