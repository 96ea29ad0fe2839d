import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.js';
import { joinSession } from '../../src/session/index.js';
import { eventually, testServer } from './helpers.js';

const OPENSSL = '/usr/bin/openssl';
const dir = mkdtempSync(join(tmpdir(), 'jam-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate for 127.0.0.1, made by the system's openssl. */
function certificate(): { cert: Buffer; key: Buffer } {
  execFileSync(
    OPENSSL,
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
}

describe('wss://', () => {
  it('serves the session over TLS with a given certificate and key', async () => {
    requireTool(existsSync(OPENSSL), 'openssl (to make a certificate)', 'openssl');
    const tls = certificate();
    const server = await testServer({ tls });
    try {
      expect(server.url).toMatch(/^wss:\/\//);
      const player = await joinSession(`${server.url}/r/secure`, { name: 'P', ca: tls.cert });
      const listener = await joinSession(`${server.url}/r/secure`, { role: 'listener', playout: 0, ca: tls.cert });
      let heard = 0;
      listener.on('event', () => heard++);
      player.send({ type: 'on', time: 0, pitch: 60, velocity: 1 });
      expect(await eventually(() => heard === 1)).toBe(true);
      await Promise.all([player.close(), listener.close()]);
    } finally {
      await server.close();
    }
  });
});
