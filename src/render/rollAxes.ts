/** The roll's axes: note names up the left side and time along the bottom. */
import type { NoteEvent } from '../types.js';
import type { Layout } from './rollLayout.js';
import { SAME_TIME } from './rollOverlay.js';
import { COLOURS, ROLL_SCALE, SIZES, TIME_STEPS_SECONDS } from './rollStyle.js';
import { minutes, noteName, seconds, SEMITONES_PER_OCTAVE } from './rollText.js';
import { element, num } from './svgElements.js';

/** Every C, and every pitch that is played when the rows are tall enough to name them all. */
export function pitchNames(layout: Layout, notes: NoteEvent[]): string {
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
export function timeAxis(layout: Layout): string {
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
