/**
 * The session server: Node's http (or https) and ws. Rooms are made on first join, at `/r/<room>` or by the hello's
 * `room`. The server distrusts everything it is sent: bounded messages, a token bucket per client, caps per room and
 * per server, a schema check of every message, an Origin check for browsers, heartbeats that drop dead peers. A
 * client that cannot keep up is skipped, never buffered without bound and never disconnected for it: when it has
 * caught up it gets a snapshot of the sounding notes and the count of what it missed.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { JamError } from '../errors.js';
import { quantile } from './clock.js';
import {
  FANOUT_SAMPLES,
  HARD_MESSAGE_BYTES,
  HEARTBEAT_MS,
  HELLO_TIMEOUT_MS,
  MAX_CLIENTS,
  MAX_MESSAGE_BYTES,
  MAX_PEOPLE_PER_ROOM,
  MAX_ROOMS,
  RATE_BURST,
  RATE_PER_SECOND,
  ROOM_LINGER_MS,
  SLOW_CONSUMER_BYTES,
} from './constants.js';
import { TokenBucket } from './limits.js';
import { healthLine, metricsText, type ServerCounts } from './metrics.js';
import {
  CloseCode,
  encode,
  isSystemMidi,
  liveEventOf,
  parseClientMessage,
  ROOM_PATTERN,
  type ClientMessage,
  type HelloMessage,
  type Outgoing,
  type Problem,
  type ServerMessage,
} from './protocol.js';
import { infoOf, Room, type Member } from './room.js';
import { verifyToken, type TokenProblem } from './token.js';

export interface SessionServerOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** With a secret, only valid join tokens are admitted. */
  secret?: string;
  /** Without a secret the server must listen on loopback, unless this is true. */
  open?: boolean;
  /** Origins browsers may connect from (a request without an Origin header is not a browser's). Default: any. */
  allowedOrigins?: string[];
  /** Serve wss:// with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  maxClients?: number;
  maxRooms?: number;
  maxPeoplePerRoom?: number;
  maxMessageBytes?: number;
  rate?: { perSecond: number; burst: number };
  heartbeatMs?: number;
  helloTimeoutMs?: number;
  slowConsumerBytes?: number;
  historyEvents?: number;
  historyBytes?: number;
  roomLingerMs?: number;
  /** Relay MIDI system messages (SysEx, clock): in every room, or in the rooms this says yes to. */
  allowSystem?: boolean | ((room: string) => boolean);
  /** The session clock, in ms (default: wall-clock ms, monotonic). Tests impose an offset through it. */
  clock?: () => number;
  /** STUN/TURN servers handed to every client in its welcome, for the mesh (`stun:host`, `turn:user:pass@host`). */
  iceServers?: string[];
}

export interface SessionServer {
  /** ws:// or wss:// address of the server (no room). */
  readonly url: string;
  readonly port: number;
  counts(): ServerCounts;
  /** Prometheus text exposition, as served at /metrics. */
  metrics(): string;
  /** One line for a log each minute. */
  health(): string;
  /** The names of the rooms held now. */
  rooms(): string[];
  /** The room's state, as a `query` would get it. */
  roomState(room: string): Outgoing<Extract<ServerMessage, { kind: 'state' }>> | undefined;
  /** Tells every client goodbye (and where to go, if `moveTo` is given) and stops. */
  close(options?: { moveTo?: string; reason?: string }): Promise<void>;
}

interface Connection {
  ws: WebSocket;
  room?: Room;
  member?: Member;
  /** A room path's name, or a token from the URL, awaiting the hello. */
  pathRoom?: string;
  urlToken?: string;
  bucket: TokenBucket;
  alive: boolean;
  opened: number;
  /** Over the slow-consumer bound: messages are skipped until it drains. */
  behind: boolean;
  skipped: number;
  /** Resuming: history from this offset on is still to be sent. */
  replayFrom?: number;
  leaving: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** How often sockets that are behind or replaying are looked at. */
const PUMP_MS = 10;
/** A socket that was behind is sent its snapshot once its buffer is down to a quarter of the bound. */
const RECOVERED_SHARE = 0.25;
const CLOSE_WAIT_MS = 1000;
/** The WebSocket code for a server's own failure. */
const INTERNAL_ERROR = 1011;
/** A close frame's reason may hold at most 123 bytes of UTF-8. */
const CLOSE_REASON_BYTES = 123;

/** A close reason cut to what a close frame can carry, never in the middle of a character. */
export function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > CLOSE_REASON_BYTES) reason = [...reason].slice(0, -1).join('');
  return reason;
}

const sessionNow = () => performance.timeOrigin + performance.now();

export async function startSessionServer(options: SessionServerOptions = {}): Promise<SessionServer> {
  const host = options.host ?? '127.0.0.1';
  if (!options.secret && !options.open && !LOOPBACK.has(host)) {
    throw new JamError(
      `without a secret the server listens on loopback only: give --secret (or --secret-file), or --open to let anyone on ${host} join`,
    );
  }
  const server = new Server(options);
  const port = options.port ?? 8080;
  try {
    await server.listen(port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new JamError(`cannot listen on ${host}:${port} (${code}): choose another --port or --host`);
    }
    throw error;
  }
  return server;
}

class Server implements SessionServer {
  private readonly http: HttpServer;
  private readonly wss: WebSocketServer;
  private readonly roomsByName = new Map<string, Room>();
  private readonly emptySince = new Map<Room, number>();
  private readonly connections = new Set<Connection>();
  /** Who holds each member now. */
  private readonly holders = new Map<Member, Connection>();
  private readonly pumping = new Set<Connection>();
  /** Sockets written to in this tick: held corked so each gets one write call per tick, however many messages. */
  private readonly corked = new Set<{ cork(): void; uncork(): void }>();
  private readonly fanoutTimes: number[] = [];
  private fanoutNext = 0;
  private readonly tally = {
    messagesIn: 0,
    messagesOut: 0,
    dropped: 0,
    filtered: 0,
    closed: {} as Record<number, number>,
  };
  private readonly clock: () => number;
  private readonly limits;
  private heartbeat?: NodeJS.Timeout;
  /** Runs only while some socket is behind or replaying. */
  private pump?: NodeJS.Timeout;
  private closing = false;
  private readonly iceServers: string[];
  url = '';
  port = 0;

  constructor(private readonly options: SessionServerOptions) {
    this.clock = options.clock ?? sessionNow;
    this.iceServers = options.iceServers ?? [];
    this.limits = {
      maxClients: options.maxClients ?? MAX_CLIENTS,
      maxRooms: options.maxRooms ?? MAX_ROOMS,
      maxPeople: options.maxPeoplePerRoom ?? MAX_PEOPLE_PER_ROOM,
      maxMessage: options.maxMessageBytes ?? MAX_MESSAGE_BYTES,
      perSecond: options.rate?.perSecond ?? RATE_PER_SECOND,
      burst: options.rate?.burst ?? RATE_BURST,
      heartbeat: options.heartbeatMs ?? HEARTBEAT_MS,
      helloTimeout: options.helloTimeoutMs ?? HELLO_TIMEOUT_MS,
      slowBytes: options.slowConsumerBytes ?? SLOW_CONSUMER_BYTES,
      linger: options.roomLingerMs ?? ROOM_LINGER_MS,
    };
    const handler = (request: IncomingMessage, response: ServerResponse) => this.onRequest(request, response);
    this.http = options.tls
      ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler)
      : createHttpServer(handler);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: Math.max(HARD_MESSAGE_BYTES, this.limits.maxMessage),
      perMessageDeflate: false,
    });
    this.http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(request, socket, head),
    );
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const address = this.http.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    this.url = `${this.options.tls ? 'wss' : 'ws'}://${shownHost}:${this.port}`;
    this.heartbeat = setInterval(() => this.onHeartbeat(), this.limits.heartbeat);
    this.heartbeat.unref();
  }

  // --- HTTP ----------------------------------------------------------------------------------------------------

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/healthz') {
      response
        .writeHead(this.closing ? 503 : 200, { 'content-type': 'text/plain' })
        .end(this.closing ? 'closing\n' : 'ok\n');
    } else if (request.method === 'GET' && path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.metrics());
    } else {
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('jam session server: connect with a WebSocket to /r/<room>\n');
    }
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const origin = request.headers.origin;
    const allowed = this.options.allowedOrigins;
    if (origin !== undefined && allowed && !allowed.includes(origin)) {
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\norigin ${origin.slice(0, 200)} is not allowed\n`,
      );
      return;
    }
    const target = roomPathOf(request.url ?? '/');
    if (!target) {
      socket.end(
        'HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nconnect to /r/<room>\n',
      );
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, target.room, target.token));
  }

  // --- connections ---------------------------------------------------------------------------------------------

  private onConnection(ws: WebSocket, pathRoom: string | undefined, urlToken: string | undefined): void {
    const conn: Connection = {
      ws,
      pathRoom,
      urlToken,
      bucket: new TokenBucket(this.limits.perSecond, this.limits.burst, performance.now()),
      alive: true,
      opened: performance.now(),
      behind: false,
      skipped: 0,
      leaving: false,
    };
    ws.on('error', () => undefined);
    if (this.closing)
      return this.refuse(conn, { code: CloseCode.SERVER_SHUTTING_DOWN, reason: 'the server is shutting down' });
    if (this.connections.size >= this.limits.maxClients) {
      return this.refuse(conn, {
        code: CloseCode.SERVER_FULL,
        reason: `the server is full (${this.limits.maxClients} connections)`,
      });
    }
    this.connections.add(conn);
    ws.on('pong', () => (conn.alive = true));
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(conn, data, isBinary));
    ws.on('close', (code: number) => this.onClose(conn, code));
  }

  /** Closes a connection for a broken rule, telling it which. */
  private refuse(conn: Connection, problem: Problem): void {
    this.tally.closed[problem.code] = (this.tally.closed[problem.code] ?? 0) + 1;
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(encode({ kind: 'error', code: problem.code, reason: problem.reason }));
    conn.ws.close(problem.code, closeReason(problem.reason));
    conn.leaving = true;
  }

  private onMessage(conn: Connection, data: Buffer, isBinary: boolean): void {
    try {
      this.handle(conn, data, isBinary);
    } catch {
      // A bug of ours must cost one connection, never the server and everyone on it.
      this.tally.closed[INTERNAL_ERROR] = (this.tally.closed[INTERNAL_ERROR] ?? 0) + 1;
      if (conn.ws.readyState === WebSocket.OPEN) conn.ws.close(INTERNAL_ERROR, 'internal error');
    }
  }

  private handle(conn: Connection, data: Buffer, isBinary: boolean): void {
    const received = this.clock();
    if (conn.leaving) return;
    conn.alive = true;
    this.tally.messagesIn++;
    if (!conn.bucket.take(performance.now())) {
      return this.refuse(conn, {
        code: CloseCode.RATE_LIMIT,
        reason: `over the rate limit of ${this.limits.perSecond} messages a second (bursts of ${this.limits.burst})`,
      });
    }
    if (isBinary)
      return this.refuse(conn, { code: CloseCode.SCHEMA, reason: 'messages must be JSON text frames, not binary' });
    const parsed = parseClientMessage(data, this.limits.maxMessage);
    if (!parsed.ok) return this.refuse(conn, parsed);
    const message = parsed.message;
    if (message.kind === 'hello') return this.onHello(conn, message);
    const { room, member } = conn;
    if (!room || !member)
      return this.refuse(conn, { code: CloseCode.JOIN_FIRST, reason: 'the first message must be a hello' });
    this.onRoomMessage(conn, room, member, message, received);
  }

  private onRoomMessage(conn: Connection, room: Room, member: Member, message: ClientMessage, received: number): void {
    switch (message.kind) {
      case 'ping':
        return this.send(conn, encode({ kind: 'pong', t0: message.t0, t1: received, t2: this.clock() }));
      case 'event':
      case 'midi':
      case 'tempo':
        if (member.role !== 'player')
          return this.refuse(conn, {
            code: CloseCode.LISTENER_MAY_NOT_SEND,
            reason: 'a listener may not send events or change the tempo',
          });
        if (message.kind === 'tempo') {
          room.tempo = { bpm: message.bpm, meter: message.meter, origin: message.origin };
          return this.broadcast(
            room,
            undefined,
            Buffer.from(encode({ kind: 'tempo', from: member.id, ...room.tempo })),
          );
        }
        if (!room.accept(member, message.seq)) {
          this.tally.filtered++;
          return;
        }
        if (message.kind === 'midi') {
          if (isSystemMidi(message.data) && !room.allowSystem) {
            this.tally.filtered++;
            return;
          }
          return this.relay(room, member, (offset) =>
            encode({
              kind: 'midi',
              offset,
              from: member.id,
              seq: message.seq,
              stamp: message.stamp,
              data: message.data,
            }),
          );
        }
        room.play(member, message);
        return this.relay(room, member, (offset) =>
          encode({
            kind: 'event',
            offset,
            from: member.id,
            seq: message.seq,
            stamp: message.stamp,
            ...liveEventOf(message),
          }),
        );
      case 'stats': {
        const { rtt, offset, jitter, playout, sent, received: got, late, peers } = message;
        member.stats = { rtt, offset, jitter, playout, sent, received: got, late, ...(peers ? { peers } : {}) };
        return;
      }
      case 'query':
        return this.send(conn, encode(this.roomState(room.name)!));
      case 'signal': {
        // WebRTC signalling for the mesh: handed to that peer of this room as it is, marked with who sent it.
        const peer = room.members.get(message.to);
        const to = peer && peer !== member ? this.holders.get(peer) : undefined;
        if (!to) {
          this.tally.filtered++;
          return;
        }
        const { type, sdp, candidate, mid } = message;
        return this.send(to, encode({ kind: 'signal', from: member.id, type, sdp, candidate, mid }));
      }
      case 'bye':
        conn.leaving = true;
        conn.ws.close(1000, 'bye');
        return;
      case 'hello':
        return;
    }
  }

  private onHello(conn: Connection, hello: HelloMessage): void {
    if (conn.room) return this.refuse(conn, { code: CloseCode.JOIN_FIRST, reason: 'hello may be sent only once' });
    const roomName = conn.pathRoom ?? hello.room;
    if (!roomName || !ROOM_PATTERN.test(roomName) || (conn.pathRoom && hello.room && hello.room !== conn.pathRoom)) {
      return this.refuse(conn, {
        code: CloseCode.BAD_ROOM,
        reason:
          'name a room of 1 to 64 letters, digits, dots, dashes or underscores, in the path /r/<room> or the hello',
      });
    }
    let name = hello.name;
    let role = hello.role;
    if (this.options.secret) {
      const token = hello.token ?? conn.urlToken;
      if (!token)
        return this.refuse(conn, {
          code: CloseCode.TOKEN_INVALID,
          reason: 'this server admits only join tokens: ask its host for a link',
        });
      const check = verifyToken(token, this.options.secret, { room: roomName });
      if (!check.ok) return this.refuse(conn, { code: TOKEN_CODES[check.problem], reason: check.reason });
      name = check.claims.name;
      if (check.claims.role === 'listener') role = 'listener';
    }
    let room = this.roomsByName.get(roomName);
    if (!room) {
      if (this.roomsByName.size >= this.limits.maxRooms)
        return this.refuse(conn, {
          code: CloseCode.SERVER_FULL,
          reason: `the server is full (${this.limits.maxRooms} rooms)`,
        });
      room = new Room(roomName, {
        historyEvents: this.options.historyEvents,
        historyBytes: this.options.historyBytes,
        allowSystem: systemAllowed(this.options.allowSystem, roomName),
      });
      this.roomsByName.set(roomName, room);
    }
    if (room.connectedCount >= this.limits.maxPeople) {
      return this.refuse(conn, {
        code: CloseCode.ROOM_FULL,
        reason: `room ${roomName} is full (${this.limits.maxPeople} people)`,
      });
    }
    const resume = hello.resume;
    const member = room.join({ name, role, sync: hello.sync, bars: hello.bars, resumeId: resume?.id }, (id) =>
      this.holders.has(room.members.get(id)!),
    );
    const previous = this.holders.get(member);
    if (previous) {
      previous.member = undefined;
      this.refuse(previous, { code: CloseCode.REPLACED, reason: `${member.id} connected again elsewhere` });
    }
    this.holders.set(member, conn);
    this.emptySince.delete(room);
    conn.room = room;
    conn.member = member;
    const resumed = resume !== undefined && resume.epoch === room.epoch;
    this.send(
      conn,
      encode({
        kind: 'welcome',
        id: member.id,
        room: room.name,
        epoch: room.epoch,
        offset: room.offset,
        serverTime: this.clock(),
        tempo: room.tempo,
        players: room.players().filter((player) => player.role === 'player' || player.id === member.id),
        lastSeq: member.lastSeq,
        heartbeat: this.limits.heartbeat,
        allowSystem: room.allowSystem,
        rate: { perSecond: this.limits.perSecond, burst: this.limits.burst },
        resumed,
        ...(this.iceServers.length > 0 ? { iceServers: this.iceServers } : {}),
      }),
    );
    if (resumed) this.startReplay(conn, room, resume.offset);
    else if (resume) this.sendSnapshot(conn, room, 0);
    // Listeners come and go unannounced: an audience of hundreds would otherwise flood everyone (the state query lists them).
    if (member.role === 'player')
      this.broadcast(room, conn, Buffer.from(encode({ kind: 'presence', what: 'join', player: infoOf(member) })));
  }

  private onClose(conn: Connection, code: number): void {
    this.connections.delete(conn);
    this.pumping.delete(conn);
    const { room, member } = conn;
    if (!room || !member || this.holders.get(member) !== conn) return;
    this.holders.delete(member);
    room.leave(member);
    const what = code === 1000 || code === CloseCode.SERVER_SHUTTING_DOWN ? 'leave' : 'drop';
    if (member.role === 'player')
      this.broadcast(room, conn, Buffer.from(encode({ kind: 'presence', what, player: infoOf(member) })));
    if (room.connectedCount === 0) this.emptySince.set(room, performance.now());
  }

  // --- sending -------------------------------------------------------------------------------------------------

  private send(conn: Connection, data: string | Buffer): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    this.cork(conn.ws);
    conn.ws.send(data, { binary: false });
    this.tally.messagesOut++;
  }

  /** Corks a socket until the end of this tick: a burst of relayed messages leaves in one system call per socket. */
  private cork(ws: WebSocket): void {
    const socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    if (!socket || this.corked.has(socket)) return;
    if (this.corked.size === 0) process.nextTick(() => this.uncorkAll());
    socket.cork();
    this.corked.add(socket);
  }

  private uncorkAll(): void {
    for (const socket of this.corked) socket.uncork();
    this.corked.clear();
  }

  /** Numbers a message, keeps it in the room's history and hands it to everyone else in the room. */
  private relay(room: Room, sender: Member, make: (offset: number) => string): void {
    const offset = room.nextOffset();
    const data = Buffer.from(make(offset));
    room.keep(offset, sender.id, data);
    this.broadcast(room, this.holders.get(sender), data, true);
  }

  /** Sends to every connection in the room but `except`; history messages wait for a replaying connection. */
  private broadcast(room: Room, except: Connection | undefined, data: Buffer, inHistory = false): void {
    const started = performance.now();
    for (const member of room.members.values()) {
      const conn = this.holders.get(member);
      if (!conn || conn === except) continue;
      if (inHistory && conn.replayFrom !== undefined) continue;
      this.sendOrSkip(conn, data);
    }
    this.fanoutTimes[this.fanoutNext] = performance.now() - started;
    this.fanoutNext = (this.fanoutNext + 1) % FANOUT_SAMPLES;
  }

  /** Sends unless the socket is too far behind; then the message is skipped and counted. */
  private sendOrSkip(conn: Connection, data: Buffer): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    if (conn.behind || conn.ws.bufferedAmount > this.limits.slowBytes) {
      conn.behind = true;
      conn.skipped++;
      this.tally.dropped++;
      this.startPumping(conn);
      return;
    }
    this.cork(conn.ws);
    conn.ws.send(data, { binary: false });
    this.tally.messagesOut++;
  }

  private sendSnapshot(conn: Connection, room: Room, skipped: number): void {
    this.send(
      conn,
      encode({ kind: 'snapshot', offset: room.offset, skipped, tempo: room.tempo, sounding: room.sounding() }),
    );
  }

  private startReplay(conn: Connection, room: Room, after: number): void {
    if (!room.history.covers(after, room.offset)) {
      // Too late to replay it all: what the history still holds is older than the snapshot, so it all counts as skipped.
      return this.sendSnapshot(conn, room, room.offset - after);
    }
    conn.replayFrom = after + 1;
    this.startPumping(conn);
    this.onPumpOne(conn);
  }

  private startPumping(conn: Connection): void {
    this.pumping.add(conn);
    if (this.pump || this.closing) return;
    this.pump = setInterval(() => this.onPump(), PUMP_MS);
    this.pump.unref();
  }

  /** Feeds replaying connections from history and sends snapshots to those that were behind and have drained. */
  private onPump(): void {
    for (const conn of this.pumping) this.onPumpOne(conn);
    if (this.pumping.size === 0) {
      clearInterval(this.pump);
      this.pump = undefined;
    }
  }

  private onPumpOne(conn: Connection): void {
    const room = conn.room;
    if (!room || conn.ws.readyState !== WebSocket.OPEN) {
      this.pumping.delete(conn);
      return;
    }
    if (conn.replayFrom !== undefined) {
      while (conn.replayFrom <= room.offset && conn.ws.bufferedAmount <= this.limits.slowBytes) {
        const entry = room.history.at(conn.replayFrom);
        if (!entry) {
          // History moved on past this client while it was replaying: the rest is skipped.
          conn.skipped += room.offset - conn.replayFrom + 1;
          conn.replayFrom = undefined;
          conn.behind = true;
          break;
        }
        conn.replayFrom++;
        if (entry.from !== conn.member?.id) this.send(conn, entry.data);
      }
      if (conn.replayFrom !== undefined && conn.replayFrom > room.offset) conn.replayFrom = undefined;
    }
    if (conn.behind && conn.ws.bufferedAmount <= this.limits.slowBytes * RECOVERED_SHARE) {
      conn.behind = false;
      this.sendSnapshot(conn, room, conn.skipped);
      conn.skipped = 0;
    }
    if (conn.replayFrom === undefined && !conn.behind) this.pumping.delete(conn);
  }

  private onHeartbeat(): void {
    const now = performance.now();
    for (const conn of this.connections) {
      if (!conn.room && now - conn.opened > this.limits.helloTimeout) {
        this.refuse(conn, {
          code: CloseCode.HEARTBEAT_TIMEOUT,
          reason: `no hello within ${this.limits.helloTimeout} ms`,
        });
        continue;
      }
      if (!conn.alive) {
        this.tally.closed[CloseCode.HEARTBEAT_TIMEOUT] = (this.tally.closed[CloseCode.HEARTBEAT_TIMEOUT] ?? 0) + 1;
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      if (conn.ws.readyState === WebSocket.OPEN) conn.ws.ping();
    }
    for (const [room, since] of this.emptySince) {
      if (now - since > this.limits.linger && room.connectedCount === 0) {
        this.roomsByName.delete(room.name);
        this.emptySince.delete(room);
      }
    }
  }

  // --- reporting -----------------------------------------------------------------------------------------------

  counts(): ServerCounts {
    return {
      connections: this.connections.size,
      rooms: this.roomsByName.size,
      ...this.tally,
      closed: { ...this.tally.closed },
      fanoutP99: quantile(this.fanoutTimes, 0.99),
    };
  }

  metrics(): string {
    return metricsText(this.counts());
  }

  health(): string {
    return healthLine(this.counts());
  }

  rooms(): string[] {
    return [...this.roomsByName.keys()];
  }

  roomState(name: string): Outgoing<Extract<ServerMessage, { kind: 'state' }>> | undefined {
    const room = this.roomsByName.get(name);
    if (!room) return undefined;
    return {
      kind: 'state',
      room: room.name,
      epoch: room.epoch,
      tempo: room.tempo,
      players: [...room.members.values()].map((member) => ({
        ...infoOf(member),
        ...(member.stats ? { stats: member.stats } : {}),
      })),
      messagesIn: this.tally.messagesIn,
      messagesOut: this.tally.messagesOut,
      skipped: this.tally.dropped,
    };
  }

  async close({
    moveTo,
    reason = 'the server is shutting down',
  }: { moveTo?: string; reason?: string } = {}): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.heartbeat);
    clearInterval(this.pump);
    this.pump = undefined;
    const goodbye = encode({ kind: 'goodbye', reason, ...(moveTo ? { moveTo } : {}) });
    const closed = [...this.connections].map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.ws.readyState === WebSocket.CLOSED) return resolve();
          conn.ws.once('close', () => resolve());
          if (conn.ws.readyState === WebSocket.OPEN) {
            conn.ws.send(goodbye);
            conn.ws.close(CloseCode.SERVER_SHUTTING_DOWN, closeReason(reason));
          }
          setTimeout(() => conn.ws.terminate(), CLOSE_WAIT_MS).unref();
        }),
    );
    await Promise.all(closed);
    this.wss.close();
    const stopped = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await stopped;
  }
}

function systemAllowed(rule: SessionServerOptions['allowSystem'], room: string): boolean {
  return typeof rule === 'function' ? rule(room) : (rule ?? false);
}

/** The room a WebSocket path names (`/r/<room>`, or none for `/`) and the token in its query; undefined for any other path. */
export function roomPathOf(path: string): { room?: string; token?: string } | undefined {
  let url: URL;
  try {
    url = new URL(path, 'http://session');
  } catch {
    return undefined;
  }
  const token = url.searchParams.get('token') ?? undefined;
  if (url.pathname === '/') return { token };
  const match = /^\/r\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) return undefined;
  try {
    return { room: decodeURIComponent(match[1]!), token };
  } catch {
    return undefined;
  }
}

const TOKEN_CODES: Record<TokenProblem, Problem['code']> = {
  invalid: CloseCode.TOKEN_INVALID,
  forged: CloseCode.TOKEN_FORGED,
  expired: CloseCode.TOKEN_EXPIRED,
  'wrong-room': CloseCode.TOKEN_WRONG_ROOM,
};
