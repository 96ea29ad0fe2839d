import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode, validateClientMessage, type SessionServer } from '../../src/session/index.js';
import { parseIceServer } from '../../src/session/mesh/core.js';
import { eventually, hello, pause, rawPeer, testServer } from './helpers.js';

let server: SessionServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('signalling through the server', () => {
  it('hands a signal to the named peer of the same room, marked with who sent it, and to no one else', async () => {
    server = await testServer();
    const ana = await rawPeer(`${server.url}/r/one`);
    const bo = await rawPeer(`${server.url}/r/one`);
    const eve = await rawPeer(`${server.url}/r/other`);
    ana.send(hello({ name: 'Ana' }));
    bo.send(hello({ name: 'Bo' }));
    eve.send(hello({ name: 'Bo' }));
    expect(await eventually(() => [ana, bo, eve].every((p) => p.messages.some((m) => m.kind === 'welcome')))).toBe(
      true,
    );
    ana.send({ v: 1, kind: 'signal', to: 'bo', type: 'offer', sdp: 'v=0\r\n', extra: 'dropped' });
    ana.send({
      v: 1,
      kind: 'signal',
      to: 'bo',
      type: 'candidate',
      candidate: 'candidate:1 1 UDP 1 192.0.2.2 9 typ host',
      mid: '0',
    });
    ana.send({ v: 1, kind: 'signal', to: 'nobody', type: 'bye' });
    ana.send({ v: 1, kind: 'signal', to: 'ana', type: 'bye' });
    expect(await eventually(() => bo.messages.filter((m) => m.kind === 'signal').length === 2)).toBe(true);
    await pause(50);
    const signals = bo.messages.filter((m) => m.kind === 'signal');
    expect(signals[0]).toEqual({ v: 1, kind: 'signal', from: 'ana', type: 'offer', sdp: 'v=0\r\n' });
    expect(signals[1]).toMatchObject({ from: 'ana', type: 'candidate', mid: '0' });
    // Another room's "bo" hears nothing, and nothing comes back to the sender.
    expect(eve.messages.filter((m) => m.kind === 'signal')).toEqual([]);
    expect(ana.messages.filter((m) => m.kind === 'signal')).toEqual([]);
  });

  it('closes with 4003 on a signal that breaks the schema (an SDP over 16 384 characters, a bad type)', async () => {
    server = await testServer();
    const ana = await rawPeer(`${server.url}/r/one`);
    ana.send(hello({ name: 'Ana' }));
    expect(await eventually(() => ana.messages.some((m) => m.kind === 'welcome'))).toBe(true);
    ana.send({ v: 1, kind: 'signal', to: 'bo', type: 'offer', sdp: 'x'.repeat(16_385) });
    expect((await ana.closed).code).toBe(CloseCode.SCHEMA);
    expect(validateClientMessage({ v: 1, kind: 'signal', to: 'bo', type: 'hangup' }).ok).toBe(false);
    expect(validateClientMessage({ v: 1, kind: 'signal', type: 'bye' }).ok).toBe(false);
  });
});

describe('--ice-server', () => {
  it('reads STUN and TURN servers, with credentials', () => {
    expect(parseIceServer('stun:stun.example.org:3478')).toEqual({ urls: 'stun:stun.example.org:3478' });
    expect(parseIceServer('turn:ana:s3cret@turn.example.org:3478')).toEqual({
      urls: 'turn:turn.example.org:3478',
      username: 'ana',
      credential: 's3cret',
    });
    expect(() => parseIceServer('http://example.org')).toThrow(/stun:host/);
  });
});
