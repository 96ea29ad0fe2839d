/**
 * The spans a piece is cut into for chord recognition: its beats, and within a beat, a chord attack that
 * falls off the beat (a push, an anticipation, playing that does not follow the grid), so a chord can
 * change there too. Each span knows where it sits in the bar, which sets the cost of a chord change.
 */
import type { NoteEvent } from '../../types.js';
import type { BeatGrid } from './types.js';

export interface Spans {
  /** Span i runs from edges[i] to edges[i + 1]; edges go from 0 to the piece's end. */
  edges: number[];
  /** The bar each span starts in (from 1; 0 is a pickup before the first bar line). */
  bar: Int32Array;
  /** The beat in the bar it starts on, from 1; 2.5 is halfway through beat 2. */
  beat: Float64Array;
  /** How many beats its bar has. */
  beatsInBar: Int32Array;
  /** Its length in beats: 1 for a whole beat, less for part of one. */
  weight: Float64Array;
}

/** Notes starting within this many seconds of each other sound as one attack. */
const ATTACK_SPREAD = 0.03;
/** An attack of at least this many notes is a chord being struck. */
const ATTACK_NOTES = 3;
/** An attack closer than this share of a beat to a beat belongs to the beat. */
const OFF_BEAT_SHARE = 0.2;
/** Beats in a bar when a grid has too few bars to tell. */
const DEFAULT_BEATS_IN_BAR = 4;
/** Two times this close are the same moment (MIDI tick rounding). */
export const TIME_EPSILON = 1e-6;

/**
 * The cost of a new chord: cheapest on the downbeat, then halfway through the bar, dearer on other beats and off them.
 */
const CHANGE_COST_ON_DOWNBEAT = 1.5;
const CHANGE_COST_AT_HALF_BAR = 3;
const CHANGE_COST_ON_BEAT = 5;
const CHANGE_COST_OFF_BEAT = 5;

export function pieceSpans(grid: BeatGrid, notes: NoteEvent[], duration: number): Spans {
  const beats = grid.beats.filter((time) => time < duration);
  if (beats.length === 0 || beats[0] > 0) beats.unshift(0);
  beats[0] = 0;
  const barOfBeat = beatBars(grid, beats);
  const offBeat = chordAttacks(notes, duration).filter((time) => isOffBeat(time, beats, duration));
  const edges: number[] = [];
  const owner: number[] = [];
  let next = 0;
  beats.forEach((start, index) => {
    edges.push(start);
    owner.push(index);
    const end = beats[index + 1] ?? duration;
    while (next < offBeat.length && offBeat[next] < end) {
      if (offBeat[next] > start) {
        edges.push(offBeat[next]);
        owner.push(index);
      }
      next++;
    }
  });
  if (duration > 0) edges.push(duration);
  else edges.length = 0;
  const spans = Math.max(0, edges.length - 1);
  const result: Spans = {
    edges,
    bar: new Int32Array(spans),
    beat: new Float64Array(spans),
    beatsInBar: new Int32Array(spans),
    weight: new Float64Array(spans),
  };
  for (let span = 0; span < spans; span++) {
    const index = owner[span];
    const beatLength = (beats[index + 1] ?? beats[index] + typicalBeat(beats, duration)) - beats[index];
    const into = (edges[span] - beats[index]) / beatLength;
    result.bar[span] = barOfBeat.bar[index];
    result.beat[span] = barOfBeat.beat[index] + Math.round(into * 100) / 100;
    result.beatsInBar[span] = barOfBeat.beatsInBar[index];
    result.weight[span] = (edges[span + 1] - edges[span]) / beatLength;
  }
  return result;
}

export function changeCost(spans: Spans, span: number): number {
  const beat = spans.beat[span];
  if (!Number.isInteger(beat)) return CHANGE_COST_OFF_BEAT;
  if (beat === 1) return CHANGE_COST_ON_DOWNBEAT;
  const perBar = spans.beatsInBar[span];
  return perBar % 2 === 0 && beat === perBar / 2 + 1 ? CHANGE_COST_AT_HALF_BAR : CHANGE_COST_ON_BEAT;
}

/** Each beat's bar, beat in the bar, and the bar's length in beats. */
function beatBars(grid: BeatGrid, beats: number[]): { bar: Int32Array; beat: Int32Array; beatsInBar: Int32Array } {
  const bar = new Int32Array(beats.length);
  const firstOfBar: number[] = [];
  let lines = 0;
  beats.forEach((time, index) => {
    while (lines < grid.bars.length && grid.bars[lines] <= time + TIME_EPSILON) {
      lines++;
      firstOfBar[lines] = index;
    }
    bar[index] = lines;
  });
  const length = (number: number): number => {
    const first = firstOfBar[number];
    const after = firstOfBar[number + 1];
    if (first !== undefined && after !== undefined) return after - first;
    return number > 1 && firstOfBar[number - 1] !== undefined ? length(number - 1) : DEFAULT_BEATS_IN_BAR;
  };
  const beatsInBar = bar.map((number) => length(Math.max(number, 1)));
  // Pickup beats count back from the first bar line: the last one is the first bar's last beat.
  const beat = bar.map((number, index) => {
    if (number > 0) return index - firstOfBar[number] + 1;
    return firstOfBar[1] === undefined ? index + 1 : beatsInBar[index] - (firstOfBar[1] - index) + 1;
  });
  return { bar, beat, beatsInBar };
}

/** Where chords are struck: at least ATTACK_NOTES notes starting together. */
function chordAttacks(notes: NoteEvent[], duration: number): number[] {
  const onsets = notes
    .map((note) => note.start)
    .filter((time) => time < duration)
    .sort((a, b) => a - b);
  const attacks: number[] = [];
  for (let i = 0; i < onsets.length;) {
    let j = i;
    while (j + 1 < onsets.length && onsets[j + 1] - onsets[i] <= ATTACK_SPREAD) j++;
    if (j - i + 1 >= ATTACK_NOTES) attacks.push(onsets[i]);
    i = j + 1;
  }
  return attacks;
}

/** Whether an attack falls clearly between two beats rather than on one. */
function isOffBeat(time: number, beats: number[], duration: number): boolean {
  let low = 0;
  let high = beats.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (beats[middle] <= time) low = middle;
    else high = middle - 1;
  }
  const next = beats[low + 1] ?? duration;
  return Math.min(time - beats[low], next - time) > OFF_BEAT_SHARE * (next - beats[low]);
}

function typicalBeat(beats: number[], duration: number): number {
  return beats.length > 1
    ? beats[beats.length - 1] - beats[beats.length - 2]
    : Math.max(duration - beats[0], TIME_EPSILON);
}
