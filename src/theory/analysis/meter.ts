/**
 * Where the beats of a MIDI file really fall. A real file's tempo map is often right in tempo but off in phase
 * (its notes were placed against beats tracked in a recording, and its tick 0 is wherever the recording started),
 * or has a wrong time signature. So the grid is shifted within the beat to where the notes start, and its bar lines
 * put where the harmony changes, rather than trusting tick 0.
 */
import type { NoteEvent } from '../../types.js';
import { spanChroma, strongestChangePhase } from './chroma.js';
import type { BeatGrid } from './types.js';

/** The beat is searched in steps of this share of a beat. */
const PHASE_STEPS = 24;
/** The grid's own phase is kept unless another beats it by this factor (a tie stays on the file's grid). */
const OWN_PHASE_MARGIN = 1.1;
/** Bars of two beats (2/4 in files whose chords last a bar of 4/4) are read as bars of four. */
const SHORT_BAR = 2;
const COMMON_BAR = 4;

/**
 * The grid moved to the notes: each beat shifted by the share of a beat where onsets gather most (an onset counts
 * more when it starts several notes together or sounds the bass), then bar lines at the phase, in beats, where the
 * harmony changes most.
 */
export function alignedGrid(grid: BeatGrid, notes: NoteEvent[], duration: number): BeatGrid {
  const given = grid.beats.filter((time) => time < duration);
  if (given.length < 4 || notes.length === 0) return grid;
  const shift = onsetPhase(given, notes);
  const beats = shift === 0 ? given : shiftBeats(given, shift, duration);
  const perBar = barLength(grid);
  const downbeat = downbeatPhase(notes, beats, duration, perBar);
  return { ...grid, beats, bars: beats.filter((_, i) => i % perBar === downbeat) };
}

function barLength(grid: BeatGrid): number {
  const perBar = grid.meter[0];
  return perBar === SHORT_BAR || perBar <= 1 ? COMMON_BAR : perBar === 6 || perBar === 12 ? perBar / 3 : perBar;
}

/** The share of a beat (in PHASE_STEPS) where the notes start most. */
function onsetPhase(beats: number[], notes: NoteEvent[]): number {
  const histogram = new Float64Array(PHASE_STEPS);
  let beat = 0;
  const lowest = new Map<number, number>();
  for (const note of notes) lowest.set(note.start, Math.min(lowest.get(note.start) ?? Infinity, note.pitch));
  for (const note of notes) {
    while (beat + 2 < beats.length && beats[beat + 1] <= note.start) beat++;
    const length = beats[beat + 1] - beats[beat];
    if (!(length > 0) || note.start < beats[beat] - length) continue;
    const share = (note.start - beats[beat]) / length;
    const step = (((Math.round(share * PHASE_STEPS) % PHASE_STEPS) + PHASE_STEPS) % PHASE_STEPS) as number;
    histogram[step] += lowest.get(note.start) === note.pitch ? 2 : 1;
  }
  const smoothed = histogram.map(
    (value, step) =>
      value + 0.5 * (histogram[(step + 1) % PHASE_STEPS] + histogram[(step + PHASE_STEPS - 1) % PHASE_STEPS]),
  );
  smoothed[0] *= OWN_PHASE_MARGIN;
  let best = 0;
  for (let step = 1; step < PHASE_STEPS; step++) if (smoothed[step] > smoothed[best]) best = step;
  return best / PHASE_STEPS;
}

/** Each beat moved `share` of the way to the next; a beat added before the first when there is room. */
function shiftBeats(beats: number[], share: number, duration: number): number[] {
  const shifted = beats.map((time, i) => {
    const next = beats[i + 1] ?? time + (time - beats[i - 1]);
    return round(time + share * (next - time));
  });
  const first = shifted[0] - (beats[1] - beats[0]);
  if (first > 0) shifted.unshift(round(first));
  return shifted.filter((time) => time < duration);
}

/** Which of every `perBar` beats starts the bar: the one where the pitch classes change most. */
function downbeatPhase(notes: NoteEvent[], beats: number[], end: number, perBar: number): number {
  return strongestChangePhase(spanChroma(notes, [...beats, end], false).notes, beats.length, perBar, 1);
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
