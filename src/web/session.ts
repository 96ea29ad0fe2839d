/**
 * The browser's session client: joins a room over the session's WebSocket, keeps the session clock, sends what it
 * plays, and opens WebRTC data channels (RTCPeerConnection) to the room's other players with the same mesh logic as
 * Node (`src/session/mesh/core.ts`). Each (from, seq) is played once, whichever path brings it. A page to play and
 * hear a session builds on this; bundled by `scripts/build-web.js` into `dist/web/jam-web.js`.
 */
import { ClockSync, syncSample } from '../session/clock.js';
import {
  CHANNEL_INIT,
  CHANNEL_LABEL,
  LOW_WATER_BYTES,
  Mesh,
  parseIceServer,
  type LinkCallbacks,
  type MeshMessage,
  type MeshOptions,
  type PairStats,
  type PeerLink,
} from '../session/mesh/core.js';
import {
  encode,
  liveEventOf,
  validateServerMessage,
  type PlayerInfo,
  type SessionEvent,
  type SignalBody,
} from '../session/protocol.js';
import type { LiveEvent } from '../types.js';

// The few browser types used here (the project compiles without the DOM library).
interface Description {
  type: string;
  sdp?: string;
}
interface BrowserChannel {
  readyState: string;
  bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  onopen: (() => void) | null;
  onclose: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onbufferedamountlow: (() => void) | null;
  send(data: string): void;
  close(): void;
}
interface BrowserPeerConnection {
  signalingState: string;
  iceConnectionState: string;
  localDescription: Description | null;
  remoteDescription: Description | null;
  onnegotiationneeded: (() => void) | null;
  onicecandidate: ((event: { candidate: { candidate: string; sdpMid: string | null } | null }) => void) | null;
  oniceconnectionstatechange: (() => void) | null;
  ondatachannel: ((event: { channel: BrowserChannel }) => void) | null;
  createDataChannel(label: string, init: object): BrowserChannel;
  setLocalDescription(description?: Description): Promise<void>;
  setRemoteDescription(description: Description): Promise<void>;
  addIceCandidate(candidate: { candidate: string; sdpMid?: string }): Promise<void>;
  close(): void;
}
interface BrowserSocket {
  readyState: number;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
type IceServer = ReturnType<typeof parseIceServer>;
const browser = globalThis as unknown as {
  WebSocket: new (url: string) => BrowserSocket;
  RTCPeerConnection: new (config: { iceServers: IceServer[] }) => BrowserPeerConnection;
};

/**
 * One pair over RTCPeerConnection, with perfect negotiation (docs/session-protocol.md): the offerer is impolite and
 * ignores an offer that collides with its own; the polite side rolls back its own and answers. An offer once a
 * session is established is a new session (the other side restarted): the connection starts afresh.
 */
class BrowserLink implements PeerLink {
  private pc!: BrowserPeerConnection;
  private channel?: BrowserChannel;
  private makingOffer = false;
  private ignoreOffer = false;
  private closed = false;
  /** Signals are applied one at a time, in the order they came. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly offerer: boolean,
    private readonly iceServers: IceServer[],
    private readonly callbacks: LinkCallbacks,
  ) {
    this.pc = this.newPc();
    if (offerer) this.wire(this.pc.createDataChannel(CHANNEL_LABEL, CHANNEL_INIT));
  }

  private newPc(): BrowserPeerConnection {
    const pc = new browser.RTCPeerConnection({ iceServers: this.iceServers });
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        if (pc === this.pc && !this.closed && pc.localDescription?.sdp)
          this.callbacks.signal({ type: 'offer', sdp: pc.localDescription.sdp });
      } catch {
        // The open timeout sends the pair to the relay.
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (pc === this.pc && !this.closed && candidate?.candidate)
        this.callbacks.signal({ type: 'candidate', candidate: candidate.candidate, mid: candidate.sdpMid ?? '0' });
    };
    pc.oniceconnectionstatechange = () => {
      if (pc === this.pc && !this.closed && pc.iceConnectionState === 'failed') this.callbacks.down('ICE failed');
    };
    pc.ondatachannel = ({ channel }) => {
      if (pc === this.pc && !this.closed) this.wire(channel);
    };
    return pc;
  }

  private wire(channel: BrowserChannel): void {
    this.channel = channel;
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    channel.onopen = () => channel === this.channel && !this.closed && this.callbacks.open();
    channel.onmessage = ({ data }) => {
      if (channel === this.channel && !this.closed && typeof data === 'string') this.callbacks.message(data);
    };
    channel.onclose = () => channel === this.channel && !this.closed && this.callbacks.down('channel closed');
    channel.onbufferedamountlow = () => channel === this.channel && !this.closed && this.callbacks.drained();
  }

  acceptSignal(body: SignalBody): void {
    this.chain = this.chain.then(() => this.apply(body)).catch(() => undefined);
  }

  private async apply(body: SignalBody): Promise<void> {
    if (this.closed) return;
    if ((body.type === 'offer' || body.type === 'answer') && body.sdp) {
      const collision = body.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable');
      this.ignoreOffer = this.offerer && collision;
      if (this.ignoreOffer) return;
      if (body.type === 'offer' && !collision && this.pc.remoteDescription) {
        // A new session from a peer that restarted.
        const old = this.pc;
        this.channel = undefined;
        this.pc = this.newPc();
        old.close();
      }
      if (body.type === 'answer' && this.pc.signalingState !== 'have-local-offer') return;
      // On a collision the polite side's setRemoteDescription rolls its own offer back (implicit rollback).
      await this.pc.setRemoteDescription({ type: body.type, sdp: body.sdp });
      if (body.type === 'offer') {
        await this.pc.setLocalDescription();
        if (this.pc.localDescription?.sdp) this.callbacks.signal({ type: 'answer', sdp: this.pc.localDescription.sdp });
      }
    } else if (body.type === 'candidate' && body.candidate) {
      try {
        await this.pc.addIceCandidate({ candidate: body.candidate, sdpMid: body.mid ?? '0' });
      } catch (error) {
        if (!this.ignoreOffer) throw error;
      }
    }
  }

  get open(): boolean {
    return !this.closed && this.channel?.readyState === 'open';
  }

  send(data: string): boolean {
    if (!this.open) return false;
    try {
      this.channel!.send(data);
      return true;
    } catch {
      return false;
    }
  }

  bufferedAmount(): number {
    return this.channel?.bufferedAmount ?? 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.channel?.close();
    this.pc.close();
  }
}

export interface BrowserJoinOptions extends MeshOptions {
  name?: string;
  /** Called with each event another player played, once, as it arrives (a page schedules it by its stamp). */
  onEvent?: (event: SessionEvent & { path: 'relay' | 'direct' }) => void;
}

const SYNC_BURST = 8;
const SYNC_EVERY_MS = 5000;

/** A player in a session, from a browser page. */
export class BrowserSession {
  readonly ready: Promise<void>;
  readonly mesh: Mesh;
  private readonly ws: BrowserSocket;
  private readonly sync = new ClockSync();
  private id = '';
  private players: PlayerInfo[] = [];
  private seq = 0;
  private readonly last = new Map<string, number>();
  private readonly missing = new Map<string, Set<number>>();
  private readonly sounding = new Map<string, Set<number>>();
  private syncTimer?: ReturnType<typeof setInterval>;
  private burst = SYNC_BURST;
  readonly counts = { sent: 0, received: 0, duplicates: 0 };
  private handedIceServers: string[] = [];

  constructor(
    url: string,
    private readonly options: BrowserJoinOptions = {},
  ) {
    // The page's own list, or else the one the server hands out in its welcome (links open after the welcome).
    const iceServers = () =>
      (options.iceServers?.length ? options.iceServers : this.handedIceServers).map(parseIceServer);
    this.mesh = new Mesh(
      {
        selfId: () => this.id,
        players: () => this.players,
        signal: (to, body) => this.transmit({ kind: 'signal', to, ...body }),
        deliver: (from, message) => this.accept(from, message, 'direct'),
        lastSeqOf: (from) => this.last.get(from) ?? 0,
        endNotes: (from) => this.endNotes(from),
        allowSystem: () => false,
      },
      (_peer, offerer, callbacks) => new BrowserLink(offerer, iceServers(), callbacks),
      options,
    );
    this.ws = new browser.WebSocket(url);
    this.ready = new Promise((resolve, reject) => {
      this.ws.onopen = () =>
        this.transmit({ kind: 'hello', role: 'player', ...(options.name ? { name: options.name } : {}) });
      this.ws.onclose = (event) => {
        this.mesh.close(false);
        clearInterval(this.syncTimer);
        reject(new Error(`the session closed: ${event.reason || event.code}`));
      };
      this.ws.onmessage = ({ data }) => {
        if (typeof data === 'string') this.onMessage(data, resolve);
      };
    });
  }

  sessionTime(): number {
    return this.sync.sessionTime(performance.now());
  }

  /** Sends a live event, stamped now on the session clock: to the server, and direct to every open channel. */
  send(event: LiveEvent): void {
    const message: MeshMessage = { kind: 'event', seq: ++this.seq, stamp: this.sessionTime(), ...liveEventOf(event) };
    this.counts.sent++;
    this.mesh.send(message);
    this.transmit(message);
  }

  /** Each pair's path (direct or relay), round trip and loss. */
  stats(): PairStats[] {
    return this.mesh.stats();
  }

  get selfId(): string {
    return this.id;
  }

  /** Leaves gracefully: bye to every peer, bye to the server. */
  close(): void {
    this.mesh.close(true);
    clearInterval(this.syncTimer);
    this.transmit({ kind: 'bye' });
    this.ws.close(1000, 'bye');
  }

  private transmit(message: Parameters<typeof encode>[0]): void {
    if (this.ws.readyState === 1) this.ws.send(encode(message));
  }

  private onMessage(data: string, welcomed: () => void): void {
    const arrived = performance.now();
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = validateServerMessage(value);
    if (!parsed.ok) return;
    const message = parsed.message;
    switch (message.kind) {
      case 'welcome':
        this.id = message.id;
        this.handedIceServers = message.iceServers ?? [];
        this.players = message.players;
        this.sync.add({ offset: message.serverTime - arrived, rtt: 0 });
        this.transmit({ kind: 'ping', t0: performance.now() });
        this.syncTimer = setInterval(() => this.transmit({ kind: 'ping', t0: performance.now() }), SYNC_EVERY_MS);
        this.mesh.update();
        return;
      case 'pong':
        if (this.burst === SYNC_BURST) this.sync.reset();
        this.sync.add(syncSample(message.t0, message.t1, message.t2, arrived));
        if (this.burst > 0 && --this.burst > 0) this.transmit({ kind: 'ping', t0: performance.now() });
        else welcomed();
        return;
      case 'presence':
        this.players = [...this.players.filter((p) => p.id !== message.player.id), message.player];
        if (message.what !== 'join') {
          this.endNotes(message.player.id);
          this.mesh.forget(message.player.id);
        }
        this.mesh.update();
        return;
      case 'signal': {
        const { type, sdp, candidate, mid } = message;
        this.mesh.onSignal(message.from, { type, sdp, candidate, mid });
        return;
      }
      case 'event': {
        const { from, seq, stamp } = message;
        this.accept(from, { kind: 'event', seq, stamp, ...liveEventOf(message) }, 'relay');
        return;
      }
      default:
        return;
    }
  }

  /** Plays (from, seq) once: the same rule as the Node client, a late copy filling a gap included. */
  private accept(from: string, message: MeshMessage, path: 'relay' | 'direct'): boolean {
    const last = this.last.get(from) ?? 0;
    if (message.seq <= last) {
      if (!this.missing.get(from)?.delete(message.seq)) {
        this.counts.duplicates++;
        return false;
      }
    } else {
      if (last > 0 && message.seq - last > 1 && message.seq - last <= 256) {
        const gap = this.missing.get(from) ?? new Set<number>();
        for (let skipped = last + 1; skipped < message.seq; skipped++) gap.add(skipped);
        this.missing.set(from, gap);
      }
      this.last.set(from, message.seq);
    }
    this.mesh.noteAccepted(from, path);
    if (message.kind !== 'event') return true;
    this.counts.received++;
    const event = { ...liveEventOf(message), from, seq: message.seq, stamp: message.stamp } as SessionEvent;
    const notes = this.sounding.get(from) ?? new Set<number>();
    if (event.type === 'on' && event.velocity > 0) notes.add(event.pitch);
    else if (event.type !== 'bend') notes.delete(event.pitch);
    this.sounding.set(from, notes);
    this.options.onEvent?.({ ...event, path });
    return true;
  }

  /** A player left or was found dead: its sounding notes end (seq 0: made here). */
  private endNotes(from: string): void {
    for (const pitch of this.sounding.get(from) ?? []) {
      this.options.onEvent?.({
        type: 'off',
        time: 0,
        pitch,
        velocity: 0,
        from,
        seq: 0,
        stamp: this.sessionTime(),
        path: 'relay',
      });
    }
    this.sounding.delete(from);
  }
}

/** Joins a room from a browser page and resolves once welcomed and the clock is measured. */
export async function joinSession(url: string, options: BrowserJoinOptions = {}): Promise<BrowserSession> {
  const session = new BrowserSession(url, options);
  await session.ready;
  return session;
}
