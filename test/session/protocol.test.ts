import { afterEach, describe, expect, it } from 'vitest';
import {
  CloseCode,
  MAX_MESSAGE_BYTES,
  parseClientMessage,
  parseServerMessage,
  validateClientMessage,
  validateServerMessage,
  type SessionServer,
} from '../../src/session/index.js';
import { hello, rawPeer, testServer } from './helpers.js';

const tempo = { bpm: 120, meter: 4, origin: 0 };
const player = { id: 'keys', name: 'Keys', role: 'player', sync: 'realtime', bars: 1, connected: true };
const stats = { rtt: 1.5, offset: -3.2, jitter: 0.4, playout: 12, sent: 10, received: 20, late: 0 };

const validClient: Record<string, Record<string, unknown>> = {
  hello: {
    role: 'listener',
    name: 'Ana',
    room: 'tuesday',
    token: 'a.b',
    sync: 'interval',
    bars: 2,
    resume: { epoch: 7, offset: 42, id: 'ana' },
  },
  event: { seq: 1, stamp: 1000.5, type: 'on', time: 0.5, pitch: 60, velocity: 100 },
  midi: { seq: 2, stamp: 1, data: [0xb0, 64, 127] },
  ping: { t0: 123.25 },
  tempo,
  stats,
  query: {},
  bye: {},
};

const validServer: Record<string, Record<string, unknown>> = {
  welcome: {
    id: 'ana',
    room: 'tuesday',
    epoch: 7,
    offset: 0,
    serverTime: 1.7e12,
    tempo,
    players: [player],
    lastSeq: 0,
    heartbeat: 4000,
    allowSystem: false,
    rate: { perSecond: 1000, burst: 2000 },
    resumed: false,
  },
  event: { offset: 1, from: 'keys', seq: 1, stamp: 5, type: 'bend', time: 0.1, pitch: 60, value: -0.5 },
  midi: { offset: 2, from: 'keys', seq: 2, stamp: 5, data: [0x90, 60, 1] },
  pong: { t0: 1, t1: 2, t2: 3 },
  tempo: { from: 'keys', ...tempo },
  presence: { what: 'drop', player },
  snapshot: { offset: 9, skipped: 120, tempo, sounding: [{ from: 'keys', notes: [{ pitch: 60, velocity: 90 }] }] },
  state: {
    room: 'tuesday',
    epoch: 7,
    tempo,
    players: [{ ...player, stats }],
    messagesIn: 1,
    messagesOut: 2,
    skipped: 0,
  },
  goodbye: { reason: 'maintenance', moveTo: 'wss://other.example/r/tuesday' },
  error: { code: 4003, reason: 'event.pitch must be an integer 0..127' },
};

describe('the schema of every message', () => {
  it.each(Object.entries(validClient))('accepts a client %s', (kind, fields) => {
    const parsed = validateClientMessage({ v: 1, kind, ...fields });
    expect(parsed).toEqual({ ok: true, message: { v: 1, kind, ...fields } });
  });

  it.each(Object.entries(validServer))('accepts a server %s', (kind, fields) => {
    expect(validateServerMessage({ v: 1, kind, ...fields })).toEqual({ ok: true, message: { v: 1, kind, ...fields } });
  });

  it('accepts note-offs and bends as events', () => {
    expect(
      validateClientMessage({ v: 1, kind: 'event', seq: 3, stamp: 0, type: 'off', time: 1, pitch: 60, velocity: 0 }).ok,
    ).toBe(true);
    expect(
      validateClientMessage({ v: 1, kind: 'event', seq: 3, stamp: 0, type: 'bend', time: 1, pitch: 60, value: 1.5 }).ok,
    ).toBe(true);
  });

  it('drops fields no schema names, so they are never relayed', () => {
    const parsed = validateClientMessage({ v: 1, kind: 'ping', t0: 1, from: 'someone-else', __proto__x: 1 });
    expect(parsed).toEqual({ ok: true, message: { v: 1, kind: 'ping', t0: 1 } });
  });

  const broken: Array<[string, unknown, number]> = [
    ['an array', [], CloseCode.SCHEMA],
    ['no version', { kind: 'ping', t0: 1 }, CloseCode.PROTOCOL_VERSION],
    ['version 2', { v: 2, kind: 'ping', t0: 1 }, CloseCode.PROTOCOL_VERSION],
    ['an unknown kind', { v: 1, kind: 'shout' }, CloseCode.SCHEMA],
    [
      'a pitch of 128',
      { v: 1, kind: 'event', seq: 1, stamp: 0, type: 'on', time: 0, pitch: 128, velocity: 1 },
      CloseCode.SCHEMA,
    ],
    [
      'a bend without value',
      { v: 1, kind: 'event', seq: 1, stamp: 0, type: 'bend', time: 0, pitch: 60, velocity: 1 },
      CloseCode.SCHEMA,
    ],
    [
      'a sequence number 0',
      { v: 1, kind: 'event', seq: 0, stamp: 0, type: 'on', time: 0, pitch: 60, velocity: 1 },
      CloseCode.SCHEMA,
    ],
    [
      'a NaN-like stamp',
      { v: 1, kind: 'event', seq: 1, stamp: '5', type: 'on', time: 0, pitch: 60, velocity: 1 },
      CloseCode.SCHEMA,
    ],
    [
      'a negative time',
      { v: 1, kind: 'event', seq: 1, stamp: 0, type: 'off', time: -1, pitch: 60, velocity: 0 },
      CloseCode.SCHEMA,
    ],
    [
      'an unknown event type',
      { v: 1, kind: 'event', seq: 1, stamp: 0, type: 'cc', time: 0, pitch: 60, velocity: 0 },
      CloseCode.SCHEMA,
    ],
    ['a role of admin', { v: 1, kind: 'hello', role: 'admin' }, CloseCode.SCHEMA],
    ['a room with a slash', { v: 1, kind: 'hello', role: 'player', room: 'a/b' }, CloseCode.SCHEMA],
    ['a bad resume', { v: 1, kind: 'hello', role: 'player', resume: { epoch: -1, offset: 0 } }, CloseCode.SCHEMA],
    ['MIDI bytes over 255', { v: 1, kind: 'midi', seq: 1, stamp: 0, data: [256] }, CloseCode.SCHEMA],
    ['a tempo of 0 bpm', { v: 1, kind: 'tempo', bpm: 0, meter: 4, origin: 0 }, CloseCode.SCHEMA],
    ['stats with a negative rtt', { v: 1, kind: 'stats', ...stats, rtt: -1 }, CloseCode.SCHEMA],
  ];
  it.each(broken)('refuses %s with the right code', (_name, value, code) => {
    const parsed = validateClientMessage(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.code).toBe(code);
      expect(parsed.reason.length).toBeGreaterThan(5);
    }
  });

  it('names the field and the rule in the reason', () => {
    const parsed = validateClientMessage({
      v: 1,
      kind: 'event',
      seq: 1,
      stamp: 0,
      type: 'on',
      time: 0,
      pitch: 200,
      velocity: 1,
    });
    expect(parsed).toMatchObject({ ok: false, reason: 'event.pitch must be an integer 0..127' });
  });

  it('refuses text that is not JSON, and oversize text, before looking inside', () => {
    expect(parseClientMessage('{"v":1,')).toMatchObject({ ok: false, code: CloseCode.MALFORMED_JSON });
    expect(parseClientMessage('x'.repeat(MAX_MESSAGE_BYTES + 1))).toMatchObject({
      ok: false,
      code: CloseCode.MESSAGE_TOO_BIG,
    });
    expect(parseServerMessage('{"v":1,"kind":"pong","t0":1,"t1":2}')).toMatchObject({
      ok: false,
      code: CloseCode.SCHEMA,
    });
  });
});

describe("a server closes a broken client with the rule's code", () => {
  let server: SessionServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const cases: Array<[string, (send: (message: unknown) => void) => void, number]> = [
    ['malformed JSON', (send) => send('{"v":1,"kind"'), CloseCode.MALFORMED_JSON],
    ['a schema violation', (send) => send({ v: 1, kind: 'hello', role: 'boss' }), CloseCode.SCHEMA],
    ['another protocol version', (send) => send({ v: 9, kind: 'hello', role: 'player' }), CloseCode.PROTOCOL_VERSION],
    [
      'a message over 64 KiB',
      (send) => send({ ...hello(), name: 'x'.repeat(MAX_MESSAGE_BYTES) }),
      CloseCode.MESSAGE_TOO_BIG,
    ],
    ['an event before hello', (send) => send({ v: 1, kind: 'ping', t0: 1 }), CloseCode.JOIN_FIRST],
    ['a second hello', (send) => (send(hello()), send(hello())), CloseCode.JOIN_FIRST],
  ];
  it.each(cases)('%s', async (_name, act, code) => {
    server = await testServer();
    const peer = await rawPeer(`${server.url}/r/rules`);
    act(peer.send);
    const closed = await peer.closed;
    expect(closed.code).toBe(code);
    expect(peer.messages.at(-1)).toMatchObject({ kind: 'error', code });
  });

  it('a hello without a room, on a path without one', async () => {
    server = await testServer();
    const peer = await rawPeer(server.url);
    peer.send(hello());
    expect((await peer.closed).code).toBe(CloseCode.BAD_ROOM);
  });

  it('binary frames', async () => {
    server = await testServer();
    const peer = await rawPeer(`${server.url}/r/bin`);
    peer.ws.send(Buffer.from([1, 2, 3]));
    expect((await peer.closed).code).toBe(CloseCode.SCHEMA);
  });

  it('no hello in time', async () => {
    server = await testServer({ heartbeatMs: 50, helloTimeoutMs: 100 });
    const peer = await rawPeer(`${server.url}/r/slow`);
    expect((await peer.closed).code).toBe(CloseCode.HEARTBEAT_TIMEOUT);
  });
});
