/**
 * The session protocol: JSON text frames, each an object with the protocol version `v` and a `kind`. Every message
 * either way is checked against a hand-written schema before anything else looks at it; fields a schema does not
 * name are ignored (and never relayed), so a later minor addition does not break an older peer.
 */
import type { LiveEvent } from '../types.js';
import {
  MAX_MESSAGE_BYTES,
  MAX_MIDI_BYTES,
  MAX_NAME_LENGTH,
  MAX_ROOM_LENGTH,
  MAX_BPM,
  MAX_METER,
  MIN_BPM,
  PROTOCOL_VERSION,
} from './constants.js';

export type Role = 'player' | 'listener';
/** `realtime`: heard at stamp + playout delay. `interval`: heard a whole number of bars later, on the beat (NINJAM). */
export type SyncMode = 'realtime' | 'interval';

/** The room's shared beat: `origin` is the session time (ms) of beat 0; `meter` is beats per bar. */
export interface Tempo {
  bpm: number;
  meter: number;
  origin: number;
}

/** A live event plus who played it, that player's sequence number and its stamp on the session clock (ms). */
export type SessionEvent = LiveEvent & { from: string; seq: number; stamp: number };

export interface PlayerInfo {
  id: string;
  name: string;
  role: Role;
  sync: SyncMode;
  /** Bars of delay in interval mode. */
  bars: number;
  connected: boolean;
}

/** What a client measures of its own link, reported to the server for the room's state view. Times in ms. */
export interface LinkStats {
  rtt: number;
  offset: number;
  jitter: number;
  playout: number;
  sent: number;
  received: number;
  late: number;
  /** The mesh's pairs from this player: which path each takes, its round trip (ms) and heartbeat loss (0..1). */
  peers?: PairReport[];
}

export interface PairReport {
  peer: string;
  path: 'direct' | 'relay';
  rtt?: number;
  loss: number;
}

export interface SoundingNotes {
  from: string;
  notes: Array<{ pitch: number; velocity: number }>;
}

type V = { v: typeof PROTOCOL_VERSION };

// Client → server
export type HelloMessage = V & {
  kind: 'hello';
  role: Role;
  name?: string;
  room?: string;
  token?: string;
  sync?: SyncMode;
  bars?: number;
  /** The last room offset this client received (and its epoch), and the id it had: replay what came after. */
  resume?: { epoch: number; offset: number; id?: string };
};
export type EventMessage = V & { kind: 'event'; seq: number; stamp: number } & LiveEvent;
export type MidiMessage = V & { kind: 'midi'; seq: number; stamp: number; data: number[] };
export type PingMessage = V & { kind: 'ping'; t0: number };
export type TempoMessage = V & { kind: 'tempo' } & Tempo;
export type StatsMessage = V & { kind: 'stats' } & LinkStats;
export type QueryMessage = V & { kind: 'query' };
export type ByeMessage = V & { kind: 'bye' };
/**
 * WebRTC signalling between two peers of a room, carried by the server (docs/session-protocol.md, "The mesh"):
 * an SDP offer or answer, an ICE candidate (empty `candidate`: the end of candidates), or a graceful `bye` to that peer.
 */
export interface SignalBody {
  type: 'offer' | 'answer' | 'candidate' | 'bye';
  sdp?: string;
  candidate?: string;
  mid?: string;
}
export type SignalMessage = V & { kind: 'signal'; to: string } & SignalBody;
export type ClientMessage =
  | HelloMessage
  | EventMessage
  | MidiMessage
  | PingMessage
  | TempoMessage
  | StatsMessage
  | QueryMessage
  | ByeMessage
  | SignalMessage;

// Server → client
export type WelcomeMessage = V & {
  kind: 'welcome';
  id: string;
  room: string;
  epoch: number;
  /** The room's newest offset now: anything a resuming client is sent up to it is a replay. */
  offset: number;
  serverTime: number;
  tempo: Tempo;
  /** The room's players (listeners only in a state query), and this client itself. */
  players: PlayerInfo[];
  /** The highest sequence number the server has from this player: a resuming player resends what came after. */
  lastSeq: number;
  /** The server's ping interval (ms): no traffic for two of them means the link is dead. */
  heartbeat: number;
  /** Whether the room relays MIDI system messages (SysEx, clock). */
  allowSystem: boolean;
  /** The rate limit: messages a second, and the burst allowed. */
  rate: { perSecond: number; burst: number };
  resumed: boolean;
  /** STUN/TURN servers the server hands out for the mesh (as `--ice-server` takes them), when it has any. */
  iceServers?: string[];
};
export type RelayedEventMessage = V & { kind: 'event'; offset: number } & SessionEvent;
export type RelayedMidiMessage = V & {
  kind: 'midi';
  offset: number;
  from: string;
  seq: number;
  stamp: number;
  data: number[];
};
export type PongMessage = V & { kind: 'pong'; t0: number; t1: number; t2: number };
export type TempoChangedMessage = V & { kind: 'tempo'; from: string } & Tempo;
export type PresenceMessage = V & { kind: 'presence'; what: 'join' | 'leave' | 'drop'; player: PlayerInfo };
export type SnapshotMessage = V & {
  kind: 'snapshot';
  offset: number;
  skipped: number;
  tempo: Tempo;
  sounding: SoundingNotes[];
};
export type StateMessage = V & {
  kind: 'state';
  room: string;
  epoch: number;
  tempo: Tempo;
  players: Array<PlayerInfo & { stats?: LinkStats }>;
  messagesIn: number;
  messagesOut: number;
  skipped: number;
};
export type GoodbyeMessage = V & { kind: 'goodbye'; reason: string; moveTo?: string };
export type ErrorMessage = V & { kind: 'error'; code: number; reason: string };
export type RelayedSignalMessage = V & { kind: 'signal'; from: string } & SignalBody;
export type ServerMessage =
  | WelcomeMessage
  | RelayedEventMessage
  | RelayedMidiMessage
  | PongMessage
  | TempoChangedMessage
  | PresenceMessage
  | SnapshotMessage
  | StateMessage
  | GoodbyeMessage
  | ErrorMessage
  | RelayedSignalMessage;

/** One close code per rule broken; the close reason names the rule. */
export const CloseCode = {
  PROTOCOL_VERSION: 4000,
  MESSAGE_TOO_BIG: 4001,
  MALFORMED_JSON: 4002,
  SCHEMA: 4003,
  RATE_LIMIT: 4004,
  ROOM_FULL: 4005,
  SERVER_FULL: 4006,
  TOKEN_INVALID: 4007,
  TOKEN_EXPIRED: 4008,
  TOKEN_FORGED: 4009,
  TOKEN_WRONG_ROOM: 4010,
  LISTENER_MAY_NOT_SEND: 4011,
  HEARTBEAT_TIMEOUT: 4012,
  SERVER_SHUTTING_DOWN: 4013,
  JOIN_FIRST: 4014,
  REPLACED: 4015,
  BAD_ROOM: 4016,
} as const;
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting cannot help (the client, its token or its role is wrong). */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.PROTOCOL_VERSION,
  CloseCode.MESSAGE_TOO_BIG,
  CloseCode.MALFORMED_JSON,
  CloseCode.SCHEMA,
  CloseCode.TOKEN_INVALID,
  CloseCode.TOKEN_EXPIRED,
  CloseCode.TOKEN_FORGED,
  CloseCode.TOKEN_WRONG_ROOM,
  CloseCode.LISTENER_MAY_NOT_SEND,
  CloseCode.JOIN_FIRST,
  CloseCode.REPLACED,
  CloseCode.BAD_ROOM,
]);

export interface Problem {
  code: CloseCodeValue;
  reason: string;
}
export type Parsed<T> = { ok: true; message: T } | ({ ok: false } & Problem);

// --- the schema checks -------------------------------------------------------------------------------------------

interface Check {
  test(value: unknown): boolean;
  /** What the value must be, for the close reason. */
  says: string;
  optional?: boolean;
}

const check = (says: string, test: (value: unknown) => boolean): Check => ({ says, test });
const int = (min: number, max: number) =>
  check(`an integer ${min}..${max}`, (x) => Number.isSafeInteger(x) && (x as number) >= min && (x as number) <= max);
const num = (min = -Number.MAX_VALUE, max = Number.MAX_VALUE) =>
  check(
    min === -Number.MAX_VALUE ? 'a finite number' : `a number ${min}..${max}`,
    (x) => typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max,
  );
const text = (max: number, pattern?: RegExp) =>
  check(
    `a string of at most ${max} characters${pattern ? ` matching ${pattern}` : ''}`,
    (x) => typeof x === 'string' && x.length <= max && (!pattern || pattern.test(x)),
  );
const oneOf = (...values: string[]) => check(`one of ${values.join(', ')}`, (x) => values.includes(x as string));
const bool = check('true or false', (x) => typeof x === 'boolean');
const optional = (inner: Check): Check => ({ ...inner, optional: true });
const object = (schema: Schema, says = 'an object'): Check =>
  check(says, (x) => isObject(x) && problemIn(x, schema, '') === undefined);
const list = (item: Check, max: number) =>
  check(
    `a list of at most ${max} (${item.says})`,
    (x) => Array.isArray(x) && x.length <= max && x.every((y) => item.test(y)),
  );

type Schema = Record<string, Check>;

/** Room names go into URLs and logs: letters, digits, dash, underscore, dot. */
export const ROOM_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const ID = text(MAX_NAME_LENGTH * 2);
const SEQ = int(1, Number.MAX_SAFE_INTEGER);
const OFFSET = int(0, Number.MAX_SAFE_INTEGER);
const EPOCH = int(0, 0xffffffff);
const MS = num();
const COUNT = int(0, Number.MAX_SAFE_INTEGER);
const MIDI_7BIT = int(0, 127);
/** A bend in semitones: far beyond any synth's bend range, still finite. */
const BEND = num(-96, 96);
const TEMPO: Schema = { bpm: num(MIN_BPM, MAX_BPM), meter: int(1, MAX_METER), origin: MS };
const PLAYER: Schema = {
  id: ID,
  name: text(MAX_NAME_LENGTH * 4),
  role: oneOf('player', 'listener'),
  sync: oneOf('realtime', 'interval'),
  bars: int(1, 64),
  connected: bool,
};
/** Pairs a player reports: the mesh's largest size and more. */
const MAX_PEER_LINKS = 64;
/** STUN/TURN servers a welcome may hand out, and the length of one (`turn:user:pass@host:port`). */
const MAX_ICE_SERVERS = 16;
const MAX_ICE_SERVER_LENGTH = 512;
const STATS: Schema = {
  rtt: num(0),
  offset: MS,
  jitter: num(0),
  playout: num(0),
  sent: COUNT,
  received: COUNT,
  late: COUNT,
  peers: optional(
    list(object({ peer: ID, path: oneOf('direct', 'relay'), rtt: optional(num(0)), loss: num(0, 1) }), MAX_PEER_LINKS),
  ),
};
const NOTE_ON_OFF: Schema = { time: num(0), pitch: MIDI_7BIT, velocity: MIDI_7BIT };
const BEND_EVENT: Schema = { time: num(0), pitch: MIDI_7BIT, value: BEND };
const LIVE_TYPE = oneOf('on', 'off', 'bend');
/** An SDP for a data channel is about 1 KiB; 16 KiB leaves room for many candidates gathered into it. */
export const MAX_SDP_LENGTH = 16_384;
const SIGNAL: Schema = {
  type: oneOf('offer', 'answer', 'candidate', 'bye'),
  sdp: optional(text(MAX_SDP_LENGTH)),
  candidate: optional(text(1024)),
  mid: optional(text(64)),
};

/** Fields every live event has, by type. */
function liveEventSchema(value: Record<string, unknown>): Schema {
  return value.type === 'bend' ? BEND_EVENT : NOTE_ON_OFF;
}

const CLIENT_SCHEMAS: Record<ClientMessage['kind'], (value: Record<string, unknown>) => Schema> = {
  hello: () => ({
    role: oneOf('player', 'listener'),
    name: optional(text(MAX_NAME_LENGTH * 4)),
    room: optional(text(MAX_ROOM_LENGTH, ROOM_PATTERN)),
    token: optional(text(4096)),
    sync: optional(oneOf('realtime', 'interval')),
    bars: optional(int(1, 64)),
    resume: optional(object({ epoch: EPOCH, offset: OFFSET, id: optional(ID) }, 'an object { epoch, offset, id? }')),
  }),
  event: (value) => ({ seq: SEQ, stamp: MS, type: LIVE_TYPE, ...liveEventSchema(value) }),
  midi: () => ({ seq: SEQ, stamp: MS, data: list(int(0, 255), MAX_MIDI_BYTES) }),
  ping: () => ({ t0: MS }),
  tempo: () => TEMPO,
  stats: () => STATS,
  query: () => ({}),
  bye: () => ({}),
  signal: () => ({ to: ID, ...SIGNAL }),
};

const SERVER_SCHEMAS: Record<ServerMessage['kind'], (value: Record<string, unknown>) => Schema> = {
  welcome: () => ({
    id: ID,
    room: text(MAX_ROOM_LENGTH, ROOM_PATTERN),
    epoch: EPOCH,
    offset: OFFSET,
    serverTime: MS,
    tempo: object(TEMPO),
    players: list(object(PLAYER), 10_000),
    lastSeq: OFFSET,
    heartbeat: num(1),
    allowSystem: bool,
    rate: object({ perSecond: num(1), burst: num(1) }, 'an object { perSecond, burst }'),
    resumed: bool,
    iceServers: optional(list(text(MAX_ICE_SERVER_LENGTH), MAX_ICE_SERVERS)),
  }),
  event: (value) => ({ offset: OFFSET, from: ID, seq: SEQ, stamp: MS, type: LIVE_TYPE, ...liveEventSchema(value) }),
  midi: () => ({ offset: OFFSET, from: ID, seq: SEQ, stamp: MS, data: list(int(0, 255), MAX_MIDI_BYTES) }),
  pong: () => ({ t0: MS, t1: MS, t2: MS }),
  tempo: () => ({ from: ID, ...TEMPO }),
  presence: () => ({ what: oneOf('join', 'leave', 'drop'), player: object(PLAYER) }),
  snapshot: () => ({
    offset: OFFSET,
    skipped: COUNT,
    tempo: object(TEMPO),
    sounding: list(object({ from: ID, notes: list(object({ pitch: MIDI_7BIT, velocity: MIDI_7BIT }), 128) }), 10_000),
  }),
  state: () => ({
    room: text(MAX_ROOM_LENGTH, ROOM_PATTERN),
    epoch: EPOCH,
    tempo: object(TEMPO),
    players: list(object({ ...PLAYER, stats: optional(object(STATS)) }), 10_000),
    messagesIn: COUNT,
    messagesOut: COUNT,
    skipped: COUNT,
  }),
  goodbye: () => ({ reason: text(1024), moveTo: optional(text(2048, /^wss?:\/\//)) }),
  error: () => ({ code: int(1000, 4999), reason: text(1024) }),
  signal: () => ({ from: ID, ...SIGNAL }),
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first field that breaks the schema, as a sentence; undefined when none does. */
function problemIn(value: Record<string, unknown>, schema: Schema, where: string): string | undefined {
  for (const [field, rule] of Object.entries(schema)) {
    const present = Object.hasOwn(value, field) && value[field] !== undefined;
    if (!present) {
      if (rule.optional) continue;
      return `${where}${field} is missing (must be ${rule.says})`;
    }
    if (!rule.test(value[field])) return `${where}${field} must be ${rule.says}`;
  }
  return undefined;
}

/** Keeps only the fields a schema names, so nothing unchecked is ever relayed. */
function pick<T>(value: Record<string, unknown>, schema: Schema): T {
  const out: Record<string, unknown> = { v: PROTOCOL_VERSION, kind: value.kind };
  for (const field of Object.keys(schema)) if (value[field] !== undefined) out[field] = value[field];
  return out as T;
}

function validate<T>(value: unknown, schemas: Record<string, (value: Record<string, unknown>) => Schema>): Parsed<T> {
  if (!isObject(value)) return { ok: false, code: CloseCode.SCHEMA, reason: 'a message must be a JSON object' };
  if (value.v !== PROTOCOL_VERSION) {
    return {
      ok: false,
      code: CloseCode.PROTOCOL_VERSION,
      reason: `protocol version ${JSON.stringify(value.v) ?? 'missing'} is not supported: this server speaks v ${PROTOCOL_VERSION}`,
    };
  }
  const kind = value.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(schemas, kind)) {
    return { ok: false, code: CloseCode.SCHEMA, reason: `kind must be one of ${Object.keys(schemas).join(', ')}` };
  }
  const schema = schemas[kind]!(value);
  const problem = problemIn(value, schema, `${kind}.`);
  if (problem) return { ok: false, code: CloseCode.SCHEMA, reason: problem };
  return { ok: true, message: pick<T>(value, schema) };
}

/** Checks an already-parsed value as a message from a client. */
export function validateClientMessage(value: unknown): Parsed<ClientMessage> {
  return validate<ClientMessage>(value, CLIENT_SCHEMAS);
}

/** Checks an already-parsed value as a message from a server. */
export function validateServerMessage(value: unknown): Parsed<ServerMessage> {
  return validate<ServerMessage>(value, SERVER_SCHEMAS);
}

function parse<T>(data: string | Buffer, validator: (value: unknown) => Parsed<T>, limit: number): Parsed<T> {
  const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (size > limit)
    return {
      ok: false,
      code: CloseCode.MESSAGE_TOO_BIG,
      reason: `a message may be at most ${limit} bytes (this one is ${size})`,
    };
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return { ok: false, code: CloseCode.MALFORMED_JSON, reason: 'a message must be valid JSON text' };
  }
  return validator(value);
}

/** Parses and checks a text frame from a client. */
export function parseClientMessage(data: string | Buffer, limit = MAX_MESSAGE_BYTES): Parsed<ClientMessage> {
  return parse(data, validateClientMessage, limit);
}

/** Parses and checks a text frame from a server (which may be larger than a client's: welcomes, snapshots). */
export function parseServerMessage(data: string | Buffer, limit = 16 * MAX_MESSAGE_BYTES): Parsed<ServerMessage> {
  return parse(data, validateServerMessage, limit);
}

/** Serialises a message, adding the version. */
export function encode(
  message: ClientMessage | ServerMessage | DistributiveOmit<ClientMessage | ServerMessage, 'v'>,
): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, ...message });
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A message as written by code: the version is added by `encode`. */
export type Outgoing<T> = DistributiveOmit<T, 'v'>;

/** The live event inside a session event or an event message, with nothing else. */
export function liveEventOf(event: LiveEvent): LiveEvent {
  return event.type === 'bend'
    ? { type: 'bend', time: event.time, pitch: event.pitch, value: event.value }
    : { type: event.type, time: event.time, pitch: event.pitch, velocity: event.velocity };
}

/** MIDI system messages (SysEx, clock, start/stop, active sensing) start with a status byte 0xF0 or above. */
export function isSystemMidi(data: readonly number[]): boolean {
  return data.length > 0 && data[0]! >= 0xf0;
}
