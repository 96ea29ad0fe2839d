/**
 * Live events played in time: each is handed to the sink when its time comes on the clock, as a performer would
 * play it, so whatever listens (a session, a port) hears the phrase as it was written. Stopping early ends every
 * note still sounding.
 */
import { systemClock, type Clock } from '../clock.js';
import type { LiveEvent } from '../types.js';
import type { LiveSink } from './pipeline.js';

export interface PlayEventsOptions {
  clock?: Clock;
  signal?: AbortSignal;
}

/** Plays `events` (in time order, seconds from now) into `sink`, then closes it; resolves with how many were played. */
export async function playEvents(
  events: LiveEvent[],
  sink: LiveSink,
  { clock = systemClock, signal }: PlayEventsOptions = {},
): Promise<number> {
  const started = clock.now();
  const sounding = new Map<number, number>();
  let played = 0;
  let lastTime = 0;
  try {
    for (const event of events) {
      await clock.sleepUntil(started + event.time * 1000, signal);
      await sink.write(event);
      countSounding(sounding, event);
      lastTime = event.time;
      played++;
    }
  } catch (error) {
    if (!signal?.aborted) throw error;
  } finally {
    const time = Math.max(lastTime, (clock.now() - started) / 1000);
    for (const [pitch, count] of sounding)
      for (let i = 0; i < count; i++) await sink.write({ type: 'off', time, pitch, velocity: 0 });
    await sink.close();
  }
  return played;
}

function countSounding(sounding: Map<number, number>, event: LiveEvent): void {
  if (event.type === 'on') sounding.set(event.pitch, (sounding.get(event.pitch) ?? 0) + 1);
  else if (event.type === 'off') {
    const count = sounding.get(event.pitch) ?? 0;
    if (count <= 1) sounding.delete(event.pitch);
    else sounding.set(event.pitch, count - 1);
  }
}
