/**
 * The Node client: joins a room, keeps its estimate of the session clock, stamps what it sends in session time,
 * plays what others send at stamp + playout delay, and keeps going through dropped links: it reconnects with
 * exponential backoff and jitter, resumes from the last offset it got (the server replays what it missed), resends
 * what the server did not get from it, and plays each (sender, sequence) once.
 */
import { WebSocket } from 'ws';
import { JamError } from '../errors.js';
import { epochClock, type Clock } from '../clock.js';
import type { LiveEvent } from '../types.js';
import { ClockSync, syncSample } from './clock.js';
import {
  OUTBOX_EVENTS,
  PLAYOUT_MAX_MS,
  RATE_BURST,
  RATE_PER_SECOND,
  RECONNECT_BASE_MS,
  RECONNECT_MAX_MS,
  SYNC_BURST,
  SYNC_INTERVAL_MS,
} from './constants.js';
import { HeldNotes } from './held.js';
import { TokenBucket } from './limits.js';
import { PlayoutDelay, PlayoutScheduler, type PlayoutMode } from './playout.js';
import {
  CloseCode,
  encode,
  FINAL_CLOSE_CODES,
  liveEventOf,
  parseServerMessage,
  type ClientMessage,
  type EventMessage,
  type MidiMessage,
  type Outgoing,
  type PairReport,
  type PlayerInfo,
  type PresenceMessage,
  type RelayedEventMessage,
  type RelayedMidiMessage,
  type RelayedSignalMessage,
  type Role,
  type SignalBody,
  type SessionEvent,
  type SnapshotMessage,
  type StateMessage,
  type SyncMode,
  type Tempo,
  type WelcomeMessage,
} from './protocol.js';
import { changeTempo, defaultTempo, intervalDelay } from './tempo.js';
import type { MeshOptions } from './mesh/core.js';

export interface ReconnectOptions {
  baseMs?: number;
  maxMs?: number;
  /** Give up after this many failed attempts in a row (default: never). */
  attempts?: number;
}

export interface JoinOptions {
  name?: string;
  role?: Role;
  token?: string;
  /** The room, when the URL does not name it (`/r/<room>`). */
  room?: string;
  playout?: PlayoutMode;
  sync?: SyncMode;
  /** Bars of delay in interval mode (default 1). */
  bars?: number;
  /** The local clock (ms); tests inject one. */
  clock?: Clock;
  /** false: a dropped link ends the client. */
  reconnect?: ReconnectOptions | false;
  /** How often the clock is re-measured and stats are reported (ms). */
  syncIntervalMs?: number;
  /** Sent as the Origin header, as a browser would. */
  origin?: string;
  /** How long to wait for the first welcome (ms). */
  timeoutMs?: number;
  /** For wss:// to a server whose certificate is not from a public authority: its CA (PEM). */
  ca?: string | Buffer;
  /** Open WebRTC data channels to the room's other players (src/session/mesh): events go direct where they can. */
  mesh?: MeshOptions;
}

/** Which way an event came: the server's relay or a peer's data channel. */
export type EventPath = 'relay' | 'direct';

export interface ClientState {
  url: string;
  id: string;
  room: string;
  connected: boolean;
  epoch: number;
  /** The last room offset received. */
  offset: number;
  rtt: number;
  clockOffset: number;
  jitter: number;
  playout: number;
  sent: number;
  received: number;
  played: number;
  late: number;
  duplicates: number;
  /** Events the server skipped for this client while it was too slow. */
  skipped: number;
  reconnects: number;
  tempo: Tempo;
  players: PlayerInfo[];
}

export interface ClientEvents {
  /** An event from another player, at its playout time. */
  event: SessionEvent;
  midi: RelayedMidiMessage;
  presence: PresenceMessage;
  tempo: Tempo;
  snapshot: SnapshotMessage;
  welcome: WelcomeMessage;
  goodbye: { reason: string; moveTo?: string };
  /** The link dropped; a reconnect is due in `delay` ms. */
  reconnecting: { attempt: number; delay: number; code: number };
  /** The client has stopped for good. */
  closed: { code: number; reason: string };
  /** WebRTC signalling from another peer (for the mesh). */
  signal: RelayedSignalMessage;
  /** An event or MIDI message of ours was queued to send (the mesh sends it direct too). */
  sent: Outbound;
  /** An event or MIDI message from another player was taken (the first copy of its (from, seq)), by this path. */
  accepted: { from: string; seq: number; path: EventPath };
}

type Listener<T> = (payload: T) => void;
const JOIN_TIMEOUT_MS = 10_000;
/** Socket errors that mean no server is at the address at all. */
const NO_SERVER = new Set(['ECONNREFUSED', 'ENOTFOUND']);
/** Lateness beyond this is a resend or a replay, not the network: it is played late but does not move the delay. */
const LATENESS_CAP_MS = 2000;
const STATE_TIMEOUT_MS = 5000;
/** Dedupe by (from, seq): a jump of at most this many seqs remembers the ones skipped, at most MAX_MISSING a sender. */
const MAX_GAP = 256;
const MAX_MISSING = 1024;
/** The furthest ahead of its arrival an event is held (beyond an interval player's bars). */
const MAX_AHEAD_MS = PLAYOUT_MAX_MS;
/**
 * The shares of the server's rate and burst our own pacing uses: pings and stats need some of the rest, and the
 * network may bunch up messages sent apart, so the server sees a bigger burst than was sent.
 */
const PACE_SHARE = 0.8;
const BURST_SHARE = 0.5;
/** How soon to try again when the outbox is waiting for the rate limit. */
const FLUSH_RETRY_MS = 20;
/** How long `drain` (and so `close`) waits at most for what was played to leave, through a reconnect if need be. */
const DRAIN_TIMEOUT_MS = 10_000;
const DRAIN_POLL_MS = 5;

/** Joins a room and resolves once welcomed and the clock is measured. */
export async function joinSession(url: string, options: JoinOptions = {}): Promise<SessionClient> {
  // The mesh rides the client from before its welcome, so no offer sent on our arrival is missed.
  const attach = options.mesh ? (await import('./mesh/node.js')).attachMesh : undefined;
  const client = new SessionClient(url, options);
  if (attach) attach(client, options.mesh);
  await client.ready;
  return client;
}

/** An event or MIDI message this client played, kept to resend after a reconnect. */
export type Outbound = Outgoing<EventMessage | MidiMessage>;

export class SessionClient {
  readonly ready: Promise<void>;
  private ws?: WebSocket;
  private url: string;
  private readonly clock: Clock;
  private readonly sync = new ClockSync();
  private readonly playout: PlayoutDelay;
  private readonly scheduler: PlayoutScheduler<SessionEvent>;
  private readonly listeners = new Map<keyof ClientEvents, Set<Listener<never>>>();
  private readonly iterators = new Set<{ queue: SessionEvent[]; wake?: () => void }>();
  private readonly lastSeqFrom = new Map<string, number>();
  /** Seqs skipped over (below the last) that may still come by another path: each is taken once if it does. */
  private readonly missingFrom = new Map<string, Set<number>>();
  private readonly held = new HeldNotes();
  private readonly pendingStates: Array<(state: StateMessage) => void> = [];
  private outbox: Outbound[] = [];
  private seq = 0;
  private sentUpTo = 0;
  /** The first outbox message not yet sent on this link. */
  private nextToSend = 0;
  private flushTimer?: NodeJS.Timeout;
  /** Our own token bucket, under the server's. */
  private pace = new TokenBucket(RATE_PER_SECOND * PACE_SHARE, RATE_BURST * BURST_SHARE, performance.now());
  private epoch = 0;
  private offset = 0;
  private replayUpTo = 0;
  private id = '';
  private room = '';
  private heartbeat = 0;
  private lastHeard = 0;
  private connected = false;
  private stopped = false;
  private attempt = 0;
  private syncBurst = 0;
  /** The clock offset is only the welcome's rough guess until the first pong. */
  private roughClock = false;
  private handedIceServers: string[] = [];
  /** The mesh's pairs, for the stats the room's state view shows (set by the mesh when it is attached). */
  pairReports?: () => PairReport[];
  /** Why the last link failed, as the socket said (ECONNREFUSED, …). */
  private linkError?: string;
  private currentTempo: Tempo = defaultTempo();
  private players: PlayerInfo[] = [];
  private readonly counts = { sent: 0, received: 0, played: 0, late: 0, duplicates: 0, skipped: 0, reconnects: 0 };
  private timers: NodeJS.Timeout[] = [];
  private reconnectTimer?: NodeJS.Timeout;
  private settle?: { resolve: () => void; reject: (error: Error) => void; welcomed: boolean };
  /** Run before a graceful close (the mesh says bye to its peers). */
  private readonly beforeClose: Array<() => Promise<void> | void> = [];

  constructor(
    url: string,
    private readonly options: JoinOptions = {},
  ) {
    this.url = url;
    this.clock = options.clock ?? epochClock;
    this.playout = new PlayoutDelay(options.playout ?? 'auto');
    this.scheduler = new PlayoutScheduler(this.clock, (event) => this.onPlay(event));
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject, welcomed: false };
    });
    const timeout = setTimeout(
      () =>
        this.fail(
          new JamError(
            `no welcome from ${this.url} within ${options.timeoutMs ?? JOIN_TIMEOUT_MS} ms: is a jam server running there?`,
          ),
        ),
      options.timeoutMs ?? JOIN_TIMEOUT_MS,
    );
    timeout.unref();
    this.ready.then(
      () => clearTimeout(timeout),
      () => clearTimeout(timeout),
    );
    this.connect();
  }

  // --- what the user does --------------------------------------------------------------------------------------

  /** Session time now (ms): the local clock plus the measured offset. */
  sessionTime(): number {
    return this.sync.sessionTime(this.clock.now());
  }

  /** Sends a live event stamped at `stamp` (session ms; default now). Queued while the link is down. */
  send(event: LiveEvent, stamp = this.sessionTime()): void {
    this.enqueue({ kind: 'event', seq: ++this.seq, stamp, ...liveEventOf(event) });
  }

  /** Sends raw MIDI bytes (relayed as they are; system messages only where the room allows them). */
  sendMidi(data: number[], stamp = this.sessionTime()): void {
    this.enqueue({ kind: 'midi', seq: ++this.seq, stamp, data });
  }

  /** Changes the room's tempo (and meter) from now on, keeping the beat continuous. */
  setTempo(bpm: number, meter = this.currentTempo.meter): void {
    const tempo = changeTempo(this.currentTempo, this.sessionTime(), bpm, meter);
    this.transmit({ kind: 'tempo', ...tempo });
  }

  tempo(): Tempo {
    return this.currentTempo;
  }

  /** Other players' events, as they are played. Ends when the client closes. Unread events wait in memory: read them. */
  events(): AsyncIterableIterator<SessionEvent> {
    const reader: { queue: SessionEvent[]; wake?: () => void } = { queue: [] };
    this.iterators.add(reader);
    const iterator: AsyncIterableIterator<SessionEvent> = {
      next: async () => {
        while (reader.queue.length === 0 && !this.stopped)
          await new Promise<void>((resolve) => (reader.wake = resolve));
        if (reader.queue.length > 0) return { value: reader.queue.shift()!, done: false };
        this.iterators.delete(reader);
        return { value: undefined, done: true };
      },
      return: async () => {
        this.iterators.delete(reader);
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  on<K extends keyof ClientEvents>(kind: K, listener: Listener<ClientEvents[K]>): () => void {
    const set = this.listeners.get(kind) ?? new Set();
    set.add(listener as Listener<never>);
    this.listeners.set(kind, set);
    return () => set.delete(listener as Listener<never>);
  }

  state(): ClientState {
    const estimate = this.sync.estimate;
    return {
      url: this.url,
      id: this.id,
      room: this.room,
      connected: this.connected,
      epoch: this.epoch,
      offset: this.offset,
      rtt: estimate.rtt,
      clockOffset: estimate.offset,
      jitter: estimate.jitter,
      playout: this.playout.delay,
      ...this.counts,
      tempo: this.currentTempo,
      players: this.players,
    };
  }

  /** The room's state as the server sees it: every player's link as they report it. */
  roomState(): Promise<StateMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new JamError(`no answer from ${this.url} about the room within ${STATE_TIMEOUT_MS} ms`)),
        STATE_TIMEOUT_MS,
      );
      this.pendingStates.push((state) => {
        clearTimeout(timer);
        resolve(state);
      });
      this.transmit({ kind: 'query' });
    });
  }

  /**
   * Resolves when everything played so far has left this process, waiting for a reconnect if the link is down, for
   * at most `timeoutMs`.
   */
  async drain(timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
    const pending = () => {
      if (this.stopped || this.outbox.length === 0) return false;
      if (!this.connected || this.ws?.readyState !== WebSocket.OPEN) return true;
      return this.nextToSend < this.outbox.length || this.ws.bufferedAmount > 0;
    };
    for (let waited = 0; waited < timeoutMs && pending(); waited += DRAIN_POLL_MS)
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }

  /** Leaves the room: plays what is queued, ends every sounding note, says bye. */
  async close(): Promise<void> {
    if (this.stopped) return;
    for (const hook of this.beforeClose.splice(0)) await hook();
    await this.drain();
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(encode({ kind: 'bye' }));
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.close(1000, 'bye');
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    }
    this.stop(1000, 'closed by the client');
  }

  // --- what the mesh uses (src/session/mesh) --------------------------------------------------------------------

  /** Sends WebRTC signalling to another peer of the room, through the server. */
  signal(to: string, body: SignalBody): void {
    this.transmit({ kind: 'signal', to, ...body });
  }

  /**
   * An event or MIDI message from `from` that came by another path than the relay (checked by the caller): played
   * like a relayed one, once per (from, seq). Returns whether it was new.
   */
  receive(from: string, message: Outbound, path: EventPath): boolean {
    if (this.stopped) return false;
    if (message.kind === 'midi') {
      if (!this.isNew(from, message.seq, 0, path)) return false;
      this.emit('midi', {
        v: 1,
        kind: 'midi',
        offset: 0,
        from,
        seq: message.seq,
        stamp: message.stamp,
        data: message.data,
      });
      return true;
    }
    const { kind: _kind, ...rest } = message;
    return this.onEvent({ v: 1, kind: 'event', offset: 0, from, ...rest }, this.clock.now(), path);
  }

  /** The highest sequence number taken from `from` in this room's epoch (0: nothing yet). */
  lastSeqOf(from: string): number {
    return this.lastSeqFrom.get(from) ?? 0;
  }

  /** Plays what is queued from `from` and ends its sounding notes (a peer found dead). */
  endNotes(from: string): void {
    if (!this.stopped) this.endNotesOf(from);
  }

  /** Runs `hook` when the client is closed gracefully, before its bye. */
  beforeLeave(hook: () => Promise<void> | void): void {
    this.beforeClose.push(hook);
  }

  /** Whether the client has stopped for good. */
  get closed(): boolean {
    return this.stopped;
  }

  // --- the link ------------------------------------------------------------------------------------------------

  private connect(): void {
    if (this.stopped) return;
    const { origin, ca } = this.options;
    const ws = new WebSocket(this.url, {
      perMessageDeflate: false,
      ...(origin ? { origin } : {}),
      ...(ca ? { ca } : {}),
    });
    this.ws = ws;
    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data: Buffer) => this.onMessage(ws, data));
    ws.on('ping', () => (this.lastHeard = performance.now()));
    ws.on('unexpected-response', (_request, response) => {
      if (ws === this.ws)
        this.stop(response.statusCode ?? 0, `the server answered HTTP ${response.statusCode} instead of a WebSocket`);
    });
    ws.on('close', (code: number, reason: Buffer) => this.onClose(ws, code, reason.toString()));
    ws.on('error', (error: NodeJS.ErrnoException) => (this.linkError = error.code ?? error.message));
  }

  private onOpen(ws: WebSocket): void {
    if (ws !== this.ws) return;
    this.lastHeard = performance.now();
    // A hello lost on a dying link must not leave us waiting for a welcome for ever.
    const welcomeWait = setTimeout(
      () => !this.connected && ws === this.ws && ws.terminate(),
      this.heartbeat ? this.heartbeat * 2.5 : JOIN_TIMEOUT_MS,
    );
    welcomeWait.unref();
    this.timers.push(welcomeWait);
    const resume = this.epoch
      ? { epoch: this.epoch, offset: this.offset, ...(this.id ? { id: this.id } : {}) }
      : undefined;
    const urlNamesRoom = /\/r\/[^/]+\/?(\?|$)/.test(this.url);
    ws.send(
      encode({
        kind: 'hello',
        role: this.options.role ?? 'player',
        ...(this.options.name ? { name: this.options.name } : {}),
        ...(!urlNamesRoom && (this.options.room ?? this.room) ? { room: this.options.room ?? this.room } : {}),
        ...(this.options.token ? { token: this.options.token } : {}),
        ...(this.options.sync ? { sync: this.options.sync } : {}),
        ...(this.options.bars ? { bars: this.options.bars } : {}),
        ...(resume ? { resume } : {}),
      }),
    );
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.connected = false;
    this.clearTimers();
    if (this.stopped) return;
    const reconnect = this.options.reconnect;
    if (
      reconnect === false ||
      FINAL_CLOSE_CODES.has(code) ||
      (this.settle && !this.settle.welcomed && code !== CloseCode.SERVER_SHUTTING_DOWN && code >= 4000) ||
      // Never welcomed, and nothing listens there (or the name is unknown): say so now rather than retry.
      (this.settle && !this.settle.welcomed && NO_SERVER.has(this.linkError ?? ''))
    ) {
      const why = this.linkError && !this.settle?.welcomed ? `no jam server answers there (${this.linkError})` : '';
      return this.stop(code, reason || why || `the link closed with code ${code}`);
    }
    if (reconnect?.attempts !== undefined && this.attempt >= reconnect.attempts)
      return this.stop(code, `gave up after ${this.attempt} attempts to reconnect`);
    const delay = backoff(this.attempt++, reconnect?.baseMs ?? RECONNECT_BASE_MS, reconnect?.maxMs ?? RECONNECT_MAX_MS);
    this.emit('reconnecting', { attempt: this.attempt, delay, code });
    this.reconnectTimer = setTimeout(() => {
      this.counts.reconnects++;
      this.connect();
    }, delay);
  }

  private stop(code: number, reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.connected = false;
    this.clearTimers();
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.flushTimer);
    this.scheduler.close();
    for (const from of this.held.players()) this.endNotesOf(from);
    this.ws?.terminate();
    this.fail(new JamError(`could not join ${this.url}: ${reason} (code ${code})`));
    this.emit('closed', { code, reason });
    for (const reader of this.iterators) reader.wake?.();
  }

  private fail(error: Error): void {
    if (!this.settle) return;
    this.settle.reject(error);
    this.settle = undefined;
    if (!this.stopped) this.stop(0, error.message);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  private transmit(message: Outgoing<ClientMessage>): void {
    if (!this.connected || this.ws?.readyState !== WebSocket.OPEN) return;
    this.pace.take(performance.now());
    this.ws.send(encode(message));
  }

  private enqueue(message: Outbound): void {
    this.outbox.push(message);
    if (this.outbox.length > 2 * OUTBOX_EVENTS) {
      const trimmed = this.outbox.length - OUTBOX_EVENTS;
      this.outbox = this.outbox.slice(trimmed);
      this.nextToSend = Math.max(0, this.nextToSend - trimmed);
    }
    this.counts.sent++;
    this.emit('sent', message);
    this.flush();
  }

  /**
   * Sends what is waiting in the outbox, in order, no faster than the server's rate limit allows (with headroom for
   * pings and stats): a backlog after a reconnect, or a player faster than the limit, waits instead of being cut off.
   */
  private flush(): void {
    const ws = this.ws;
    if (!this.connected || !ws || ws.readyState !== WebSocket.OPEN) return;
    while (this.nextToSend < this.outbox.length && this.pace.take(performance.now())) {
      const message = this.outbox[this.nextToSend++]!;
      ws.send(encode(message));
      this.sentUpTo = message.seq;
    }
    if (this.nextToSend < this.outbox.length && !this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.flush();
      }, FLUSH_RETRY_MS);
    }
  }

  /**
   * After a welcome: resend what the server does not have from us (in this room's epoch), numbering anything never
   * sent after what the server has under our name (an earlier process of ours may have used those numbers).
   */
  private resend(lastSeq: number, newEpoch: boolean): void {
    const unsent = this.outbox.filter((message) => message.seq > this.sentUpTo);
    if (unsent.length > 0 && unsent[0]!.seq <= lastSeq) {
      let next = lastSeq;
      for (const message of unsent) message.seq = ++next;
      this.seq = next;
    }
    this.seq = Math.max(this.seq, lastSeq);
    const after = newEpoch ? this.sentUpTo : lastSeq;
    const first = this.outbox.findIndex((message) => message.seq > after);
    this.nextToSend = first < 0 ? this.outbox.length : first;
    this.flush();
  }

  // --- what the server says ------------------------------------------------------------------------------------

  private onMessage(ws: WebSocket, data: Buffer): void {
    if (ws !== this.ws) return;
    const arrived = this.clock.now();
    // Liveness is a matter of real time, whatever clock the music runs on.
    this.lastHeard = performance.now();
    const parsed = parseServerMessage(data);
    if (!parsed.ok) return; // A newer or broken server's message: nothing to act on.
    const message = parsed.message;
    switch (message.kind) {
      case 'welcome':
        return this.onWelcome(message);
      case 'event':
        this.onEvent(message, arrived);
        return;
      case 'midi':
        if (this.isNew(message.from, message.seq, message.offset)) this.emit('midi', message);
        return;
      case 'pong':
        return this.onPong(message.t0, message.t1, message.t2, arrived);
      case 'tempo':
        this.currentTempo = { bpm: message.bpm, meter: message.meter, origin: message.origin };
        this.emit('tempo', this.currentTempo);
        return;
      case 'presence':
        return this.onPresence(message);
      case 'snapshot':
        return this.onSnapshot(message);
      case 'state':
        this.pendingStates.shift()?.(message);
        return;
      case 'goodbye':
        this.emit('goodbye', { reason: message.reason, ...(message.moveTo ? { moveTo: message.moveTo } : {}) });
        // Told to leave with nowhere to go: leave, ending what sounds, rather than knock on a closing door.
        if (message.moveTo) this.moveTo(message.moveTo);
        else this.stop(CloseCode.SERVER_SHUTTING_DOWN, `the server said goodbye: ${message.reason}`);
        return;
      case 'error':
        return;
      case 'signal':
        this.emit('signal', message);
        return;
    }
  }

  private moveTo(url: string): void {
    this.url = url;
    this.sync.reset();
    this.attempt = 0;
  }

  private onWelcome(welcome: WelcomeMessage): void {
    this.handedIceServers = welcome.iceServers ?? [];
    const newEpoch = welcome.epoch !== this.epoch;
    if (newEpoch) {
      // A new room (or a restarted server): sequence numbers and offsets start over.
      this.lastSeqFrom.clear();
      this.missingFrom.clear();
      this.offset = welcome.offset;
    }
    this.epoch = welcome.epoch;
    this.replayUpTo = welcome.offset;
    this.id = welcome.id;
    this.room = welcome.room;
    this.heartbeat = welcome.heartbeat;
    this.currentTempo = welcome.tempo;
    this.players = welcome.players;
    this.connected = true;
    this.attempt = 0;
    for (const from of this.held.players()) {
      if (!welcome.players.some((player) => player.id === from && player.connected)) this.endNotesOf(from);
    }
    this.pace = new TokenBucket(
      welcome.rate.perSecond * PACE_SHARE,
      welcome.rate.burst * BURST_SHARE,
      performance.now(),
    );
    this.resend(welcome.lastSeq, newEpoch);
    if (this.sync.estimate.samples === 0) {
      this.sync.add({ offset: welcome.serverTime - this.clock.now(), rtt: 0 });
      this.roughClock = true;
    }
    this.emit('welcome', welcome);
    if (this.settle) this.settle.welcomed = true;
    this.startTimers();
  }

  private startTimers(): void {
    this.clearTimers();
    const interval = this.options.syncIntervalMs ?? SYNC_INTERVAL_MS;
    this.syncBurst = SYNC_BURST;
    this.ping();
    this.timers.push(
      setInterval(() => {
        this.ping();
        this.reportStats();
      }, interval),
      setInterval(() => {
        // No word from the server for two heartbeats and a half: the link is dead.
        const silence = performance.now() - this.lastHeard;
        if (silence > this.heartbeat * 2.5) this.ws?.terminate();
        // Ask, in case pings do not reach us (some proxies answer them themselves): a pong is word from the server.
        else if (silence > this.heartbeat) this.ping();
      }, this.heartbeat / 2),
    );
    for (const timer of this.timers) timer.unref();
  }

  private ping(): void {
    this.transmit({ kind: 'ping', t0: this.clock.now() });
  }

  private onPong(t0: number, t1: number, t2: number, t3: number): void {
    if (this.roughClock) this.sync.reset();
    this.roughClock = false;
    this.sync.add(syncSample(t0, t1, t2, t3));
    if (this.syncBurst > 0 && --this.syncBurst > 0) return this.ping();
    if (this.settle?.welcomed) {
      this.settle.resolve();
      this.settle = undefined;
      this.reportStats();
    }
  }

  /** The STUN/TURN servers the server handed out in its welcome (none until welcomed). */
  iceServersFromServer(): string[] {
    return this.handedIceServers;
  }

  private reportStats(): void {
    const estimate = this.sync.estimate;
    if (this.roughClock) return;
    const { sent, received, late } = this.counts;
    this.transmit({
      kind: 'stats',
      rtt: estimate.rtt,
      offset: estimate.offset,
      jitter: estimate.jitter,
      playout: this.playout.delay,
      sent,
      received,
      late,
      ...(this.pairReports ? { peers: this.pairReports() } : {}),
    });
  }

  /** True the first time (sender, sequence) is seen; also moves the room offset on. */
  private isNew(from: string, seq: number, offset: number, path: EventPath = 'relay'): boolean {
    this.offset = Math.max(this.offset, offset);
    const last = this.lastSeqFrom.get(from) ?? 0;
    if (seq <= last) {
      // Below the last: new only if it is one skipped over when a later one came first (by the other path).
      const missing = this.missingFrom.get(from);
      if (!missing?.delete(seq)) {
        this.counts.duplicates++;
        return false;
      }
    } else {
      if (last > 0 && seq > last + 1 && seq - last <= MAX_GAP) {
        const missing = this.missingFrom.get(from) ?? new Set<number>();
        for (let skipped = last + 1; skipped < seq; skipped++) missing.add(skipped);
        // Oldest first: a gap that never fills (a message the relay did not carry) is forgotten in time.
        for (const old of missing) {
          if (missing.size <= MAX_MISSING) break;
          missing.delete(old);
        }
        this.missingFrom.set(from, missing);
      }
      this.lastSeqFrom.set(from, seq);
    }
    this.emit('accepted', { from, seq, path });
    return true;
  }

  private onEvent(message: RelayedEventMessage, arrived: number, path: EventPath = 'relay'): boolean {
    if (!this.isNew(message.from, message.seq, message.offset, path)) return false;
    this.counts.received++;
    const event: SessionEvent = { ...liveEventOf(message), from: message.from, seq: message.seq, stamp: message.stamp };
    const player = this.players.find((candidate) => candidate.id === message.from);
    let at: number;
    if (player?.sync === 'interval') {
      at = message.stamp + intervalDelay(this.currentTempo, player.bars);
    } else {
      const lateness = this.sync.sessionTime(arrived) - message.stamp;
      const fresh = path === 'direct' || message.offset > this.replayUpTo;
      if (fresh && lateness < LATENESS_CAP_MS) this.playout.observe(lateness);
      at = message.stamp + this.playout.delay;
    }
    // A stamp far in the future (a wrong clock, or a hostile sender) must not hold notes back for long.
    const local = Math.min(
      this.sync.localTime(at),
      arrived + MAX_AHEAD_MS + (player?.sync === 'interval' ? intervalDelay(this.currentTempo, player.bars) : 0),
    );
    if (this.playout.delay > 0 && local < arrived) this.counts.late++;
    this.scheduler.schedule(
      event,
      message.from,
      this.playout.mode === 0 && player?.sync !== 'interval' ? -Infinity : local,
    );
    return true;
  }

  private onPlay(event: SessionEvent): void {
    this.counts.played++;
    this.held.track(event);
    this.emit('event', event);
    for (const reader of this.iterators) {
      reader.queue.push(event);
      reader.wake?.();
    }
  }

  /** Plays at once what is queued from a player and ends the notes it left sounding. */
  private endNotesOf(from: string): void {
    this.scheduler.flush(from);
    for (const off of this.held.endingsOf(from, this.sessionTime())) this.onPlay(off);
  }

  private onPresence(message: PresenceMessage): void {
    const player = message.player;
    this.players = [...this.players.filter((candidate) => candidate.id !== player.id), player];
    if (message.what !== 'join') this.endNotesOf(player.id);
    this.emit('presence', message);
  }

  /** What was skipped is gone: bring the sounding notes in line with the server's. */
  private onSnapshot(snapshot: SnapshotMessage): void {
    this.scheduler.flush();
    this.offset = Math.max(this.offset, snapshot.offset);
    this.counts.skipped += snapshot.skipped;
    this.currentTempo = snapshot.tempo;
    for (const event of this.held.toMatch(snapshot.sounding, this.sessionTime(), this.id)) this.onPlay(event);
    this.emit('snapshot', snapshot);
  }

  private emit<K extends keyof ClientEvents>(kind: K, payload: ClientEvents[K]): void {
    for (const listener of this.listeners.get(kind) ?? []) (listener as Listener<ClientEvents[K]>)(payload);
  }
}

/** Exponential backoff with jitter: between half and all of base·2^attempt, capped. */
export function backoff(
  attempt: number,
  baseMs = RECONNECT_BASE_MS,
  maxMs = RECONNECT_MAX_MS,
  random = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
