/**
 * How a piano roll looks: colours, fonts and sizes, named once. The layout logic is in pianoRoll.ts.
 */

/** Velocity 1 → 127 as colour stops (position 0–1, RGB): quiet notes cool and pale, loud ones warm and deep. */
export const VELOCITY_RAMP: ReadonlyArray<{ at: number; rgb: [number, number, number] }> = [
  { at: 0, rgb: [125, 176, 222] },
  { at: 0.35, rgb: [86, 110, 206] },
  { at: 0.6, rgb: [142, 68, 173] },
  { at: 0.8, rgb: [214, 60, 110] },
  { at: 1, rgb: [232, 93, 36] },
];
/** How much darker a note's outline is than its fill. */
export const OUTLINE_SHADE = 0.62;

export const COLOURS = {
  background: '#ffffff',
  text: '#1f2937',
  mutedText: '#6b7280',
  whiteKeyRow: '#fbfbfd',
  blackKeyRow: '#eceef3',
  rowLine: '#e4e7ec',
  octaveLine: '#9ca3af',
  barLine: '#6b7280',
  beatLine: '#d5d9e0',
  rollBorder: '#9ca3af',
  bend: '#111827',
  laneFill: ['#eef2f7', '#e2e8f0'],
  laneBorder: '#b6c0cc',
  noChordFill: '#f8fafc',
  emptyMessage: '#9ca3af',
} as const;

export const FONT_FAMILY = 'DejaVu Sans, Verdana, Arial, Helvetica, sans-serif';

export const SIZES = {
  /** Margins around the roll, px: pitch names go in the left one. */
  marginLeft: 58,
  marginRight: 18,
  marginBottom: 34,
  /** The title row, with the key and the velocity legend. */
  header: 40,
  keyLane: 20,
  chordLane: 24,
  /** A chord lane with Roman numerals under the names. */
  chordLaneWithNumerals: 36,
  barNumbers: 16,
  gapAboveRoll: 4,
  titleFont: 15,
  keyFont: 13,
  chordFont: 12,
  numeralFont: 10,
  smallestLabelFont: 8,
  laneLabelFont: 11,
  axisFont: 10,
  pitchFontMax: 11,
  legendWidth: 130,
  legendHeight: 9,
  noteCornerRadius: 2,
  bendStroke: 1.4,
  tickLength: 4,
  /** Roughly how wide a character is, as a fraction of the font size, for deciding whether a label fits. */
  characterWidth: 0.62,
} as const;

/** Default scale and the bounds a picture stays in, px. */
export const ROLL_SCALE = {
  pixelsPerSecond: 100,
  /** The narrowest picture whose header holds a title, the key and the legend side by side. */
  minPictureWidth: 480,
  minRollWidth: 560,
  maxRollWidth: 3600,
  maxRollHeight: 620,
  minRowHeight: 5,
  maxRowHeight: 16,
  /** Rows shorter than this get names only on the Cs, not on every pitch that is played. */
  rowHeightForAllNames: 9,
  /** Fewer pixels than this between beats and the beat lines are left out. */
  minBeatSpacing: 6,
  /** Labels on the time axis and bar numbers at least this far apart. */
  minLabelSpacing: 64,
  minBarNumberSpacing: 28,
} as const;

/** Semitones shown beyond the lowest and highest notes, and the smallest range drawn. */
export const PITCH_PADDING = 2;
export const MIN_PITCH_SPAN = 24;
/** What an empty roll shows: C3 to C5. */
export const EMPTY_PITCH_RANGE = { low: 48, high: 72 } as const;
export const EMPTY_DURATION_SECONDS = 4;

/** Steps for the seconds axis, smallest first: the first that leaves room for the labels is used. */
export const TIME_STEPS_SECONDS = [0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];

export const PITCH_CLASS_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
/** Pitch classes of the black keys. */
export const BLACK_KEYS = new Set([1, 3, 6, 8, 10]);
