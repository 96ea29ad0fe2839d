#!/usr/bin/env node
// The session layer's figures, side by side with the goals, on the compiled dist/. The server runs in its
// own process (as `jam serve` would), the clients in this one, all on loopback:
//   fan-out       one player's events relayed to every listener of a room: messages delivered per second
//   latency       send → receive added by the server on loopback, p50 / p99 (one process's clock at both ends),
//                 beside the same through a bare ws relay (what this machine, under its current load, gives any relay)
//   clock sync    median error of clients' session-clock estimates against an offset the server imposes
//   memory        the server's peak RSS with 1 000 connected clients (and its RSS when idle, for reference)
//   reconnect     events lost or doubled when every listener's link is cut twice mid-stream
//   live path     a fixture played in real time through jam live's pipeline into a room: what the session adds,
//                 from an event leaving the transcriber to a listener (playout 0) having it
// Options: --listeners N (fan-out room size, default 50), --events N (fan-out events, default 4000).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

const SESSION = '../dist/session/index.js';
const GOALS = { fanout: 100_000, p50: 1, p99: 3, clockError: 1, lost: 0, liveAdded: 5 };
/** The offset the server's clock runs ahead by, which clients must find. */
const IMPOSED_MS = 7_200_000 + 42.4242;
const CLIENTS_FOR_MEMORY = 1000;
/** Played in real time through the live path, one after the other. */
const LIVE_FIXTURES = ['scale.wav', 'chords.wav', 'bass.flac', 'bend.ogg'];
const LATENCY_ROUNDS = 3;
const EVENT_KIND = Buffer.from('"kind":"event"');

function argument(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
};

// --- the server process ---------------------------------------------------------------------------------------

/** A bare ws relay (no protocol, no checks): what this machine gives any WebSocket relay, for reference. */
async function bareRelayProcess() {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) =>
    ws.on('message', (data) => {
      for (const other of wss.clients) if (other !== ws) other.send(data, { binary: false });
    }),
  );
  process.on('message', (message) => message === 'stop' && (wss.close(), process.exit(0)));
  process.send({ url: `ws://127.0.0.1:${wss.address().port}` });
}

async function serverProcess() {
  const { startSessionServer } = await import(SESSION);
  const options = JSON.parse(process.argv[3]);
  if (options.imposeOffset) options.clock = () => performance.timeOrigin + performance.now() + IMPOSED_MS;
  const server = await startSessionServer({ port: 0, host: '127.0.0.1', ...options });
  let peak = process.memoryUsage.rss();
  // Sampled only where memory is the measure: the sampling itself costs the server time.
  if (options.sampleMemory) setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20).unref();
  process.on('message', async (message) => {
    if (message === 'rss')
      process.send({
        rss: process.memoryUsage.rss(),
        peak: Math.max(peak, process.memoryUsage.rss()),
        counts: server.counts(),
      });
    if (message === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
  process.send({ url: server.url });
}

/** Starts a server process; resolves with its URL and a way to ask it things. */
async function startServer(options = {}, mode = 'server') {
  const child = fork(fileURLToPath(import.meta.url), [mode, JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise((resolve) => child.once('message', (message) => resolve(message.url)));
  return {
    url,
    ask: () => new Promise((resolve) => (child.once('message', resolve), child.send('rss'))),
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.send('stop'))),
  };
}

// --- raw protocol peers (fast: no parsing beyond what is measured) -----------------------------------------------

async function rawPeer(url, hello, onMessage = () => {}) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('error', () => {});
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  const welcomed = new Promise((resolve) => ws.once('message', resolve));
  ws.on('message', onMessage);
  ws.send(JSON.stringify({ v: 1, kind: 'hello', ...hello }));
  await welcomed;
  return ws;
}

// --- the measures --------------------------------------------------------------------------------------------------

async function fanout(listenerCount, eventCount) {
  const server = await startServer({
    maxPeoplePerRoom: listenerCount + 2,
    rate: { perSecond: 1e7, burst: 1e7 },
    slowConsumerBytes: 64 * 1024 * 1024,
  });
  const url = `${server.url}/r/fanout`;
  let received = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const total = listenerCount * eventCount;
  const listeners = [];
  for (let i = 0; i < listenerCount; i++) {
    listeners.push(
      await rawPeer(
        url,
        { role: 'listener', name: `l${i}` },
        (data) => data.includes(EVENT_KIND) && ++received === total && done(),
      ),
    );
  }
  const player = await rawPeer(url, { role: 'player', name: 'p' });
  const started = performance.now();
  for (let seq = 1; seq <= eventCount; seq++) {
    player.send(`{"v":1,"kind":"event","seq":${seq},"stamp":${seq},"type":"on","time":0,"pitch":60,"velocity":100}`);
    // Keep the player's own socket from queueing everything at once.
    if (seq % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.race([finished, sleep(60_000)]);
  const seconds = (performance.now() - started) / 1000;
  const { counts } = await server.ask();
  for (const ws of [...listeners, player]) ws.terminate();
  await server.stop();
  return { perSecond: received / seconds, received, total, dropped: counts.dropped, fanoutP99: counts.fanoutP99 };
}

async function latency(count) {
  const { joinSession } = await import(SESSION);
  const server = await startServer();
  const url = `${server.url}/r/latency`;
  const player = await joinSession(url, { name: 'p' });
  const listener = await joinSession(url, { role: 'listener', playout: 0 });
  const sentAt = new Map();
  const delays = [];
  listener.on('event', (event) => delays.push(performance.now() - sentAt.get(event.seq)));
  for (let i = 1; i <= count; i++) {
    sentAt.set(i, performance.now());
    player.send({ type: i % 2 ? 'on' : 'off', time: i / 1000, pitch: 60, velocity: i % 2 ? 100 : 0 });
    await sleep(2);
  }
  for (let i = 0; i < 200 && delays.length < count; i++) await sleep(10);
  await player.close();
  await listener.close();
  await server.stop();
  return { p50: quantile(delays, 0.5), p99: quantile(delays, 0.99), count: delays.length };
}

/** The same measure through a bare relay, with bare sockets at both ends. */
async function bareLatency(count) {
  const relay = await startServer({}, 'bare-relay');
  const open = async () => {
    const ws = new WebSocket(relay.url, { perMessageDeflate: false });
    await new Promise((resolve) => ws.once('open', resolve));
    return ws;
  };
  const sender = await open();
  const receiver = await open();
  const delays = [];
  receiver.on('message', (data) => delays.push(performance.now() - JSON.parse(data).sent));
  for (let i = 1; i <= count; i++) {
    sender.send(JSON.stringify({ sent: performance.now(), pitch: 60 }));
    await sleep(2);
  }
  for (let i = 0; i < 200 && delays.length < count; i++) await sleep(10);
  sender.terminate();
  receiver.terminate();
  await relay.stop();
  return { p50: quantile(delays, 0.5), p99: quantile(delays, 0.99) };
}

async function clockSync(clients) {
  const { joinSession, median } = await import(SESSION);
  const server = await startServer({ imposeOffset: true });
  const truth = IMPOSED_MS;
  const errors = [];
  for (let i = 0; i < clients; i++) {
    const client = await joinSession(`${server.url}/r/clock`, { name: `c${i}`, role: 'listener', syncIntervalMs: 20 });
    await sleep(40 * 20);
    errors.push(Math.abs(client.state().clockOffset - truth));
    await client.close();
  }
  await server.stop();
  return { median: median(errors), worst: Math.max(...errors), clients };
}

async function memory(count) {
  const server = await startServer({ maxClients: count + 10, maxRooms: 100, sampleMemory: true });
  const idle = (await server.ask()).rss;
  const peers = [];
  const rooms = Math.ceil(count / 50);
  for (let i = 0; i < count; i++) {
    const room = i % rooms;
    peers.push(rawPeer(`${server.url}/r/room${room}`, { role: i < rooms ? 'player' : 'listener', name: `c${i}` }));
    if (i % 100 === 99) await Promise.all(peers.slice(-100));
  }
  const sockets = await Promise.all(peers);
  // Every room's player plays a little, so history and fan-out are part of the picture.
  for (let seq = 1; seq <= 200; seq++) {
    for (let room = 0; room < rooms; room++)
      sockets[room].send(
        `{"v":1,"kind":"event","seq":${seq},"stamp":${seq},"type":"on","time":0,"pitch":60,"velocity":100}`,
      );
    if (seq % 20 === 0) await sleep(5);
  }
  await sleep(500);
  const { peak, counts } = await server.ask();
  for (const ws of sockets) ws.terminate();
  await server.stop();
  return { idle, peak, connections: counts.connections };
}

async function reconnect(listenerCount, eventCount) {
  const { joinSession, MADE_HERE } = await import(SESSION);
  const server = await startServer({ maxPeoplePerRoom: listenerCount + 2 });
  const url = `${server.url}/r/reconnect`;
  const options = { reconnect: { baseMs: 20, maxMs: 200 } };
  const player = await joinSession(url, { name: 'p', ...options });
  const listeners = await Promise.all(
    Array.from({ length: listenerCount }, (_, i) =>
      joinSession(url, { name: `l${i}`, role: 'listener', playout: 0, ...options }),
    ),
  );
  const heard = listeners.map(() => []);
  listeners.forEach((listener, i) =>
    listener.on('event', (event) => event.seq !== MADE_HERE && heard[i].push(event.seq)),
  );
  for (let i = 1; i <= eventCount; i++) {
    player.send({ type: i % 2 ? 'on' : 'off', time: i / 100, pitch: 64, velocity: i % 2 ? 90 : 0 });
    if (i === Math.floor(eventCount / 3) || i === Math.floor((2 * eventCount) / 3))
      for (const listener of listeners) listener.ws.terminate();
    if (i % 20 === 0) await sleep(2);
  }
  for (let i = 0; i < 1000 && heard.some((seqs) => seqs.length < eventCount); i++) await sleep(10);
  let lost = 0;
  let doubled = 0;
  for (const seqs of heard) {
    const unique = new Set(seqs);
    doubled += seqs.length - unique.size;
    for (let seq = 1; seq <= eventCount; seq++) if (!unique.has(seq)) lost++;
  }
  const reconnects = listeners.reduce((sum, listener) => sum + listener.state().reconnects, 0);
  await Promise.all([player, ...listeners].map((client) => client.close()));
  await server.stop();
  return { lost, doubled, reconnects, expected: listenerCount * eventCount };
}

/** The live path into a room: each event's time from the pipeline's sinks to a listener that plays on arrival. */
async function livePath(fixtures) {
  const { joinSession, sessionSink, MADE_HERE } = await import(SESSION);
  const { Transcribe } = await import('../dist/index.js');
  const { runLive } = await import('../dist/live/pipeline.js');
  const { openFileSource } = await import('../dist/live/sources.js');
  const server = await startServer({});
  const url = `${server.url}/r/live`;
  const player = await joinSession(url, { name: 'guitar' });
  const listener = await joinSession(url, { name: 'ear', role: 'listener', playout: 0 });
  const left = [];
  const arrived = new Map();
  listener.on('event', (event) => event.seq !== MADE_HERE && arrived.set(event.seq, performance.now()));
  const timing = { write: () => void left.push(performance.now()), close: () => {} };
  const engine = await Transcribe.loadEngine('onnx', 1);
  for (const fixture of fixtures) {
    const file = fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url));
    // The timing sink first: the session sink then sends the same event at once.
    await runLive({
      source: await openFileSource(file, { realtime: true }),
      transcriber: new Transcribe.StreamingTranscriber(engine, {}),
      sinks: [timing, sessionSink(player)],
    });
  }
  for (let i = 0; i < 300 && arrived.size < left.length; i++) await sleep(10);
  const added = left.flatMap((at, i) => (arrived.has(i + 1) ? [arrived.get(i + 1) - at] : []));
  await Promise.all([player.close(), listener.close()]);
  await Transcribe.closeEngine(engine);
  await server.stop();
  return { events: left.length, heard: added.length, p50: quantile(added, 0.5), p99: quantile(added, 0.99) };
}

// --- report ------------------------------------------------------------------------------------------------------

function row(name, value, goal, ok) {
  console.log(
    `${name.padEnd(52)} ${value.padEnd(26)} ${goal.padEnd(14)} ${ok === undefined ? '' : ok ? 'met' : 'NOT met'}`,
  );
}

async function main() {
  const listeners = argument('listeners', 50);
  const events = argument('events', 4000);
  const os = await import('node:os');
  // Other processes' load shows in the tail latencies: print it beside the figures.
  console.log(
    `jam session bench: node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}, loopback\n`,
  );
  console.log(`${'measure'.padEnd(52)} ${'this run'.padEnd(26)} ${'goal'.padEnd(14)}`);
  const f = await fanout(listeners, events);
  row(
    `fan-out (1 player → ${listeners} listeners)`,
    `${Math.round(f.perSecond).toLocaleString('en')} msg/s`,
    `≥ ${GOALS.fanout.toLocaleString('en')}/s`,
    f.perSecond >= GOALS.fanout,
  );
  row('  delivered / skipped for slow clients', `${f.received} / ${f.dropped}`, `${f.total} / 0`);
  row('  server fan-out time per message, p99', `${f.fanoutP99.toFixed(3)} ms`, '');
  // Rounds of the session and a bare relay in turn, so both see the machine's load alike; medians of the rounds.
  const rounds = [];
  for (let round = 0; round < LATENCY_ROUNDS; round++)
    rounds.push({ session: await latency(2000), bare: await bareLatency(2000) });
  const middle = (pick) => quantile(rounds.map(pick), 0.5);
  const l = { p50: middle((r) => r.session.p50), p99: middle((r) => r.session.p99) };
  const bare = { p50: middle((r) => r.bare.p50), p99: middle((r) => r.bare.p99) };
  row(
    `send → receive on loopback, p50 (median of ${LATENCY_ROUNDS})`,
    `${l.p50.toFixed(3)} ms`,
    `≤ ${GOALS.p50} ms`,
    l.p50 <= GOALS.p50,
  );
  row(
    `send → receive on loopback, p99 (median of ${LATENCY_ROUNDS})`,
    `${l.p99.toFixed(3)} ms`,
    `≤ ${GOALS.p99} ms`,
    l.p99 <= GOALS.p99,
  );
  row('  the same through a bare ws relay, p50/p99', `${bare.p50.toFixed(3)} / ${bare.p99.toFixed(3)} ms`, 'reference');
  const c = await clockSync(10);
  row(
    `clock-sync error, median of ${c.clients} clients`,
    `${c.median.toFixed(3)} ms (worst ${c.worst.toFixed(3)})`,
    `≤ ${GOALS.clockError} ms`,
    c.median <= GOALS.clockError,
  );
  const m = await memory(CLIENTS_FOR_MEMORY);
  row(
    `server peak RSS, ${m.connections} clients connected`,
    `${(m.peak / 2 ** 20).toFixed(0)} MiB (idle ${(m.idle / 2 ** 20).toFixed(0)})`,
    'reported',
  );
  const r = await reconnect(20, 1500);
  row(
    `lost after 2 cuts of 20 listeners' links`,
    `${r.lost} lost, ${r.doubled} doubled`,
    `${GOALS.lost}`,
    r.lost === 0 && r.doubled === 0,
  );
  row('  reconnects / events expected', `${r.reconnects} / ${r.expected}`, '');
  const live = await livePath(LIVE_FIXTURES);
  row(
    'jam live → server → listener, added p99 (4 fixtures)',
    `${live.p99.toFixed(3)} ms (p50 ${live.p50.toFixed(3)})`,
    `≤ ${GOALS.liveAdded} ms`,
    live.p99 <= GOALS.liveAdded,
  );
  row('  events sent / heard', `${live.events} / ${live.heard}`, '');
}

if (process.argv[2] === 'server') await serverProcess();
else if (process.argv[2] === 'bare-relay') await bareRelayProcess();
else await main();
