import { afterEach, describe, expect, it } from 'vitest';
import {
  closeReason,
  CloseCode,
  joinLink,
  joinSession,
  makeToken,
  verifyToken,
  type SessionServer,
} from '../../src/session/index.js';
import { eventually, hello, rawPeer, testServer } from './helpers.js';

const secret = 'correct horse battery staple';
const now = Date.UTC(2026, 0, 1);

describe('join tokens', () => {
  it('carry room, name, role and expiry, signed', () => {
    const token = makeToken(secret, { room: 'tuesday', name: 'Ana', role: 'listener', ttlMs: 60_000, now });
    expect(verifyToken(token, secret, { room: 'tuesday', now })).toEqual({
      ok: true,
      claims: { room: 'tuesday', name: 'Ana', role: 'listener', exp: now + 60_000 },
    });
  });

  it('tell expired, forged, wrong-room and unreadable tokens apart', () => {
    const token = makeToken(secret, { room: 'tuesday', name: 'Ana', ttlMs: 1000, now });
    expect(verifyToken(token, secret, { now: now + 1000 })).toMatchObject({ ok: false, problem: 'expired' });
    expect(verifyToken(token, 'another secret', { now })).toMatchObject({ ok: false, problem: 'forged' });
    const [body, signature] = token.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ room: 'tuesday', name: 'Ana', role: 'player', exp: now + 9e9 })).toString('base64url')}.${signature}`;
    expect(verifyToken(tampered, secret, { now })).toMatchObject({ ok: false, problem: 'forged' });
    expect(verifyToken(`${body}.${signature}`, secret, { room: 'friday', now })).toMatchObject({
      ok: false,
      problem: 'wrong-room',
    });
    expect(verifyToken('nonsense', secret, { now })).toMatchObject({ ok: false, problem: 'invalid' });
  });

  it('make join links', () => {
    expect(joinLink('wss://jam.example', 'tuesday', 'abc.def')).toBe('wss://jam.example/r/tuesday?token=abc.def');
  });

  it('refuse a room name that cannot go in a URL', () => {
    expect(() => makeToken(secret, { room: 'a b', name: 'x' })).toThrow(/room/);
  });
});

describe('a server with a secret', () => {
  let server: SessionServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const refusals: Array<[string, () => string | undefined, number]> = [
    ['no token', () => undefined, CloseCode.TOKEN_INVALID],
    ['an expired token', () => makeToken(secret, { room: 'band', name: 'A', ttlMs: -1 }), CloseCode.TOKEN_EXPIRED],
    ['a forged token', () => makeToken('not the secret', { room: 'band', name: 'A' }), CloseCode.TOKEN_FORGED],
    ['a wrong-room token', () => makeToken(secret, { room: 'other', name: 'A' }), CloseCode.TOKEN_WRONG_ROOM],
  ];
  it.each(refusals)('refuses %s', async (_name, token, code) => {
    server = await testServer({ secret });
    const peer = await rawPeer(`${server.url}/r/band`);
    const value = token();
    peer.send(hello(value ? { token: value } : {}));
    const closed = await peer.closed;
    expect(closed.code).toBe(code);
  });

  it("admits a valid token from a join link, under the token's name and role", async () => {
    server = await testServer({ secret });
    const link = joinLink(server.url, 'band', makeToken(secret, { room: 'band', name: 'Bea', role: 'listener' }));
    const client = await joinSession(link, { name: 'Impostor', role: 'player' });
    try {
      expect(client.state().id).toBe('bea');
      expect(client.state().players[0]).toMatchObject({ name: 'Bea', role: 'listener' });
    } finally {
      await client.close();
    }
  });

  it('lets the client give up with a clear error on a refused token', async () => {
    server = await testServer({ secret });
    const link = joinLink(server.url, 'band', makeToken(secret, { room: 'band', name: 'Late', ttlMs: -5 }));
    await expect(joinSession(link)).rejects.toThrow(/expired/);
  });
});

describe('close reasons', () => {
  it('fit a close frame, however long and whatever the script of what they quote', () => {
    const reason = closeReason(`the token is for room "${'é'.repeat(200)}", not "x"`);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    expect(reason).toMatch(/^the token is for room "é+$/);
  });

  it('a wrong-room token for a room with a long non-ASCII name is refused without harm', async () => {
    const server = await testServer({ secret });
    try {
      const peer = await rawPeer(`${server.url}/r/band`);
      peer.send(hello({ token: makeToken(secret, { room: 'x'.repeat(64), name: 'Ä'.repeat(300) }) }));
      expect((await peer.closed).code).toBe(CloseCode.TOKEN_WRONG_ROOM);
      const again = await rawPeer(`${server.url}/r/band`);
      again.send(hello({ token: makeToken(secret, { room: 'band', name: 'Ö'.repeat(300) }) }));
      expect(await eventually(() => again.messages.some((message) => message.kind === 'welcome'))).toBe(true);
      again.ws.close();
    } finally {
      await server.close();
    }
  });
});
