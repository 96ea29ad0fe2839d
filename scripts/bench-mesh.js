/**
 * The WebRTC mesh's figures, run by `npm run bench:session` after the relay's: added latency on loopback by the
 * direct path against the relay path (p50, p99; the goal for direct is p99 ≤ 2 ms), events a second through one
 * pair, the CPU of a mesh of 8 Node peers, and the measurement behind the channel settings: unordered with
 * `maxRetransmits: 0` plus redundancy against ordered and reliable, through a UDP proxy that drops 5 % of packets.
 * Loopback only; everything stops by itself.
 */
import dgram from 'node:dgram';
import nodeDataChannel from 'node-datachannel';
import { joinSession, startSessionServer } from '../dist/session/index.js';
import { meshOf } from '../dist/session/mesh/node.js';

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pct = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
};
const ms = (x) => `${x.toFixed(2)} ms`;
async function until(condition, tries = 1000, step = 10) {
  for (let i = 0; i < tries && !condition(); i++) await pause(step);
  return condition();
}

const server = await startSessionServer({ port: 0, host: '127.0.0.1' });

/** One sender and one receiver; the receiver's arrival time of each seq, by the path that brought it first. */
async function latencyPair(room, mesh) {
  const url = `${server.url}/r/${room}`;
  const sender = await joinSession(url, { name: 'Sender', playout: 0, ...(mesh ? { mesh: {} } : {}) });
  const receiver = await joinSession(url, { name: 'Receiver', playout: 0, ...(mesh ? { mesh: {} } : {}) });
  if (mesh)
    await until(() => meshOf(receiver)?.stats()[0]?.path === 'direct' && meshOf(sender)?.stats()[0]?.path === 'direct');
  return { sender, receiver };
}

async function measureLatency(pair, count = 2000, gapMs = 2) {
  const sentAt = new Map();
  const latency = { direct: [], relay: [] };
  pair.receiver.on('accepted', ({ seq, path }) => {
    const at = sentAt.get(seq);
    if (at !== undefined) latency[path].push(performance.now() - at);
  });
  const first = pair.sender.state().sent + 1;
  for (let i = 0; i < count; i++) {
    sentAt.set(first + i, performance.now());
    pair.sender.send({ type: i % 2 ? 'off' : 'on', time: i / 100, pitch: 60 + (i % 12), velocity: 80 });
    await pause(gapMs);
  }
  await until(() => latency.direct.length + latency.relay.length >= count, 500);
  return latency;
}

console.log('jam session mesh: WebRTC data channels (node-datachannel) beside the server relay, on loopback');

if (!process.env.ONLY_LOSS) {
  // 1. Added latency: direct against relay.
  {
    const relayPair = await latencyPair('latency-relay', false);
    const relay = await measureLatency(relayPair);
    const meshPair = await latencyPair('latency-mesh', true);
    const mesh = await measureLatency(meshPair);
    const all = [...mesh.direct, ...mesh.relay];
    console.log('\nadded latency, send → the receiver takes it (2000 events, 2 ms apart)');
    console.log(`  relay path only     p50 ${ms(pct(relay.relay, 0.5))}  p99 ${ms(pct(relay.relay, 0.99))}`);
    console.log(
      `  mesh, direct copies p50 ${ms(pct(mesh.direct, 0.5))}  p99 ${ms(pct(mesh.direct, 0.99))}  ` +
        `(goal p99 ≤ 2 ms: ${pct(mesh.direct, 0.99) <= 2 ? 'met' : 'NOT met'}); first copy of all: p99 ${ms(pct(all, 0.99))}, ` +
        `${mesh.direct.length} came direct first, ${mesh.relay.length} by the relay`,
    );
    for (const c of [relayPair.sender, relayPair.receiver, meshPair.sender, meshPair.receiver]) await c.close();
  }

  // 2. Events a second through one pair, by the direct path.
  {
    const pair = await latencyPair('throughput', true);
    const total = 20_000;
    let direct = 0;
    let lastAt = 0;
    pair.receiver.on('accepted', ({ path }) => {
      if (path !== 'direct') return;
      direct++;
      lastAt = performance.now();
    });
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      pair.sender.send({ type: i % 2 ? 'off' : 'on', time: i / 1000, pitch: 40 + (i % 40), velocity: 80 });
      // Bursts of 20 events, as fast as the timers go.
      if (i % 20 === 19) await pause(1);
    }
    await until(() => direct >= total * 0.99 && performance.now() - lastAt > 300, 2000, 5);
    const seconds = (lastAt - started) / 1000;
    console.log(
      `\nthroughput: ${total} events from one player, ${direct} taken direct first in ${seconds.toFixed(2)} s: ` +
        `${Math.round(direct / seconds)} events/s through one pair (the relay paces a player at 800/s)`,
    );
    const stats = meshOf(pair.sender).stats()[0];
    console.log(
      `  sender: ${stats.packetsSent} packets sent, ${stats.packetsPaced} held back by the channel's buffer limit`,
    );
    pair.receiver.close();
    pair.sender.close();
  }

  // 3. CPU of a mesh of 8 Node peers (and the server), in one process.
  {
    const url = `${server.url}/r/eight`;
    const peers = [];
    for (let i = 0; i < 8; i++) peers.push(await joinSession(url, { name: `p${i}`, playout: 0, mesh: {} }));
    await until(
      () =>
        peers.every(
          (p) =>
            meshOf(p)
              .stats()
              .filter((s) => s.path === 'direct').length === 7,
        ),
      1500,
    );
    const measure = async (seconds, perSecond) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const steps = seconds * 50;
      for (let step = 0; step < steps; step++) {
        for (let k = 0; k < perSecond / 50; k++)
          for (const p of peers) p.send({ type: k % 2 ? 'off' : 'on', time: step / 50, pitch: 60, velocity: 80 });
        await pause(20);
      }
      const used = process.cpuUsage(cpu);
      return ((used.user + used.system) / 1000 / (performance.now() - started)) * 100;
    };
    const idle = await measure(3, 0);
    const busy = await measure(5, 100);
    console.log(
      `\nmesh of 8 (28 pairs, 8 clients and the server in one process): CPU ${idle.toFixed(1)} % of a core idle ` +
        `(heartbeats), ${busy.toFixed(1)} % with every player sending 100 events/s`,
    );
    for (const p of peers) await p.close();
  }
}
await server.close();

// 4. The channel settings under 5 % loss: a UDP proxy between two libdatachannel peers drops packets both ways.
{
  const loss = 0.05;
  const count = 1500;
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const kept = [];
  async function run(label, init, redundancy) {
    const sockets = { a: dgram.createSocket('udp4'), b: dgram.createSocket('udp4') };
    await Promise.all(Object.values(sockets).map((s) => new Promise((resolve) => s.bind(0, '127.0.0.1', resolve))));
    const real = {};
    // Packets to the proxy's face of A come from B: they go on to A, from the proxy's face of B (and vice versa).
    sockets.a.on('message', (msg) => real.a && random() >= loss && sockets.b.send(msg, real.a.port, real.a.address));
    sockets.b.on('message', (msg) => real.b && random() >= loss && sockets.a.send(msg, real.b.port, real.b.address));
    const make = (name) => new nodeDataChannel.PeerConnection(name, { iceServers: [], disableAutoNegotiation: true });
    const a = make('a');
    const b = make('b');
    a.onStateChange((s) => process.env.DEBUG && console.log('a state', s, performance.now()));
    b.onStateChange((s) => process.env.DEBUG && console.log('b state', s, performance.now()));
    const face = (side, candidate) => {
      if (process.env.DEBUG) console.log(side, candidate);
      const parts = candidate.split(' ');
      // candidate:foundation component transport priority address port typ host …
      if (parts[2]?.toLowerCase() !== 'udp' || parts[7] !== 'host' || parts[4].includes(':') || real[side])
        return undefined;
      real[side] = { address: parts[4], port: Number(parts[5]) };
      parts[4] = '127.0.0.1';
      parts[5] = String(sockets[side].address().port);
      return parts.join(' ');
    };
    // Candidates wait until the other side has a remote description.
    const waiting = { a: [], b: [] };
    const described = { a: false, b: false };
    const add = (pc, side, candidate, mid) => {
      if (!described[side]) return waiting[side].push([candidate, mid]);
      try {
        pc.addRemoteCandidate(candidate, mid);
      } catch {
        // refused: ICE goes on with the others
      }
    };
    const describe = (pc, side, sdp, type) => {
      pc.setRemoteDescription(sdp.replace(/^a=candidate.*\r?\n/gm, ''), type);
      described[side] = true;
      for (const [candidate, mid] of waiting[side].splice(0)) add(pc, side, candidate, mid);
    };
    a.onLocalDescription((sdp, type) => {
      describe(b, 'b', sdp, type);
      b.setLocalDescription();
    });
    b.onLocalDescription((sdp, type) => describe(a, 'a', sdp, type));
    a.onLocalCandidate((candidate, mid) => {
      const rewritten = face('a', candidate);
      if (rewritten) add(b, 'b', rewritten, mid);
    });
    b.onLocalCandidate((candidate, mid) => {
      const rewritten = face('b', candidate);
      if (rewritten) add(a, 'a', rewritten, mid);
    });
    const received = new Map();
    const sentAt = [];
    const opened = new Promise((resolve) => {
      b.onDataChannel((channel) => {
        // A channel nothing refers to is collected, and closed: keep it.
        kept.push(channel);
        channel.onMessage((data) => {
          const now = performance.now();
          for (const seq of JSON.parse(data)) if (!received.has(seq)) received.set(seq, now - sentAt[seq]);
        });
        resolve(undefined);
      });
    });
    const channel = a.createDataChannel('bench', init);
    a.setLocalDescription();
    const ready = await Promise.race([
      Promise.all([opened, new Promise((resolve) => channel.onOpen(resolve))]).then(() => true),
      pause(10_000).then(() => false),
    ]);
    if (ready) {
      const recent = [];
      for (let seq = 0; seq < count; seq++) {
        sentAt[seq] = performance.now();
        recent.push(seq);
        if (recent.length > redundancy) recent.shift();
        try {
          channel.sendMessage(JSON.stringify(recent));
        } catch (error) {
          console.log(`  (${label}: the channel closed after ${seq} events: ${error.message})`);
          break;
        }
        await pause(5);
      }
      // A lone last event: the repeats a sender adds after it (10 and 40 ms later), with redundancy.
      if (redundancy > 1) {
        await pause(10);
        channel.sendMessage(JSON.stringify(recent));
        await pause(30);
        channel.sendMessage(JSON.stringify(recent));
      }
      await until(() => received.size >= count, 300);
      kept.length = 0;
    }
    const latencies = [...received.values()];
    const late = latencies.filter((x) => x > 10).length;
    console.log(
      `  ${label.padEnd(44)} ${ready ? `p50 ${ms(pct(latencies, 0.5))}  p99 ${ms(pct(latencies, 0.99))}  max ${ms(Math.max(...latencies))}  over 10 ms ${late}  lost ${count - received.size}` : 'the channel did not open'}`,
    );
    const summary = (summaries[label] ??= { p99: [], late: [], lost: [] });
    if (ready) {
      summary.p99.push(pct(latencies, 0.99));
      summary.late.push(late);
      summary.lost.push(count - received.size);
    }
    a.close();
    b.close();
    sockets.a.close();
    sockets.b.close();
  }
  const rounds = Number(process.env.LOSS_ROUNDS ?? 3);
  const summaries = {};
  console.log(
    `\nchannel settings under ${loss * 100} % UDP loss both ways (${count} events, 5 ms apart, one pair; ` +
      `${rounds} rounds, interleaved, as CPU noise moves the tails)`,
  );
  for (let round = 0; round < rounds; round++) {
    await run('ordered, reliable', {}, 1);
    await run('unordered, maxRetransmits 0, no redundancy', { unordered: true, maxRetransmits: 0 }, 1);
    await run('unordered, maxRetransmits 0, 8 repeated (jam)', { unordered: true, maxRetransmits: 0 }, 8);
  }
  console.log('  median of the rounds:');
  for (const [label, summary] of Object.entries(summaries))
    console.log(
      `  ${label.padEnd(44)} p99 ${ms(pct(summary.p99, 0.5))}  over 10 ms ${pct(summary.late, 0.5)}  lost ${pct(summary.lost, 0.5)}`,
    );
}

nodeDataChannel.cleanup();
process.exit(0);
