/**
 * The browser client in a real browser: Debian's chromium, headless, driven by playwright-core, joins a room with a
 * Node peer and the two exchange notes over a WebRTC data channel. CI installs chromium (.ci/run): without it this
 * test fails, it does not skip.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinSession, type SessionServer } from '../../src/session/index.js';
import { meshOf } from '../../src/session/mesh/node.js';
import type { SessionEvent } from '../../src/session/protocol.js';
import { webBuild } from '../../scripts/build-web.js';
import { eventually, testServer } from '../session/helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: BrowserContext;
let profile: string;
let bundle: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does) to run the browser test`);
  profile = mkdtempSync(join(tmpdir(), 'jam-chromium-'));
  const built = await build({ ...webBuild, format: 'iife', globalName: 'jam', write: false, sourcemap: false });
  bundle = built.outputFiles[0]!.text;
  // A fresh profile each run.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Host candidates as plain loopback addresses, not mDNS names a Node peer cannot resolve.
      '--disable-features=WebRtcHideLocalIpsWithMdns',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the browser client', () => {
  let server: SessionServer | undefined;
  afterAll(async () => server?.close());

  it('a Node peer and a headless Chromium page connect directly and exchange notes', async () => {
    server = await testServer({ heartbeatMs: 2000 });
    const url = `${server.url}/r/browser`;
    const node = await joinSession(url, { name: 'Node', playout: 0, mesh: {} });
    const heard: SessionEvent[] = [];
    node.on('event', (event) => heard.push(event));
    const page = await browser.newPage();
    try {
      await page.addScriptTag({ content: bundle });
      await page.evaluate(async (url) => {
        const w = globalThis as unknown as Record<string, unknown> & { jam: typeof import('../../src/web/index.js') };
        const heard: unknown[] = [];
        w.heard = heard;
        w.session = await w.jam.joinSession(url, { name: 'Page', onEvent: (event) => heard.push(event) });
      }, url);
      const pageStats = () =>
        page.evaluate(() =>
          (globalThis as unknown as { session: { stats(): Array<{ path: string }> } }).session.stats(),
        );
      let direct = false;
      for (let i = 0; i < 100 && !direct; i++) {
        direct = (await pageStats())[0]?.path === 'direct' && meshOf(node)!.stats()[0]?.path === 'direct';
        if (!direct) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(direct).toBe(true);
      // Node → page
      for (let pitch = 60; pitch < 72; pitch++) {
        node.send({ type: 'on', time: 0, pitch, velocity: 90 });
        node.send({ type: 'off', time: 0.2, pitch, velocity: 0 });
      }
      // page → Node
      await page.evaluate(() => {
        const s = (globalThis as unknown as { session: { send(e: unknown): void } }).session;
        for (let pitch = 40; pitch < 52; pitch++) {
          s.send({ type: 'on', time: 0, pitch, velocity: 70 });
          s.send({ type: 'off', time: 0.2, pitch, velocity: 0 });
        }
      });
      expect(await eventually(() => heard.length === 24, 500)).toBe(true);
      expect(heard.map((e) => e.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      expect(heard.filter((e) => e.type === 'off').map((e) => e.pitch)).toEqual(
        Array.from({ length: 12 }, (_, i) => 40 + i),
      );
      let pageHeard: Array<{ seq: number; path: string; from: string }> = [];
      for (let i = 0; i < 50 && pageHeard.length < 24; i++) {
        pageHeard = await page.evaluate(() => (globalThis as unknown as { heard: [] }).heard);
        if (pageHeard.length < 24) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(pageHeard.map((e) => e.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      expect(pageHeard.every((e) => e.from === 'node')).toBe(true);
      // Both ways, the channel carried the notes (whichever copy came first was played; the other was a duplicate).
      const nodePair = meshOf(node)!.stats()[0]!;
      const pagePair = (
        (await pageStats()) as unknown as Array<{ direct: number; relay: number; packetsReceived: number }>
      )[0]!;
      console.log(
        `browser pair: page took ${pagePair.direct} direct, ${pagePair.relay} relayed; node took ${nodePair.direct} direct, ${nodePair.relay} relayed`,
      );
      // A packet may carry several events (each repeats the recent ones): the channel carried some, both ways.
      expect(nodePair.packetsReceived).toBeGreaterThan(0);
      expect(pagePair.packetsReceived).toBeGreaterThan(0);
      expect(nodePair.direct + nodePair.relay).toBe(24);
      expect(pagePair.direct + pagePair.relay).toBe(24);
      await page.evaluate(() => (globalThis as unknown as { session: { close(): void } }).session.close());
      expect(await eventually(() => meshOf(node)!.stats().length === 0, 300)).toBe(true);
    } finally {
      await page.close();
      await node.close();
    }
  }, 60_000);
});
