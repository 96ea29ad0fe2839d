/**
 * Hearing the room: the events other players play, at their playout time, into live sinks (ports, a file of one
 * track per player, JSON lines). Each event keeps the player's own time and gains the player's name; a file gets
 * them on the session's clock, from when the listener joined.
 */
import { closeSinks, type LiveSink } from '../live/pipeline.js';
import type { LiveEvent } from '../types.js';
import type { SessionClient } from './client.js';
import type { SessionEvent } from './protocol.js';

/** An event as a listener hears it: who played it, and (`stamp`) when on the session clock, in ms. */
export type HeardEvent = SessionEvent & { player: string };

export interface HearOptions {
  signal?: AbortSignal;
  /** Called with each event as it is played, after the sinks have it. */
  onEvent?: (event: HeardEvent) => void;
}

export interface HearSummary {
  events: number;
  /** The players heard, by name. */
  players: string[];
}

/**
 * Plays the room into `sinks` until the client closes (the signal aborting closes it: notes still sounding are
 * ended first), then closes the sinks.
 */
export async function hearRoom(
  client: SessionClient,
  sinks: LiveSink[],
  { signal, onEvent }: HearOptions = {},
): Promise<HearSummary> {
  const players = new Set<string>();
  const stream = client.events();
  const stop = (): void => void client.close();
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  let events = 0;
  let heardAll = false;
  try {
    for await (const event of stream) {
      const heard: HeardEvent = { ...event, player: playerName(client, event.from) };
      players.add(heard.player);
      events++;
      for (const sink of sinks) await sink.write(heard);
      onEvent?.(heard);
    }
    heardAll = true;
  } finally {
    signal?.removeEventListener('abort', stop);
    // A file that could not be finished is the user's to know, unless the hearing itself failed first.
    await closeSinks(sinks).catch((error) => {
      if (heardAll) throw error;
    });
  }
  return { events, players: [...players] };
}

/** A player's name as the room knows it (their id while the room has not said). */
export function playerName(client: SessionClient, id: string): string {
  return client.state().players.find((player) => player.id === id)?.name ?? id;
}

/** The event on the session clock, in seconds from `origin` (session ms): for a file of the whole room. */
export function onSessionClock(event: HeardEvent, origin: number): HeardEvent & LiveEvent {
  return { ...event, time: Math.max(0, (event.stamp - origin) / 1000) };
}
