/**
 * The room's shared beat, in the manner of Ableton Link: a tempo, a meter and the session time of beat 0. Any
 * client can say which beat it is at any session time, so clicks in every city fall together.
 */
import { DEFAULT_BPM, DEFAULT_METER } from './constants.js';
import type { Tempo } from './protocol.js';

export const defaultTempo = (): Tempo => ({ bpm: DEFAULT_BPM, meter: DEFAULT_METER, origin: 0 });

export function beatLength(tempo: Tempo): number {
  return 60_000 / tempo.bpm;
}

export function barLength(tempo: Tempo): number {
  return beatLength(tempo) * tempo.meter;
}

/** Beats since the origin at session time `time` (fractional; negative before the origin). */
export function beatAt(tempo: Tempo, time: number): number {
  return (time - tempo.origin) / beatLength(tempo);
}

export interface BeatPosition {
  /** Bar number from the origin (0-based). */
  bar: number;
  /** Beat within the bar (0-based). */
  beat: number;
  /** How far through that beat, 0..1. */
  phase: number;
}

export function positionAt(tempo: Tempo, time: number): BeatPosition {
  const beats = beatAt(tempo, time);
  const whole = Math.floor(beats);
  const bar = Math.floor(whole / tempo.meter);
  return { bar, beat: whole - bar * tempo.meter, phase: beats - whole };
}

/** The session time of beat number `beat` (counted from the origin). */
export function timeOfBeat(tempo: Tempo, beat: number): number {
  return tempo.origin + beat * beatLength(tempo);
}

export interface Click {
  time: number;
  /** True on the first beat of a bar. */
  downbeat: boolean;
  beat: number;
}

/** The first beat at or after session time `time`: where the metronome clicks next. */
export function nextBeat(tempo: Tempo, time: number): Click {
  const beat = Math.ceil(beatAt(tempo, time) - 1e-9);
  return { time: timeOfBeat(tempo, beat), beat, downbeat: ((beat % tempo.meter) + tempo.meter) % tempo.meter === 0 };
}

/**
 * A new tempo (and meter) from session time `at`, keeping the beat count continuous there, so a change never makes
 * anyone's click jump.
 */
export function changeTempo(tempo: Tempo, at: number, bpm: number, meter = tempo.meter): Tempo {
  const beats = beatAt(tempo, at);
  return { bpm, meter, origin: at - beats * (60_000 / bpm) };
}

/**
 * Interval mode (NINJAM): a far player's events are heard a whole number of bars late, so they still land on the
 * beat for everyone.
 */
export function intervalDelay(tempo: Tempo, bars: number): number {
  return barLength(tempo) * bars;
}
