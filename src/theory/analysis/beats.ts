/**
 * The beat grid chords are segmented on. A MIDI file carries its own (tempo map and time signatures);
 * for audio and bare notes the tempo and beats are estimated from the note onsets, the way Ellis (2007)
 * tracks beats: the tempo from the onsets' autocorrelation, then the beats by dynamic programming, each
 * beat placed on strong onsets about one period after the last.
 */
import type { NoteEvent } from '../../types.js';
import { spanChroma, strongestChangePhase } from './chroma.js';
import type { BeatGrid, TempoMap } from './types.js';
import { round } from '../../numbers.js';

const COMMON_METER: [number, number] = [4, 4];
const DEFAULT_TEMPO = 120;
const QUARTERS_PER_WHOLE = 4;
/** 6/8, 9/8, 12/8: the beat is the dotted quarter, three of the written eighths. */
const COMPOUND_GROUP = 3;
/** A grid denser than this (1 200 bpm) is not a real tempo map; the beats are estimated instead. */
const MAX_BEATS_PER_SECOND = 20;

/** Onset envelope resolution for beat tracking. */
const FRAMES_PER_SECOND = 100;
/** Onsets are smoothed over about ±20 ms, so that chords played a little apart count as one onset. */
const ONSET_SMOOTHING_FRAMES = 2;
const SLOWEST_BPM = 50;
const FASTEST_BPM = 200;
/** Tempo preference: a log-normal weight centred here, one octave wide (as in Ellis 2007). */
const PREFERRED_BPM = 120;
const TEMPO_SPREAD_OCTAVES = 1;
/** How strongly beat tracking holds to the tempo against the pull of onsets (Ellis's "tightness"). */
const TIGHTNESS = 100;
/** Fewer distinct onsets than this cannot show a tempo: the grid falls back to 120 bpm. */
const MIN_ONSETS = 4;

/** A MIDI file's beats and bars (from its header) from 0 to `end` seconds; null when its tempo map is unusable. */
export function beatGridFromMidi(header: TempoMap, end: number): BeatGrid | null {
  const meters =
    header.timeSignatures.length > 0 && header.timeSignatures[0].ticks === 0
      ? header.timeSignatures
      : [{ ticks: 0, timeSignature: COMMON_METER }, ...header.timeSignatures];
  const beats: number[] = [];
  const bars: number[] = [];
  const maxBeats = end * MAX_BEATS_PER_SECOND + 1;
  for (let m = 0; m < meters.length; m++) {
    const { beatsPerBar, beatTicks } = meterBeats(meters[m].timeSignature, header.ppq);
    const sectionEnd = meters[m + 1]?.ticks ?? Infinity;
    for (let beat = 0; meters[m].ticks + beat * beatTicks < sectionEnd; beat++) {
      const time = header.ticksToSeconds(meters[m].ticks + beat * beatTicks);
      if (time >= end) return gridOf(beats, bars, header.tempos[0]?.bpm, meterOf(meters[0].timeSignature), false);
      if (beats.length > maxBeats || !Number.isFinite(time)) return null;
      beats.push(time);
      if (beat % beatsPerBar === 0) bars.push(time);
    }
  }
  return gridOf(beats, bars, header.tempos[0]?.bpm, meterOf(meters[0].timeSignature), false);
}

function meterOf(signature: number[]): [number, number] {
  const [perBar, noteValue] = signature;
  return perBar > 0 && noteValue > 0 ? [perBar, noteValue] : COMMON_METER;
}

function meterBeats(signature: number[], ppq: number): { beatsPerBar: number; beatTicks: number } {
  const [perBar, noteValue] = meterOf(signature);
  const noteTicks = (ppq * QUARTERS_PER_WHOLE) / noteValue;
  const compound = noteValue === 8 && perBar > COMPOUND_GROUP && perBar % COMPOUND_GROUP === 0;
  return compound
    ? { beatsPerBar: perBar / COMPOUND_GROUP, beatTicks: noteTicks * COMPOUND_GROUP }
    : { beatsPerBar: perBar, beatTicks: noteTicks };
}

function gridOf(
  beats: number[],
  bars: number[],
  tempo: number | undefined,
  meter: [number, number],
  estimated: boolean,
): BeatGrid {
  return { beats, bars, tempo: round(tempo ?? DEFAULT_TEMPO, 4), meter, estimated };
}

/** A steady grid: `tempo` bpm from `first`, bars of four. */
function steadyGrid(first: number, period: number, end: number, tempo: number): BeatGrid {
  const beats: number[] = [];
  for (let time = first; time < end; time += period) beats.push(time);
  return gridOf(
    beats,
    beats.filter((_, i) => i % COMMON_METER[0] === 0),
    tempo,
    COMMON_METER,
    true,
  );
}

/**
 * Beats and bars estimated from the notes (sorted by start) up to `end` seconds, in 4/4. Too few onsets
 * to tell a tempo give a steady 120 bpm grid from 0.
 */
export function estimateBeatGrid(notes: NoteEvent[], end: number): BeatGrid {
  const envelope = onsetEnvelope(notes, end);
  const period = envelope && beatPeriod(envelope);
  if (!envelope || !period) return steadyGrid(0, 60 / DEFAULT_TEMPO, end, DEFAULT_TEMPO);
  const tracked = trackBeats(envelope, period).map((frame) => frame / FRAMES_PER_SECOND);
  const seconds = period / FRAMES_PER_SECOND;
  const beats = extendToEdges(tracked, seconds, end);
  const downbeat = downbeatPhase(notes, beats, end);
  const bars = beats.filter((_, i) => i % COMMON_METER[0] === downbeat);
  return gridOf(beats, bars, 60 / seconds, COMMON_METER, true);
}

/** Onset strength per frame (loudness of the notes starting there, smoothed); null with too few onsets. */
function onsetEnvelope(notes: NoteEvent[], end: number): Float64Array | null {
  const frames = Math.ceil(end * FRAMES_PER_SECOND) + 1;
  const raw = new Float64Array(frames);
  const onsetFrames = new Set<number>();
  for (const note of notes) {
    const frame = Math.round(note.start * FRAMES_PER_SECOND);
    if (frame < 0 || frame >= frames) continue;
    raw[frame] += note.velocity;
    onsetFrames.add(frame);
  }
  if (onsetFrames.size < MIN_ONSETS) return null;
  const smoothed = new Float64Array(frames);
  for (const frame of onsetFrames) {
    for (let d = -2 * ONSET_SMOOTHING_FRAMES; d <= 2 * ONSET_SMOOTHING_FRAMES; d++) {
      const target = frame + d;
      if (target >= 0 && target < frames)
        smoothed[target] += raw[frame] * Math.exp(-0.5 * (d / ONSET_SMOOTHING_FRAMES) ** 2);
    }
  }
  return normalised(smoothed);
}

/** Scaled to unit standard deviation, so that TIGHTNESS means the same whatever the loudness. */
function normalised(values: Float64Array): Float64Array {
  let sum = 0;
  let squares = 0;
  for (const value of values) {
    sum += value;
    squares += value * value;
  }
  const mean = sum / values.length;
  const deviation = Math.sqrt(Math.max(squares / values.length - mean * mean, 0)) || 1;
  return values.map((value) => value / deviation);
}

/** The beat period in frames: the autocorrelation peak, weighted towards moderate tempi. */
function beatPeriod(envelope: Float64Array): number | null {
  const shortest = Math.floor((60 / FASTEST_BPM) * FRAMES_PER_SECOND);
  const longest = Math.min(Math.ceil((60 / SLOWEST_BPM) * FRAMES_PER_SECOND), envelope.length - 1);
  const preferred = (60 / PREFERRED_BPM) * FRAMES_PER_SECOND;
  let best = -1;
  let bestScore = 0;
  const scores = new Float64Array(longest + 2);
  for (let lag = shortest - 1; lag <= longest + 1; lag++) {
    let sum = 0;
    for (let i = lag; i < envelope.length; i++) sum += envelope[i] * envelope[i - lag];
    const weight = Math.exp(-0.5 * (Math.log2(lag / preferred) / TEMPO_SPREAD_OCTAVES) ** 2);
    scores[lag] = sum * weight;
  }
  for (let lag = shortest; lag <= longest; lag++) {
    if (scores[lag] > bestScore && scores[lag] >= scores[lag - 1] && scores[lag] >= scores[lag + 1]) {
      best = lag;
      bestScore = scores[lag];
    }
  }
  if (best < 0) return null;
  // A parabola through the peak and its neighbours places it between frames.
  const [left, centre, right] = [scores[best - 1], scores[best], scores[best + 1]];
  const curvature = left - 2 * centre + right;
  return curvature < 0 ? best + (0.5 * (left - right)) / curvature : best;
}

/** Ellis's dynamic programme: the frames of the best chain of beats about `period` apart. */
function trackBeats(envelope: Float64Array, period: number): number[] {
  const score = new Float64Array(envelope.length);
  const previous = new Int32Array(envelope.length).fill(-1);
  for (let t = 0; t < envelope.length; t++) {
    let best = -Infinity;
    let from = -1;
    for (let gap = Math.round(period / 2); gap <= Math.round(2 * period) && gap <= t; gap++) {
      const candidate = score[t - gap] - TIGHTNESS * Math.log(gap / period) ** 2;
      if (candidate > best) {
        best = candidate;
        from = t - gap;
      }
    }
    // A chain that would bring a negative score along is better started afresh here.
    const continues = from >= 0 && best > 0;
    score[t] = envelope[t] + (continues ? best : 0);
    previous[t] = continues ? from : -1;
  }
  // The chain ends at the best-scoring frame within the last period.
  let last = envelope.length - 1;
  for (let t = Math.max(0, envelope.length - Math.round(period)); t < envelope.length; t++) {
    if (score[t] > score[last]) last = t;
  }
  const beats: number[] = [];
  for (let t = last; t >= 0; t = previous[t]) beats.push(t);
  return beats.reverse();
}

/** Continues the tracked beats at the found period back towards 0 and on to `end`. */
function extendToEdges(beats: number[], period: number, end: number): number[] {
  const before: number[] = [];
  for (let time = beats[0] - period; time > -period / 2; time -= period) before.unshift(Math.max(time, 0));
  const after: number[] = [];
  for (let time = beats[beats.length - 1] + period; time < end; time += period) after.push(time);
  return [...before, ...beats, ...after].map((time) => round(time, 4));
}

/**
 * Which of every four beats starts the bar: the one where the harmony changes most across the piece.
 */
function downbeatPhase(notes: NoteEvent[], beats: number[], end: number): number {
  return strongestChangePhase(spanChroma(notes, [...beats, end]).notes, beats.length, COMMON_METER[0], 0);
}
