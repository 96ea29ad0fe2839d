import { afterEach, describe, expect, it } from 'vitest';
import { joinSession, median, type SessionClient, type SessionServer } from '../../src/session/index.js';
import { eventually, pause, testServer } from './helpers.js';
import { jitterProxy, type JitterProxy } from './proxy.js';

/** The server's clock runs an hour and a bit ahead of the wall clock: the offset every client must find. */
const IMPOSED_MS = 3_600_000 + 123.456;
const serverClock = () => performance.timeOrigin + performance.now() + IMPOSED_MS;
/** The client's clock is the wall clock's scale too (epochClock), so the true offset is the imposed one. */
const TRUE_OFFSET = IMPOSED_MS;

let server: SessionServer | undefined;
let proxy: JitterProxy | undefined;
let client: SessionClient | undefined;
afterEach(async () => {
  await client?.close();
  await proxy?.close();
  await server?.close();
  client = undefined;
  proxy = undefined;
  server = undefined;
});

/** Estimates taken every few pings once the window is full: their errors against the imposed offset. */
async function errors(url: string, readings: number): Promise<number[]> {
  client = await joinSession(`${url}/r/sync`, { name: 'Clock', syncIntervalMs: 15 });
  const found: number[] = [];
  await eventually(() => client!.state().rtt > 0, 100);
  await pause(32 * 15);
  for (let i = 0; i < readings; i++) {
    found.push(client.state().clockOffset - TRUE_OFFSET);
    await pause(15);
  }
  return found;
}

describe('clock sync against an imposed offset', () => {
  it('finds it within 1 ms (median) on loopback', async () => {
    server = await testServer({ clock: serverClock });
    const found = await errors(server.url, 20);
    expect(Math.abs(median(found))).toBeLessThanOrEqual(1);
    expect(Math.max(...found.map(Math.abs))).toBeLessThan(5);
  });

  it('finds it within 1 ms (median) through a proxy adding 1–15 ms of jitter each way', async () => {
    server = await testServer({ clock: serverClock });
    // Each frame: 1 ms, plus up to 4 ms most of the time, and up to 14 ms for a fifth of frames.
    proxy = await jitterProxy(server.url, (random) => 1 + (random() < 0.2 ? random() * 14 : random() * 4), 7);
    const found = await errors(proxy.url, 20);
    expect(Math.abs(median(found))).toBeLessThanOrEqual(1);
    expect(client!.state().jitter).toBeGreaterThan(1);
  });
});

describe('a link that goes dead without closing', () => {
  it('is noticed by the client, which reconnects and resumes', async () => {
    server = await testServer({ heartbeatMs: 100 });
    proxy = await jitterProxy(server.url, () => 0);
    client = await joinSession(`${proxy.url}/r/dead`, { name: 'Far away', reconnect: { baseMs: 10, maxMs: 50 } });
    const drops: number[] = [];
    client.on('reconnecting', ({ code }) => drops.push(code));
    proxy.cut(true);
    // 2.5 heartbeats of silence (250 ms here, 10 s by default), polled at most 100 times.
    expect(await eventually(() => drops.length > 0, 100)).toBe(true);
    proxy.cut(false);
    expect(await eventually(() => client!.state().connected && client!.state().reconnects >= 1, 200)).toBe(true);
  });
});
