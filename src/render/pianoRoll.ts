/**
 * Notes → a piano-roll picture, as an SVG string: one rectangle per note coloured by velocity, pitch bends
 * drawn over their notes, a lane of chord names (and key changes) above the roll, bar and beat lines, note
 * names up the side and time along the bottom. Pure: the chords, key and grid come in as plain data, so the
 * same drawing serves MIDI files, note JSON and fresh transcriptions, with or without analysis.
 */
import type { NoteEvent } from '../types.js';
import { pitchNames, timeAxis } from './rollAxes.js';
import { velocityGradient } from './rollColours.js';
import { gridLines, pitchRows } from './rollGrid.js';
import { header } from './rollHeader.js';
import { barNumbers, chordLane, keyLane } from './rollLanes.js';
import { layoutFor, type Layout, type RollOptions } from './rollLayout.js';
import { emptyMessage, noteShapes } from './rollNotes.js';
import type { RollOverlay } from './rollOverlay.js';
import { COLOURS, FONT_FAMILY } from './rollStyle.js';
import { element, escapeXml, num, startTag } from './svgElements.js';

export { velocityColour } from './rollColours.js';
export type { RollOptions } from './rollLayout.js';
export { overlayFromAnalysis, type ChordSpan, type LabelledSpan, type RollOverlay } from './rollOverlay.js';
export { noteName } from './rollText.js';

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
    element('clipPath', { id: 'roll-area' }, rollRect(layout, {})),
    `<rect class="background" width="${layout.width}" height="${layout.height}" fill="${COLOURS.background}"/>`,
    header(layout, overlay.key, options.title),
    keyLane(layout, overlay.keys),
    chordLane(layout, overlay.chords),
    barNumbers(layout, overlay.bars),
    pitchRows(layout),
    gridLines(layout, overlay),
    noteShapes(layout, visible),
    rollRect(layout, { class: 'roll-border', fill: 'none', stroke: COLOURS.rollBorder }),
    pitchNames(layout, visible),
    timeAxis(layout),
    visible.length === 0 ? emptyMessage(layout) : '',
    '</svg>',
  ];
  return parts.filter((part) => part !== '').join('\n') + '\n';
}

/** A rectangle over the whole roll: the area notes are clipped to, and its border. */
function rollRect(layout: Layout, look: { class?: string; fill?: string; stroke?: string }): string {
  return element('rect', {
    class: look.class,
    x: num(layout.left),
    y: num(layout.top),
    width: num(layout.right - layout.left),
    height: num(layout.bottom - layout.top),
    fill: look.fill,
    stroke: look.stroke,
  });
}
