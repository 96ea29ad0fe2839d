/**
 * The WebRTC mesh's logic, the same in Node and in the browser: which pairs go direct, the packets on a data channel
 * (each repeats the sender's recent events: redundancy instead of retransmission), dedupe and gap filling by
 * (sender, seq) against whatever the relay brings, heartbeats that measure each pair's round trip and loss, zombie
 * detection, and retrying a pair that failed. The WebRTC connection itself is a `PeerLink` made by the platform
 * (`node.ts` with node-datachannel, `src/web` with RTCPeerConnection). Nothing here imports Node or the DOM.
 */
import { TokenBucket } from '../limits.js';
import {
  validateClientMessage,
  type EventMessage,
  type PairReport,
  type MidiMessage,
  type Outgoing,
  type SignalBody,
} from '../protocol.js';

/** An event or MIDI message as its sender numbered it (the relay adds `from` and the offset). */
export type MeshMessage = Outgoing<EventMessage | MidiMessage>;

/** One pair's WebRTC connection, as a platform makes it. */
export interface PeerLink {
  /** Signalling from the other peer (offer, answer, candidate), applied with perfect negotiation. */
  acceptSignal(body: SignalBody): void;
  /** Sends one packet if the channel is open; false when it is not. */
  send(data: string): boolean;
  readonly open: boolean;
  /** Bytes queued on the channel and not yet sent. */
  bufferedAmount(): number;
  close(): void;
}

export interface LinkCallbacks {
  signal(body: SignalBody): void;
  open(): void;
  message(data: string): void;
  /** The channel closed, or ICE failed: the pair goes by the relay. */
  down(reason: string): void;
  /** The channel's queue fell below its low-water mark (`bufferedamountlow`) after being over the limit. */
  drained(): void;
}

/** Makes a link to `peer`. `offerer`: this side creates the channel and sends the first offer (the impolite peer). */
export type LinkFactory = (peer: string, offerer: boolean, callbacks: LinkCallbacks) => PeerLink;

/** What the mesh needs of the session client it rides on. */
export interface MeshHost {
  /** This client's id in the room ('' before the welcome). */
  selfId(): string;
  /** The room's players, as the client knows them. */
  players(): ReadonlyArray<{ id: string; role: string; connected: boolean }>;
  signal(to: string, body: SignalBody): void;
  /** Plays a message that came direct, once per (from, seq); true when it was new. */
  deliver(from: string, message: MeshMessage): boolean;
  /** The highest seq taken from `from` by any path (0: nothing yet). */
  lastSeqOf(from: string): number;
  /** Ends the sounding notes of a player found dead. */
  endNotes(from: string): void;
  /** Whether raw MIDI system messages may be sent (the room's rule, which the direct path keeps too). */
  allowSystem(): boolean;
}

export interface MeshOptions {
  /** `stun:host:port`, `turn:user:pass@host:port` (as `--ice-server` takes them). None: host candidates only. */
  iceServers?: string[];
  /** Direct channels among at most this many players (default 8): the lowest ids of the room's players. */
  maxPeers?: number;
  /** A pair whose channel has not opened by then goes by the relay (ms, default 5000). */
  openTimeoutMs?: number;
  /** Heartbeats on each channel (ms, default 1000). */
  heartbeatMs?: number;
  /** A channel silent this long is a zombie: closed, and the player's notes ended if the relay is silent too. */
  zombieMs?: number;
  /** First wait before a failed pair is tried again (ms, default 2000), doubling up to 30 s. */
  retryMs?: number;
  /** How long direct events wait for a gap before them to be filled by the relay (ms, default 250). */
  gapMs?: number;
  /** Events repeated in each packet (default 8), and for how long after they were sent (ms, default 1000). */
  redundancy?: number;
  redundancyMs?: number;
  /** Tests: return false to drop an outgoing packet (simulated loss) or to block a pair. */
  impair?: (to: string, packet: string) => boolean;
  /** The clock (ms); tests inject one. */
  now?: () => number;
}

export type PairPath = 'direct' | 'relay';

export interface PairStats {
  peer: string;
  path: PairPath;
  /** connecting, open, failed (waiting to retry), closed (the peer said bye). */
  state: 'connecting' | 'open' | 'failed' | 'closed';
  /** Heartbeat round trip on the channel (ms, median of the last few), or undefined. */
  rtt?: number;
  /** Share of recent heartbeats unanswered (0..1). */
  loss: number;
  /** Events whose first copy came direct, or by the relay. */
  direct: number;
  relay: number;
  /** Copies dropped as already played (redundancy and the second path). */
  duplicates: number;
  /** Packets sent on the channel; dropped by the impairment; not sent because the channel's buffer was full. */
  packetsSent: number;
  packetsDropped: number;
  packetsPaced: number;
  /** Packets of events that came on the channel (whether or not their events were new). */
  packetsReceived: number;
  /** Times the channel opened, failed, and was found a zombie. */
  opens: number;
  failures: number;
  zombies: number;
}

/** The largest packet accepted on a channel (bytes). Within every browser's SCTP message limit. */
export const MAX_PACKET_BYTES = 16_384;
/** Over this much queued on a channel, packets are not sent: the next packet repeats them, and the relay has them. */
export const HIGH_WATER_BYTES = 256 * 1024;
/** The channel's `bufferedAmountLowThreshold`: below it, a held-back sender sends again. */
export const LOW_WATER_BYTES = 64 * 1024;
/** After an event, the last packet is sent again this many ms later unless a newer one went (a lone note-off). */
const REPEATS_MS = [10, 40];
const RETRY_MAX_MS = 30_000;
const HEARTBEAT_WINDOW = 10;
/** Packets a second a peer may send us (and the burst): far above a player's events with their repeats. */
const PACKETS_PER_SECOND = 5000;
const PACKET_BURST = 10_000;
/** The data channel's label; its settings are in docs/session-protocol.md. */
export const CHANNEL_LABEL = 'jam-midi';
/** Unordered and unreliable: a lost packet is covered by the next one's repeats, never waited for. */
export const CHANNEL_INIT = { ordered: false, maxRetransmits: 0 } as const;

interface Peer {
  id: string;
  offerer: boolean;
  link?: PeerLink;
  state: PairStats['state'];
  openTimer?: ReturnType<typeof setTimeout>;
  retryTimer?: ReturnType<typeof setTimeout>;
  gapTimer?: ReturnType<typeof setTimeout>;
  retries: number;
  /** Last time anything came on the channel, and from this player by any path. */
  lastDirect: number;
  lastHeard: number;
  pending: Map<number, MeshMessage>;
  bucket: TokenBucket;
  rtts: number[];
  heartbeats: boolean[];
  stats: Omit<PairStats, 'peer' | 'path' | 'state' | 'rtt' | 'loss'>;
}

type Packet = { t: 'ev'; m: unknown[] } | { t: 'hb'; t0: number } | { t: 'hbr'; t0: number } | { t: 'bye' };

export class Mesh {
  private readonly peers = new Map<string, Peer>();
  private recent: Array<{ at: number; message: MeshMessage }> = [];
  private repeatTimers: Array<ReturnType<typeof setTimeout>> = [];
  private heartbeat?: ReturnType<typeof setInterval>;
  private closed = false;
  private readonly now: () => number;
  private readonly o: Required<Omit<MeshOptions, 'impair' | 'now' | 'iceServers'>>;

  constructor(
    private readonly host: MeshHost,
    private readonly makeLink: LinkFactory,
    private readonly options: MeshOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.o = {
      maxPeers: options.maxPeers ?? 8,
      openTimeoutMs: options.openTimeoutMs ?? 5000,
      heartbeatMs: options.heartbeatMs ?? 1000,
      zombieMs: options.zombieMs ?? 5000,
      retryMs: options.retryMs ?? 2000,
      gapMs: options.gapMs ?? 250,
      redundancy: options.redundancy ?? 8,
      redundancyMs: options.redundancyMs ?? 1000,
    };
    this.heartbeat = setInterval(() => this.onHeartbeat(), this.o.heartbeatMs);
    unref(this.heartbeat);
  }

  /** The players this client should have direct channels to: the lowest `maxPeers` ids, if it is one of them. */
  private wanted(): Set<string> {
    const self = this.host.selfId();
    const ids = this.host
      .players()
      .filter((player) => player.role === 'player' && player.connected)
      .map((player) => player.id)
      .sort()
      .slice(0, this.o.maxPeers);
    return new Set(self && ids.includes(self) ? ids.filter((id) => id !== self) : []);
  }

  /** Brings the pairs in line with the room's players (after a welcome or a presence). */
  update(): void {
    if (this.closed) return;
    const wanted = this.wanted();
    for (const [id, peer] of this.peers) if (!wanted.has(id)) this.remove(peer, true);
    for (const id of wanted) if (!this.peers.has(id)) this.add(id);
  }

  private add(id: string): Peer {
    const peer: Peer = {
      id,
      offerer: this.host.selfId() < id,
      state: 'connecting',
      retries: 0,
      lastDirect: this.now(),
      lastHeard: this.now(),
      pending: new Map(),
      bucket: new TokenBucket(PACKETS_PER_SECOND, PACKET_BURST, this.now()),
      rtts: [],
      heartbeats: [],
      stats: {
        direct: 0,
        relay: 0,
        duplicates: 0,
        packetsSent: 0,
        packetsDropped: 0,
        packetsPaced: 0,
        packetsReceived: 0,
        opens: 0,
        failures: 0,
        zombies: 0,
      },
    };
    this.peers.set(id, peer);
    if (peer.offerer) this.connect(peer);
    else this.armOpenTimer(peer);
    return peer;
  }

  private connect(peer: Peer): void {
    this.drop(peer);
    peer.state = 'connecting';
    peer.link = this.newLink(peer);
    this.armOpenTimer(peer);
  }

  private newLink(peer: Peer): PeerLink {
    const link: PeerLink = this.makeLink(peer.id, peer.offerer, {
      // A replaced link's late callbacks are ignored: handlers belong to one link, never attached twice.
      signal: (body) => peer.link === link && !this.closed && this.host.signal(peer.id, body),
      open: () => peer.link === link && this.onOpen(peer),
      message: (data) => peer.link === link && this.onPacket(peer, data),
      down: (reason) => peer.link === link && this.fail(peer, reason),
      // Packets were held back while the queue was full: send the newest, which repeats the recent events.
      drained: () => peer.link === link && this.recent.length > 0 && this.sendTo(peer, this.packet()),
    });
    return link;
  }

  private armOpenTimer(peer: Peer): void {
    clearTimeout(peer.openTimer);
    peer.openTimer = setTimeout(() => {
      if (peer.state === 'connecting') this.fail(peer, `no channel within ${this.o.openTimeoutMs} ms`);
    }, this.o.openTimeoutMs);
    unref(peer.openTimer);
  }

  private onOpen(peer: Peer): void {
    clearTimeout(peer.openTimer);
    clearTimeout(peer.retryTimer);
    peer.state = 'open';
    peer.retries = 0;
    peer.lastDirect = this.now();
    peer.heartbeats = [];
    peer.stats.opens++;
    // Start the channel with what was sent lately, so the receiver's direct stream joins the relayed one.
    if (this.recent.length > 0) this.sendTo(peer, this.packet());
  }

  /** The pair goes by the relay; the offerer tries again later. */
  private fail(peer: Peer, _reason: string): void {
    if (this.closed || this.peers.get(peer.id) !== peer) return;
    this.drop(peer);
    peer.state = 'failed';
    peer.stats.failures++;
    this.scheduleRetry(peer);
  }

  private scheduleRetry(peer: Peer): void {
    clearTimeout(peer.retryTimer);
    if (!peer.offerer) {
      // The answerer waits for the offerer's next try; if the offerer is gone, presence removes the pair.
      return;
    }
    const wait = Math.min(RETRY_MAX_MS, this.o.retryMs * 2 ** Math.min(peer.retries++, 10));
    peer.retryTimer = setTimeout(() => {
      if (!this.closed && this.peers.get(peer.id) === peer && peer.state !== 'open') this.connect(peer);
    }, wait);
    unref(peer.retryTimer);
  }

  /** Closes a pair's link (not the pair). */
  private drop(peer: Peer): void {
    const link = peer.link;
    peer.link = undefined;
    clearTimeout(peer.openTimer);
    link?.close();
    if (peer.state === 'open') peer.state = 'failed';
  }

  private remove(peer: Peer, sayBye: boolean): void {
    if (sayBye) this.sendControl(peer, JSON.stringify({ t: 'bye' }));
    if (sayBye) this.host.signal(peer.id, { type: 'bye' });
    this.drop(peer);
    clearTimeout(peer.retryTimer);
    clearTimeout(peer.gapTimer);
    this.flushPending(peer);
    peer.state = 'closed';
    this.peers.delete(peer.id);
  }

  /** A player left or dropped (presence): its pair ends without fuss. */
  forget(id: string): void {
    const peer = this.peers.get(id);
    if (peer) this.remove(peer, false);
  }

  /** Signalling from another peer, through the server. */
  onSignal(from: string, body: SignalBody): void {
    if (this.closed) return;
    let peer = this.peers.get(from);
    if (body.type === 'bye') {
      // A graceful leave of the pair: no error, no retry until the other side offers again.
      if (peer) {
        this.drop(peer);
        clearTimeout(peer.retryTimer);
        peer.state = 'closed';
      }
      return;
    }
    if (!peer) {
      if (!this.wanted().has(from)) return;
      peer = this.add(from);
    }
    if (body.type === 'offer') {
      clearTimeout(peer.retryTimer);
      if (!peer.link || peer.state === 'closed' || peer.state === 'failed') {
        peer.link = this.newLink(peer);
        peer.state = 'connecting';
        this.armOpenTimer(peer);
      }
    }
    peer.link?.acceptSignal(body);
  }

  /** One of our own events or MIDI messages: sent on every open channel, with the recent ones repeated. */
  send(message: MeshMessage): void {
    if (this.closed) return;
    if (message.kind === 'midi' && message.data[0]! >= 0xf0 && !this.host.allowSystem()) return;
    const now = this.now();
    this.recent.push({ at: now, message });
    const oldest = now - this.o.redundancyMs;
    while (this.recent.length > this.o.redundancy || (this.recent.length > 1 && this.recent[0]!.at < oldest))
      this.recent.shift();
    const packet = this.packet();
    for (const peer of this.peers.values()) this.sendTo(peer, packet);
    for (const timer of this.repeatTimers) clearTimeout(timer);
    this.repeatTimers = REPEATS_MS.map((ms) => {
      const timer = setTimeout(() => {
        for (const peer of this.peers.values()) this.sendTo(peer, packet);
      }, ms);
      unref(timer);
      return timer;
    });
  }

  private packet(): string {
    return JSON.stringify({ t: 'ev', m: this.recent.map((entry) => entry.message) });
  }

  private sendTo(peer: Peer, packet: string): void {
    const link = peer.link;
    if (!link?.open) return;
    if (link.bufferedAmount() > HIGH_WATER_BYTES) {
      peer.stats.packetsPaced++;
      return;
    }
    if (this.options.impair && !this.options.impair(peer.id, packet)) {
      peer.stats.packetsDropped++;
      return;
    }
    if (link.send(packet)) peer.stats.packetsSent++;
  }

  private onPacket(peer: Peer, data: string): void {
    const now = this.now();
    if (data.length > MAX_PACKET_BYTES || !peer.bucket.take(now)) return;
    let packet: Packet;
    try {
      packet = JSON.parse(data) as Packet;
    } catch {
      return;
    }
    if (typeof packet !== 'object' || packet === null) return;
    peer.lastDirect = now;
    peer.lastHeard = now;
    switch (packet.t) {
      case 'ev':
        peer.stats.packetsReceived++;
        if (Array.isArray(packet.m)) this.onEvents(peer, packet.m);
        return;
      case 'hb':
        if (typeof packet.t0 === 'number') this.sendControl(peer, JSON.stringify({ t: 'hbr', t0: packet.t0 }));
        return;
      case 'hbr':
        if (typeof packet.t0 === 'number' && packet.t0 <= now) {
          peer.rtts = [...peer.rtts.slice(-(HEARTBEAT_WINDOW - 1)), now - packet.t0];
          const last = peer.heartbeats.lastIndexOf(false);
          if (last >= 0) peer.heartbeats[last] = true;
        }
        return;
      case 'bye':
        this.onSignal(peer.id, { type: 'bye' });
        return;
    }
  }

  /** Events from a packet: each checked like a message to the server, taken in seq order, gaps left to the relay. */
  private onEvents(peer: Peer, list: unknown[]): void {
    for (const item of list.slice(0, 64)) {
      const parsed = validateClientMessage({ ...(item as object), v: 1 });
      if (!parsed.ok || (parsed.message.kind !== 'event' && parsed.message.kind !== 'midi')) continue;
      const { v: _v, ...message } = parsed.message;
      if (peer.pending.has(message.seq)) {
        peer.stats.duplicates++;
        continue;
      }
      peer.pending.set(message.seq, message as MeshMessage);
    }
    this.drain(peer);
  }

  /** Plays pending direct events that follow what has been played; a gap waits for the relay, but not for long. */
  private drain(peer: Peer): void {
    if (peer.pending.size === 0) return;
    let last = this.host.lastSeqOf(peer.id);
    const seqs = [...peer.pending.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      // Up to the next expected seq goes on (the client drops what it has had; a late one fills its gap). Nothing yet
      // from this player (we joined after it started): its stream starts here.
      if (seq > last + 1 && last !== 0) break;
      const message = peer.pending.get(seq)!;
      peer.pending.delete(seq);
      if (this.host.deliver(peer.id, message)) peer.stats.direct++;
      else peer.stats.duplicates++;
      last = this.host.lastSeqOf(peer.id);
    }
    if (peer.pending.size === 0) {
      clearTimeout(peer.gapTimer);
      peer.gapTimer = undefined;
    } else if (!peer.gapTimer) {
      peer.gapTimer = setTimeout(() => {
        peer.gapTimer = undefined;
        this.flushPending(peer);
      }, this.o.gapMs);
      unref(peer.gapTimer);
    }
  }

  /** The gap was not filled in time: play what waits, in order (the missing ones are played if they come later). */
  private flushPending(peer: Peer): void {
    const seqs = [...peer.pending.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      const message = peer.pending.get(seq)!;
      peer.pending.delete(seq);
      if (this.host.deliver(peer.id, message)) peer.stats.direct++;
      else peer.stats.duplicates++;
    }
  }

  /** The client took a message from `from` (by `path`): counts it, and a relayed one may fill a gap. */
  noteAccepted(from: string, path: PairPath): void {
    const peer = this.peers.get(from);
    if (!peer) return;
    peer.lastHeard = this.now();
    if (path === 'relay') {
      peer.stats.relay++;
      this.drain(peer);
    }
  }

  private onHeartbeat(): void {
    const now = this.now();
    for (const peer of this.peers.values()) {
      if (peer.state !== 'open' || !peer.link) continue;
      if (now - peer.lastDirect > this.o.zombieMs) {
        // ICE "disconnected" for good, or a killed process: the channel is a zombie.
        peer.stats.zombies++;
        this.fail(peer, 'zombie');
        if (now - peer.lastHeard > this.o.zombieMs) this.host.endNotes(peer.id);
        continue;
      }
      peer.heartbeats = [...peer.heartbeats.slice(-(HEARTBEAT_WINDOW - 1)), false];
      this.sendHeartbeat(peer, now);
    }
  }

  private sendHeartbeat(peer: Peer, now: number): void {
    this.sendControl(peer, JSON.stringify({ t: 'hb', t0: now }));
  }

  /** Heartbeats, their answers and byes: small, unrepeated, through the impairment like everything else. */
  private sendControl(peer: Peer, packet: string): void {
    if (!peer.link?.open || (this.options.impair && !this.options.impair(peer.id, packet))) return;
    peer.link.send(packet);
  }

  /** Each pair's path, round trip, loss and counters. */
  stats(): PairStats[] {
    return [...this.peers.values()].map((peer) => {
      const sorted = [...peer.rtts].sort((a, b) => a - b);
      // The newest heartbeat may simply be on its way.
      const judged = peer.heartbeats.slice(0, -1);
      const lost = judged.filter((answered) => !answered).length;
      return {
        peer: peer.id,
        path: peer.state === 'open' ? 'direct' : 'relay',
        state: peer.state,
        ...(sorted.length > 0 ? { rtt: sorted[Math.floor(sorted.length / 2)]! } : {}),
        loss: judged.length > 0 ? lost / judged.length : 0,
        ...peer.stats,
      };
    });
  }

  /** Leaves gracefully: a bye to every peer (on the channel and by signalling), then every link closed. */
  close(sayBye = true): void {
    if (this.closed) return;
    for (const peer of [...this.peers.values()]) this.remove(peer, sayBye);
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const timer of this.repeatTimers) clearTimeout(timer);
  }
}

/** `stun:host:port`, `turn:user:pass@host:port`, `turns:…` as an RTCIceServer. */
export function parseIceServer(text: string): { urls: string; username?: string; credential?: string } {
  const match = /^(stun|stuns|turn|turns):(?:([^:@]+):([^@]+)@)?([^@\s]+)$/.exec(text.trim());
  if (!match) throw new Error(`${text}: an ICE server is stun:host[:port] or turn:user:password@host[:port]`);
  const [, scheme, username, credential, rest] = match;
  return {
    urls: `${scheme}:${rest}`,
    ...(username ? { username: decodeURIComponent(username), credential: decodeURIComponent(credential!) } : {}),
  };
}

function unref(timer: unknown): void {
  (timer as { unref?: () => void }).unref?.();
}

/** The mesh's pairs as the room's state view shows them (`jam session`). */
export function pairReportsOf(mesh: Mesh): PairReport[] {
  return mesh.stats().map(({ peer, path, rtt, loss }) => ({ peer, path, ...(rtt === undefined ? {} : { rtt }), loss }));
}
