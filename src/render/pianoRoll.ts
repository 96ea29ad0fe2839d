/**
 * Notes → a piano-roll picture, as an SVG string: one rectangle per note coloured by velocity, pitch bends
 * drawn over their notes, a lane of chord names (and key changes) above the roll, bar and beat lines, note
 * names up the side and time along the bottom. Pure: the chords, key and grid come in as plain data, so the
 * same drawing serves MIDI files, note JSON and fresh transcriptions, with or without analysis.
 */
import type { Analysis } from '../theory/analysis/types.js';
import { MAX_PITCH, MAX_VELOCITY } from '../notes.js';
import { round } from '../numbers.js';
import type { NoteEvent } from '../types.js';
import {
  BLACK_KEYS,
  COLOURS,
  EMPTY_DURATION_SECONDS,
  EMPTY_PITCH_RANGE,
  FONT_FAMILY,
  MIN_PITCH_SPAN,
  OUTLINE_SHADE,
  PITCH_CLASS_NAMES,
  PITCH_PADDING,
  ROLL_SCALE,
  SIZES,
  TIME_STEPS_SECONDS,
  VELOCITY_RAMP,
} from './rollStyle.js';

/** A stretch of time with a name: a chord, a key. Seconds. */
export interface LabelledSpan {
  start: number;
  end: number;
  label: string;
}

export interface ChordSpan extends LabelledSpan {
  /** The chord's Roman numeral in the key in force ("V7/V"), drawn under its name. */
  numeral?: string;
}

/** What is drawn over the notes; every part is optional. Times in seconds. */
export interface RollOverlay {
  /** The key of the whole piece ("F# minor"), shown in the header. */
  key?: string;
  /** Key regions, when the key changes: drawn as their own lane above the chords. */
  keys?: LabelledSpan[];
  chords?: ChordSpan[];
  /** Bar-line times; the first is bar 1. */
  bars?: number[];
  beats?: number[];
}

export interface RollOptions {
  title?: string;
  /** Width of the whole picture in px (at least ROLL_SCALE.minPictureWidth); by default it follows the duration. */
  width?: number;
  /** Draw only this stretch of time, in seconds. */
  from?: number;
  to?: number;
}

const SEMITONES_PER_OCTAVE = 12;
/** Bends smaller than this (semitones) are drawn as none. */
const AUDIBLE_BEND = 0.01;
/** Merged chord spans may leave gaps this small (seconds) between repeats of one chord. */
const SAME_TIME = 1e-6;

interface Layout {
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

export function pianoRollSvg(notes: NoteEvent[], overlay: RollOverlay = {}, options: RollOptions = {}): string {
  const layout = layoutFor(notes, overlay, options);
  const visible = notes.filter((note) => note.end > layout.from && note.start < layout.to);
  const parts = [
    startTag('svg', {
      xmlns: 'http://www.w3.org/2000/svg',
      width: layout.width,
      height: layout.height,
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      'font-family': FONT_FAMILY,
    }),
    `<title>${escapeXml(options.title ?? 'piano roll')}</title>`,
    velocityGradient(),
    element(
      'clipPath',
      { id: 'roll-area' },
      element('rect', {
        x: num(layout.left),
        y: num(layout.top),
        width: num(layout.right - layout.left),
        height: num(layout.bottom - layout.top),
      }),
    ),
    `<rect class="background" width="${layout.width}" height="${layout.height}" fill="${COLOURS.background}"/>`,
    header(layout, overlay.key, options.title),
    keyLane(layout, overlay.keys),
    chordLane(layout, overlay.chords),
    barNumbers(layout, overlay.bars),
    pitchRows(layout),
    gridLines(layout, overlay),
    noteShapes(layout, visible),
    element('rect', {
      class: 'roll-border',
      x: num(layout.left),
      y: num(layout.top),
      width: num(layout.right - layout.left),
      height: num(layout.bottom - layout.top),
      fill: 'none',
      stroke: COLOURS.rollBorder,
    }),
    pitchNames(layout, visible),
    timeAxis(layout),
    visible.length === 0 ? emptyMessage(layout) : '',
    '</svg>',
  ];
  return parts.filter((part) => part !== '').join('\n') + '\n';
}

/** Sizes from the notes' range and duration: every row tall enough to read, the whole roll on a screen. */
function layoutFor(notes: NoteEvent[], overlay: RollOverlay, options: RollOptions): Layout {
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
  top += SIZES.gapAboveRoll;

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

function header(layout: Layout, key: string | undefined, title: string | undefined): string {
  const legendLeft = layout.width - SIZES.marginRight - SIZES.legendWidth;
  const legendCaptionWidth = textWidth('velocity', SIZES.laneLabelFont);
  const legendCaptionLeft = legendLeft - legendCaptionWidth - 6;
  const keyText = key ? `Key: ${key}` : '';
  const keyRight = legendCaptionLeft - 24;
  const keyLeft = keyRight - textWidth(keyText, SIZES.keyFont);
  const titleLeft = 12;
  const titleRoom = (key ? keyLeft : legendCaptionLeft) - titleLeft - 16;
  const baseline = 25;
  const parts = [];
  if (title)
    parts.push(
      element(
        'text',
        {
          class: 'title',
          x: titleLeft,
          y: baseline,
          'font-size': SIZES.titleFont,
          'font-weight': 'bold',
          fill: COLOURS.text,
        },
        escapeXml(fitText(title, titleRoom, SIZES.titleFont)),
      ),
    );
  if (key)
    parts.push(
      element(
        'text',
        {
          class: 'key',
          x: num(keyRight),
          y: baseline,
          'text-anchor': 'end',
          'font-size': SIZES.keyFont,
          fill: COLOURS.text,
        },
        `Key: <tspan font-weight="bold">${escapeXml(key)}</tspan>`,
      ),
    );
  parts.push(legend(legendLeft, legendCaptionLeft));
  return parts.join('\n');
}

/** Velocity legend: the colour ramp with its ends and middle named. */
function legend(left: number, captionLeft: number): string {
  const top = 12;
  const labels = [1, 64, MAX_VELOCITY].map((velocity) => {
    const x = left + ((velocity - 1) / (MAX_VELOCITY - 1)) * SIZES.legendWidth;
    const anchor = velocity === 1 ? 'start' : velocity === MAX_VELOCITY ? 'end' : 'middle';
    return element(
      'text',
      {
        x: num(x),
        y: top + SIZES.legendHeight + 11,
        'text-anchor': anchor,
        'font-size': SIZES.axisFont - 1,
        fill: COLOURS.mutedText,
      },
      velocity,
    );
  });
  return [
    '<g class="legend">',
    element(
      'text',
      {
        x: num(captionLeft),
        y: top + SIZES.legendHeight - 1,
        'font-size': SIZES.laneLabelFont,
        fill: COLOURS.mutedText,
      },
      'velocity',
    ),
    element('rect', {
      x: num(left),
      y: top,
      width: SIZES.legendWidth,
      height: SIZES.legendHeight,
      rx: '2',
      fill: 'url(#velocity-ramp)',
      stroke: COLOURS.laneBorder,
      'stroke-width': '0.5',
    }),
    ...labels,
    '</g>',
  ].join('\n');
}

function velocityGradient(): string {
  const stops = VELOCITY_RAMP.map(({ at, rgb }) => `<stop offset="${at}" stop-color="${hex(rgb)}"/>`);
  return element(
    'defs',
    {},
    `<linearGradient id="velocity-ramp" x1="0" x2="1" y1="0" y2="0">${stops.join('')}</linearGradient>`,
  );
}

function keyLane(layout: Layout, keys: LabelledSpan[] | undefined): string {
  if (layout.keyLaneTop === undefined || !keys) return '';
  return lane(layout, 'key', 'key', mergeRepeats(keys), layout.keyLaneTop, SIZES.keyLane);
}

function chordLane(layout: Layout, chords: ChordSpan[] | undefined): string {
  if (layout.chordLaneTop === undefined || !chords) return '';
  const height = chords.some((chord) => chord.numeral) ? SIZES.chordLaneWithNumerals : SIZES.chordLane;
  return lane(layout, 'chord', 'chords', mergeRepeats(chords), layout.chordLaneTop, height);
}

/** A row of named boxes over the roll's time axis; names that do not fit are left to the tooltip. */
function lane(layout: Layout, kind: string, caption: string, spans: ChordSpan[], top: number, height: number): string {
  const parts = [`<g class="${kind}-lane">`, laneCaption(caption, top, height)];
  spans.forEach((span, index) => {
    const x1 = Math.max(layout.x(span.start), layout.left);
    const x2 = Math.min(layout.x(span.end), layout.right);
    if (x2 - x1 < 0.5) return;
    const noChord = span.label === 'N';
    const fill = noChord ? COLOURS.noChordFill : COLOURS.laneFill[index % COLOURS.laneFill.length];
    const middle = (x1 + x2) / 2;
    const room = x2 - x1 - 4;
    const texts = [];
    const nameFont = fittingFont(span.label, room, kind === 'key' ? SIZES.laneLabelFont : SIZES.chordFont);
    const nameBaseline = span.numeral ? top + 14 : top + height / 2 + (nameFont ?? 0) * 0.36;
    if (nameFont) {
      texts.push(
        element(
          'text',
          {
            class: `${kind}-label`,
            x: num(middle),
            y: num(nameBaseline),
            'text-anchor': 'middle',
            'font-size': nameFont,
            'font-weight': kind === 'chord' && !noChord ? 'bold' : 'normal',
            fill: noChord ? COLOURS.mutedText : COLOURS.text,
          },
          escapeXml(span.label),
        ),
      );
    }
    const numeralFont = span.numeral ? fittingFont(span.numeral, room, SIZES.numeralFont) : undefined;
    if (span.numeral && numeralFont) {
      texts.push(
        element(
          'text',
          {
            class: 'numeral',
            x: num(middle),
            y: top + height - 7,
            'text-anchor': 'middle',
            'font-size': numeralFont,
            fill: COLOURS.mutedText,
          },
          escapeXml(span.numeral),
        ),
      );
    }
    const tooltip = span.numeral ? `${span.label} (${span.numeral})` : span.label;
    parts.push(
      element(
        'g',
        { class: kind, 'data-label': escapeXml(span.label) },
        element('title', {}, `${escapeXml(tooltip)}, ${seconds(span.start)}–${seconds(span.end)}`) +
          element('rect', {
            x: num(x1),
            y: top + 1,
            width: num(x2 - x1),
            height: height - 2,
            fill,
            stroke: COLOURS.laneBorder,
            'stroke-width': '0.6',
          }) +
          texts.join(''),
      ),
    );
  });
  parts.push('</g>');
  return parts.join('\n');
}

function laneCaption(caption: string, top: number, height: number): string {
  const font = SIZES.axisFont;
  return element(
    'text',
    {
      x: SIZES.marginLeft - 6,
      y: num(top + height / 2 + font * 0.36),
      'text-anchor': 'end',
      'font-size': font,
      fill: COLOURS.mutedText,
    },
    caption,
  );
}

function barNumbers(layout: Layout, bars: number[] | undefined): string {
  if (layout.barNumbersTop === undefined || !bars) return '';
  const every = labelEvery(averageSpacing(bars.map(layout.x)), ROLL_SCALE.minBarNumberSpacing);
  const baseline = layout.barNumbersTop + SIZES.barNumbers - 4;
  const parts = ['<g class="bar-numbers">', laneCaption('bar', layout.barNumbersTop, SIZES.barNumbers)];
  bars.forEach((time, index) => {
    const x = layout.x(time);
    if (index % every !== 0 || x < layout.left - SAME_TIME || x > layout.right - 8) return;
    parts.push(
      element(
        'text',
        { class: 'bar-number', x: num(x + 3), y: baseline, 'font-size': SIZES.axisFont, fill: COLOURS.mutedText },
        index + 1,
      ),
    );
  });
  parts.push('</g>');
  return parts.join('\n');
}

/** Keyboard-shaded rows, with a darker line under each C so octaves stand out. */
function pitchRows(layout: Layout): string {
  const parts = ['<g class="rows">'];
  const width = num(layout.right - layout.left);
  for (let pitch = layout.low; pitch <= layout.high; pitch++) {
    const fill = BLACK_KEYS.has(pitch % SEMITONES_PER_OCTAVE) ? COLOURS.blackKeyRow : COLOURS.whiteKeyRow;
    parts.push(
      element('rect', {
        x: num(layout.left),
        y: num(layout.y(pitch)),
        width: width,
        height: layout.rowHeight,
        fill: fill,
      }),
    );
  }
  for (let pitch = layout.low; pitch <= layout.high; pitch++) {
    const y = num(layout.y(pitch) + layout.rowHeight);
    const isC = pitch % SEMITONES_PER_OCTAVE === 0;
    parts.push(
      isC
        ? element('line', {
            class: 'octave-line',
            'data-pitch': pitch,
            x1: num(layout.left),
            x2: num(layout.right),
            y1: y,
            y2: y,
            stroke: COLOURS.octaveLine,
            'stroke-width': '1',
          })
        : element('line', {
            x1: num(layout.left),
            x2: num(layout.right),
            y1: y,
            y2: y,
            stroke: COLOURS.rowLine,
            'stroke-width': '0.5',
          }),
    );
  }
  parts.push('</g>');
  return parts.join('\n');
}

/** Beat lines (faint, when there is room for them), then bar lines. */
function gridLines(layout: Layout, overlay: RollOverlay): string {
  const inside = (time: number): boolean => time >= layout.from - SAME_TIME && time <= layout.to + SAME_TIME;
  // Up through the bar numbers, but not across the chord names, which have their own boxes.
  const lineTop = layout.barNumbersTop ?? layout.top;
  const parts = ['<g class="grid">'];
  const beats = (overlay.beats ?? []).filter(inside);
  if (averageSpacing(beats.map(layout.x)) >= ROLL_SCALE.minBeatSpacing) {
    const bars = new Set((overlay.bars ?? []).map((bar) => bar.toFixed(6)));
    for (const beat of beats) {
      if (bars.has(beat.toFixed(6))) continue;
      const x = num(layout.x(beat));
      parts.push(
        element('line', {
          class: 'beat-line',
          x1: x,
          x2: x,
          y1: num(layout.top),
          y2: num(layout.bottom),
          stroke: COLOURS.beatLine,
          'stroke-width': '0.8',
        }),
      );
    }
  }
  for (const bar of (overlay.bars ?? []).filter(inside)) {
    const x = num(layout.x(bar));
    parts.push(
      element('line', {
        class: 'bar-line',
        x1: x,
        x2: x,
        y1: num(lineTop),
        y2: num(layout.bottom),
        stroke: COLOURS.barLine,
        'stroke-width': '1',
      }),
    );
  }
  parts.push('</g>');
  return parts.join('\n');
}

function noteShapes(layout: Layout, notes: NoteEvent[]): string {
  const parts = ['<g class="notes" clip-path="url(#roll-area)">'];
  const bends: string[] = [];
  for (const note of notes) {
    const x = layout.x(note.start);
    const width = Math.max(1, layout.x(note.end) - x);
    const colour = velocityColour(note.velocity);
    parts.push(
      element(
        'rect',
        {
          class: 'note',
          'data-pitch': note.pitch,
          'data-velocity': note.velocity,
          x: num(x),
          y: num(layout.y(note.pitch) + 0.5),
          width: num(width),
          height: num(layout.rowHeight - 1),
          rx: SIZES.noteCornerRadius,
          fill: colour,
          stroke: shade(colour),
          'stroke-width': '0.8',
        },
        element(
          'title',
          {},
          `${noteName(note.pitch)} ${seconds(note.start)}–${seconds(note.end)}, velocity ${note.velocity}`,
        ),
      ),
    );
    const bend = bendPath(layout, note);
    if (bend) bends.push(bend);
  }
  // Bends on top of every note, so a later note never hides one.
  parts.push(...bends, '</g>');
  return parts.join('\n');
}

/** The note's pitch over time as a line through the middle of its row: one semitone up is one row up. */
function bendPath(layout: Layout, note: NoteEvent): string | undefined {
  const bends = note.bends;
  if (!bends || bends.length === 0 || bends.every((bend) => Math.abs(bend) < AUDIBLE_BEND)) return undefined;
  const centre = layout.y(note.pitch) + layout.rowHeight / 2;
  const step = (note.end - note.start) / bends.length;
  const points = bends.map((bend, i) => [layout.x(note.start + i * step), centre - bend * layout.rowHeight]);
  points.push([layout.x(note.end), centre - bends[bends.length - 1] * layout.rowHeight]);
  const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x)} ${num(y)}`).join(' ');
  return element('path', {
    class: 'bend',
    'data-pitch': note.pitch,
    d: d,
    fill: 'none',
    stroke: COLOURS.bend,
    'stroke-width': SIZES.bendStroke,
    'stroke-linejoin': 'round',
    'stroke-linecap': 'round',
  });
}

/** Every C, and every pitch that is played when the rows are tall enough to name them all. */
function pitchNames(layout: Layout, notes: NoteEvent[]): string {
  const played = new Set(notes.map((note) => note.pitch));
  const allNames = layout.rowHeight >= ROLL_SCALE.rowHeightForAllNames;
  const font = Math.min(SIZES.pitchFontMax, Math.max(SIZES.smallestLabelFont, layout.rowHeight - 1));
  const parts = ['<g class="pitch-names">'];
  for (let pitch = layout.low; pitch <= layout.high; pitch++) {
    const isC = pitch % SEMITONES_PER_OCTAVE === 0;
    if (!isC && !(allNames && played.has(pitch))) continue;
    const baseline = layout.y(pitch) + layout.rowHeight / 2 + font * 0.36;
    parts.push(
      element(
        'text',
        {
          class: 'pitch-label',
          'data-pitch': pitch,
          x: SIZES.marginLeft - 6,
          y: num(baseline),
          'text-anchor': 'end',
          'font-size': font,
          'font-weight': isC ? 'bold' : undefined,
          fill: isC ? COLOURS.text : COLOURS.mutedText,
        },
        noteName(pitch),
      ),
    );
  }
  parts.push('</g>');
  return parts.join('\n');
}

/** Seconds along the bottom, at a round step that leaves room for every label. */
function timeAxis(layout: Layout): string {
  const pixelsPerSecond = layout.x(layout.from + 1) - layout.x(layout.from);
  const step =
    TIME_STEPS_SECONDS.find((candidate) => candidate * pixelsPerSecond >= ROLL_SCALE.minLabelSpacing) ??
    TIME_STEPS_SECONDS[TIME_STEPS_SECONDS.length - 1];
  const asMinutes = layout.to >= 60;
  const parts = ['<g class="time-axis">'];
  for (let i = Math.ceil(layout.from / step - SAME_TIME); i * step <= layout.to + SAME_TIME; i++) {
    const time = i * step;
    const x = num(layout.x(time));
    parts.push(
      element('line', {
        x1: x,
        x2: x,
        y1: num(layout.bottom),
        y2: num(layout.bottom + SIZES.tickLength),
        stroke: COLOURS.rollBorder,
      }),
    );
    parts.push(
      element(
        'text',
        {
          class: 'time-label',
          x: x,
          y: num(layout.bottom + SIZES.tickLength + 12),
          'text-anchor': 'middle',
          'font-size': SIZES.axisFont,
          fill: COLOURS.mutedText,
        },
        asMinutes ? minutes(time) : seconds(time),
      ),
    );
  }
  parts.push('</g>');
  return parts.join('\n');
}

function emptyMessage(layout: Layout): string {
  const x = (layout.left + layout.right) / 2;
  const y = (layout.top + layout.bottom) / 2;
  return element(
    'text',
    { class: 'empty', x: num(x), y: num(y), 'text-anchor': 'middle', 'font-size': '16', fill: COLOURS.emptyMessage },
    'no notes',
  );
}

/** What an analysis (`analyzeNotes`) has to show: the key, key changes, chord symbols with numerals, the grid. */
export function overlayFromAnalysis(analysis: Analysis): RollOverlay {
  return {
    key: analysis.key?.name,
    keys: analysis.keyChanges.map((segment) => ({ start: segment.start, end: segment.end, label: segment.key.name })),
    chords: analysis.chords.map((chord) => ({
      start: chord.start,
      end: chord.end,
      label: chord.symbol,
      numeral: chord.numeral ?? undefined,
    })),
    bars: analysis.grid.bars,
    beats: analysis.grid.beats,
  };
}

/** Adjacent spans with the same name become one, so a chord held over several beats is named once. */
export function mergeRepeats<T extends ChordSpan>(spans: T[]): T[] {
  const merged: T[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && last.label === span.label && last.numeral === span.numeral && span.start - last.end <= SAME_TIME) {
      merged[merged.length - 1] = { ...last, end: Math.max(last.end, span.end) };
    } else {
      merged.push(span);
    }
  }
  return merged;
}

/** Velocity 1–127 → a colour on the ramp, as #rrggbb. */
export function velocityColour(velocity: number): string {
  const at = (clamp(velocity, 1, MAX_VELOCITY) - 1) / (MAX_VELOCITY - 1);
  const upper = VELOCITY_RAMP.findIndex((stop) => stop.at >= at);
  if (upper <= 0) return hex(VELOCITY_RAMP[0].rgb);
  const below = VELOCITY_RAMP[upper - 1];
  const above = VELOCITY_RAMP[upper];
  const mix = (at - below.at) / (above.at - below.at);
  return hex(below.rgb.map((channel, i) => channel + (above.rgb[i] - channel) * mix) as [number, number, number]);
}

/** MIDI number → scientific pitch name with sharps: 60 → C4, 61 → C#4. */
export function noteName(pitch: number): string {
  return `${PITCH_CLASS_NAMES[pitch % SEMITONES_PER_OCTAVE]}${Math.floor(pitch / SEMITONES_PER_OCTAVE) - 1}`;
}

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
}

function hex(rgb: readonly number[]): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}

function shade(colour: string): string {
  const rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16) * OUTLINE_SHADE);
  return hex(rgb);
}

/** The largest font, down to the smallest readable one, at which `text` fits in `room` px; none if it never does. */
function fittingFont(text: string, room: number, largest: number): number | undefined {
  for (let font = largest; font >= SIZES.smallestLabelFont; font--) {
    if (textWidth(text, font) <= room) return font;
  }
  return undefined;
}

function fitText(text: string, room: number, font: number): string {
  if (textWidth(text, font) <= room) return text;
  const characters = Math.max(1, Math.floor(room / (font * SIZES.characterWidth)) - 1);
  return `${text.slice(0, characters)}…`;
}

function textWidth(text: string, font: number): number {
  return text.length * font * SIZES.characterWidth;
}

/** Every `n`th label, n a power of two, so labels at `spacing` px apart end up at least `minimum` apart. */
function labelEvery(spacing: number, minimum: number): number {
  let every = 1;
  while (spacing > 0 && spacing * every < minimum) every *= 2;
  return every;
}

function averageSpacing(positions: number[]): number {
  if (positions.length < 2) return Infinity;
  return (positions[positions.length - 1] - positions[0]) / (positions.length - 1);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

type Attributes = Record<string, string | number | undefined>;

/** An SVG start tag: the attributes in the order given, those undefined left out. */
function startTag(name: string, attributes: Attributes): string {
  const written = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([attribute, value]) => ` ${attribute}="${value}"`);
  return `<${name}${written.join('')}>`;
}

/** An SVG element: closed at once when it holds nothing, else around `content` (already escaped). */
function element(name: string, attributes: Attributes, content?: string | number): string {
  const start = startTag(name, attributes);
  return content === undefined ? `${start.slice(0, -1)}/>` : `${start}${content}</${name}>`;
}

/** An SVG coordinate or size, to a hundredth of a pixel. */
function num(value: number): string {
  return String(round(value, 2));
}

function seconds(time: number): string {
  return `${round(time, 3)} s`;
}

function minutes(time: number): string {
  const whole = Math.floor(time / 60);
  const rest = time - whole * 60;
  const restText = Number.isInteger(Math.round(rest * 1000) / 1000)
    ? String(Math.round(rest)).padStart(2, '0')
    : rest.toFixed(1).padStart(4, '0');
  return `${whole}:${restText}`;
}
