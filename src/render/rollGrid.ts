/** The roll's background: keyboard-shaded pitch rows with octave lines, and the beat and bar lines over them. */
import { averageSpacing, type Layout } from './rollLayout.js';
import { SAME_TIME, type RollOverlay } from './rollOverlay.js';
import { BLACK_KEYS, COLOURS, ROLL_SCALE } from './rollStyle.js';
import { SEMITONES_PER_OCTAVE } from './rollText.js';
import { element, num } from './svgElements.js';

/** Keyboard-shaded rows, with a darker line under each C so octaves stand out. */
export function pitchRows(layout: Layout): string {
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
  for (let pitch = layout.low; pitch <= layout.high; pitch++) parts.push(rowLine(layout, pitch));
  parts.push('</g>');
  return parts.join('\n');
}

/** The line under a pitch's row: an octave line under each C, else a faint one. */
function rowLine(layout: Layout, pitch: number): string {
  const y = num(layout.y(pitch) + layout.rowHeight);
  const isC = pitch % SEMITONES_PER_OCTAVE === 0;
  return isC
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
      });
}

/** Beat lines (faint, when there is room for them), then bar lines. */
export function gridLines(layout: Layout, overlay: RollOverlay): string {
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
