/**
 * A metronome on the room's shared beat: clicks at every beat of the session's tempo, on the local clock, so every
 * player's click falls together (`jam join --click`). It follows tempo changes from the next beat on.
 */
import { systemClock, type Clock } from '../clock.js';
import { DRUM_CHANNEL } from '../midi/constants.js';
import { noteOff, noteOn } from '../midi/messages.js';
import type { Tempo } from './protocol.js';
import { nextBeat, type Click } from './tempo.js';

/** What a metronome needs of a client: the session clock and the room's tempo. */
export interface BeatSource {
  sessionTime(): number;
  tempo(): Tempo;
}

export interface MetronomeOptions {
  /** The clock `source.sessionTime()` is read from (the client's). */
  clock?: Clock;
  signal?: AbortSignal;
  /** Stop after this many clicks (default: until the signal aborts). */
  clicks?: number;
}

/** Calls `onClick` at each beat; resolves when the signal aborts or the clicks are done. */
export async function metronome(
  source: BeatSource,
  onClick: (click: Click) => void,
  { clock = systemClock, signal, clicks = Infinity }: MetronomeOptions = {},
): Promise<void> {
  let after = source.sessionTime();
  for (let count = 0; count < clicks && !signal?.aborted; count++) {
    const click = nextBeat(source.tempo(), after);
    // The session clock is the local clock plus an offset: wait for the beat on the local clock.
    const local = click.time - (source.sessionTime() - clock.now());
    try {
      await clock.sleepUntil(local, signal);
    } catch {
      return;
    }
    onClick(click);
    // Half a beat on: the next beat, however the clock jittered.
    after = click.time + 30_000 / source.tempo().bpm;
  }
}

/** General MIDI percussion: the high wood block on the downbeat, the low one on the other beats. */
const DOWNBEAT_KEY = 76;
const BEAT_KEY = 77;
const DOWNBEAT_VELOCITY = 110;
const BEAT_VELOCITY = 80;

/** The MIDI messages of one click, on the drum channel (a percussion note needs no length). */
export function clickMessages(click: Click): number[][] {
  const key = click.downbeat ? DOWNBEAT_KEY : BEAT_KEY;
  return [noteOn(DRUM_CHANNEL, key, click.downbeat ? DOWNBEAT_VELOCITY : BEAT_VELOCITY), noteOff(DRUM_CHANNEL, key)];
}
