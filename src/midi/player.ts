/**
 * Plays timed MIDI messages to a port. Every message has an absolute target time (start + its time on the
 * timeline) on a monotonic clock; the player sleeps until the next target and then sends everything due, so a
 * late timer delays one message a little and never shifts the ones after it: no drift over minutes. Stopping
 * releases every sounding note and sends All Notes Off on every channel used.
 */
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { allNotesOff, noteOff, parseMessage, type MidiMessage } from './messages.js';
import type { TimedMessage } from './timeline.js';

export interface PlayOptions {
  clock?: Clock;
  signal?: AbortSignal;
}

export interface PlaySummary {
  sent: number;
  stopped: boolean;
}

export async function playTimeline(
  timeline: TimedMessage[],
  send: (message: MidiMessage) => void,
  { clock = systemClock, signal }: PlayOptions = {},
): Promise<PlaySummary> {
  const sounding = new Set<number>();
  const channels = new Set<number>();
  const track = (message: MidiMessage): void => {
    const parsed = parseMessage(message);
    if (parsed.kind === 'on') sounding.add(parsed.channel * 128 + parsed.pitch);
    else if (parsed.kind === 'off') sounding.delete(parsed.channel * 128 + parsed.pitch);
    channels.add(message[0] & 0x0f);
  };
  const start = clock.now();
  const targetOf = (index: number): number => start + timeline[index].time * 1000;
  let sent = 0;
  let stopped = false;
  try {
    while (sent < timeline.length) {
      await clock.sleepUntil(targetOf(sent), signal);
      for (const now = clock.now(); sent < timeline.length && targetOf(sent) <= now; sent++) {
        track(timeline[sent].message);
        send(timeline[sent].message);
      }
    }
  } catch (error) {
    if (!signal?.aborted) throw error;
    stopped = true;
  } finally {
    for (const key of sounding) send(noteOff(Math.floor(key / 128), key % 128));
    for (const channel of channels) send(allNotesOff(channel));
  }
  return { sent, stopped };
}
