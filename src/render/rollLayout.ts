/** Where everything sits on a piano roll: the time and pitch range, row height, the lanes above the roll. */
import { MAX_PITCH } from '../notes.js';
import type { NoteEvent } from '../types.js';
import { SAME_TIME, type RollOverlay } from './rollOverlay.js';
import {
  EMPTY_DURATION_SECONDS,
  EMPTY_PITCH_RANGE,
  MIN_PITCH_SPAN,
  PITCH_PADDING,
  ROLL_SCALE,
  SIZES,
} from './rollStyle.js';

export interface RollOptions {
  title?: string;
  /** Width of the whole picture in px (at least ROLL_SCALE.minPictureWidth); by default it follows the duration. */
  width?: number;
  /** Draw only this stretch of time, in seconds. */
  from?: number;
  to?: number;
}

export interface Layout {
  width: number;
  height: number;
  from: number;
  to: number;
  low: number;
  high: number;
  rowHeight: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  keyLaneTop?: number;
  chordLaneTop?: number;
  barNumbersTop?: number;
  x(time: number): number;
  /** Top of a pitch's row. */
  y(pitch: number): number;
}

/** Sizes from the notes' range and duration: every row tall enough to read, the whole roll on a screen. */
export function layoutFor(notes: NoteEvent[], overlay: RollOverlay, options: RollOptions): Layout {
  const from = options.from ?? 0;
  const to = options.to ?? endOfPicture(notes, overlay, from);
  if (!(to > from)) throw new RangeError(`piano roll: the time range must end after it starts, got ${from} to ${to} s`);
  const visible = notes.filter((note) => note.end > from && note.start < to);
  const { low, high } = pitchRange(visible);
  const rows = high - low + 1;
  const rowHeight = clamp(
    Math.floor(ROLL_SCALE.maxRollHeight / rows),
    ROLL_SCALE.minRowHeight,
    ROLL_SCALE.maxRowHeight,
  );
  const rollWidth =
    options.width !== undefined
      ? Math.max(ROLL_SCALE.minPictureWidth, options.width) - SIZES.marginLeft - SIZES.marginRight
      : clamp(Math.round((to - from) * ROLL_SCALE.pixelsPerSecond), ROLL_SCALE.minRollWidth, ROLL_SCALE.maxRollWidth);
  const { keyLaneTop, chordLaneTop, barNumbersTop, rollTop: top } = lanesAbove(overlay);
  const left = SIZES.marginLeft;
  const right = left + rollWidth;
  const bottom = top + rows * rowHeight;
  const pixelsPerSecond = rollWidth / (to - from);
  return {
    width: Math.ceil(right + SIZES.marginRight),
    height: Math.ceil(bottom + SIZES.marginBottom),
    from,
    to,
    low,
    high,
    rowHeight,
    left,
    right,
    top,
    bottom,
    keyLaneTop,
    chordLaneTop,
    barNumbersTop,
    x: (time) => left + (time - from) * pixelsPerSecond,
    y: (pitch) => top + (high - pitch) * rowHeight,
  };
}

type LaneTops = Pick<Layout, 'keyLaneTop' | 'chordLaneTop' | 'barNumbersTop'> & { rollTop: number };

/** The lanes stacked under the header, each only when there is something to put in it, then the roll's top. */
function lanesAbove(overlay: RollOverlay): LaneTops {
  let top = SIZES.header;
  let keyLaneTop: number | undefined;
  let chordLaneTop: number | undefined;
  let barNumbersTop: number | undefined;
  if ((overlay.keys?.length ?? 0) > 1) {
    keyLaneTop = top;
    top += SIZES.keyLane;
  }
  if (overlay.chords && overlay.chords.length > 0) {
    chordLaneTop = top;
    top += overlay.chords.some((chord) => chord.numeral) ? SIZES.chordLaneWithNumerals : SIZES.chordLane;
  }
  if (overlay.bars && overlay.bars.length > 0) {
    barNumbersTop = top;
    top += SIZES.barNumbers;
  }
  return { keyLaneTop, chordLaneTop, barNumbersTop, rollTop: top + SIZES.gapAboveRoll };
}

/** The last note's end, carried on to the next bar line so the last bar is whole, or else to a whole second. */
function endOfPicture(notes: NoteEvent[], overlay: RollOverlay, from: number): number {
  const ends = [...notes, ...(overlay.chords ?? [])].map((span) => span.end);
  const lastNote = ends.reduce((latest, end) => Math.max(latest, end), from);
  if (lastNote <= from) return from + EMPTY_DURATION_SECONDS;
  const nextBar = overlay.bars?.find((bar) => bar >= lastNote - SAME_TIME);
  return nextBar !== undefined ? Math.max(nextBar, lastNote) : Math.max(lastNote, Math.ceil(lastNote - SAME_TIME));
}

function pitchRange(notes: NoteEvent[]): { low: number; high: number } {
  if (notes.length === 0) return EMPTY_PITCH_RANGE;
  let low = notes.reduce((lowest, note) => Math.min(lowest, note.pitch), MAX_PITCH) - PITCH_PADDING;
  let high = notes.reduce((highest, note) => Math.max(highest, note.pitch), 0) + PITCH_PADDING;
  const missing = MIN_PITCH_SPAN - (high - low);
  if (missing > 0) {
    low -= Math.floor(missing / 2);
    high += Math.ceil(missing / 2);
  }
  // Keep within MIDI's range, moving the window rather than shrinking it.
  if (low < 0) [low, high] = [0, high - low];
  if (high > MAX_PITCH) [low, high] = [Math.max(0, low - (high - MAX_PITCH)), MAX_PITCH];
  return { low, high };
}

/** Every `n`th label, n a power of two, so labels at `spacing` px apart end up at least `minimum` apart. */
export function labelEvery(spacing: number, minimum: number): number {
  let every = 1;
  while (spacing > 0 && spacing * every < minimum) every *= 2;
  return every;
}

export function averageSpacing(positions: number[]): number {
  if (positions.length < 2) return Infinity;
  return (positions[positions.length - 1] - positions[0]) / (positions.length - 1);
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
