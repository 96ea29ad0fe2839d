/**
 * A session peer as its own process, for the tests that need real processes (run with vite-node):
 *   peer.ts <url> player <name> <events>   plays a phrase of <events> events, prints "sent", then waits to be told to stop
 *   peer.ts <url> hold <name> <notes>      starts <notes> notes, prints "holding", and waits (to be killed)
 *   peer.ts <url> listener <name>          prints every event it plays as a JSON line, until SIGTERM
 */
import { joinSession, type SessionEvent } from '../../src/session/index.js';
import type { LiveEvent } from '../../src/types.js';

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const [url, mode, name, countText] = args as [string, string, string, string?];
const count = Number(countText ?? 0);

/** The phrase a player of this name plays: the same in the test that checks it. */
export function phraseOf(who: string, events: number): LiveEvent[] {
  const base = 36 + ((who.length * 7) % 48);
  return Array.from({ length: events }, (_, i): LiveEvent => {
    const pitch = base + ((i >> 1) % 12);
    return i % 2
      ? { type: 'off', time: i * 0.05, pitch, velocity: 0 }
      : { type: 'on', time: i * 0.05, pitch, velocity: 40 + (i % 80) };
  });
}

if (url && mode) {
  const client = await joinSession(url, {
    name,
    role: mode === 'listener' ? 'listener' : 'player',
    playout: mode === 'listener' ? 'auto' : 0,
    reconnect: { baseMs: 50, maxMs: 500 },
  });
  const stop = async () => {
    await client.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
  if (mode === 'listener') {
    client.on('event', (event: SessionEvent) => process.stdout.write(`${JSON.stringify(event)}\n`));
    process.stdout.write('ready\n');
  } else if (mode === 'player') {
    for (const event of phraseOf(name, count)) client.send(event);
    await client.drain();
    process.stdout.write('sent\n');
  } else if (mode === 'hold') {
    for (let i = 0; i < count; i++) client.send({ type: 'on', time: 0, pitch: 60 + i, velocity: 100 });
    await client.drain();
    process.stdout.write('holding\n');
  }
}
