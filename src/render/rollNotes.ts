/** The notes themselves: a box per note coloured by velocity, its pitch bends drawn as a line over it. */
import type { NoteEvent } from '../types.js';
import { shade, velocityColour } from './rollColours.js';
import type { Layout } from './rollLayout.js';
import { COLOURS, SIZES } from './rollStyle.js';
import { noteName, seconds } from './rollText.js';
import { element, num } from './svgElements.js';

/** Bends smaller than this (semitones) are drawn as none. */
const AUDIBLE_BEND = 0.01;

export function noteShapes(layout: Layout, notes: NoteEvent[]): string {
  const parts = ['<g class="notes" clip-path="url(#roll-area)">'];
  const bends: string[] = [];
  for (const note of notes) {
    parts.push(noteBox(layout, note));
    const bend = bendPath(layout, note);
    if (bend) bends.push(bend);
  }
  // Bends on top of every note, so a later note never hides one.
  parts.push(...bends, '</g>');
  return parts.join('\n');
}

/** A note's box in its row, from its start to its end (at least a pixel wide), with its name as a tooltip. */
function noteBox(layout: Layout, note: NoteEvent): string {
  const x = layout.x(note.start);
  const width = Math.max(1, layout.x(note.end) - x);
  const colour = velocityColour(note.velocity);
  return element(
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
  );
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

/** Said in the middle of the roll when no note falls in the time drawn. */
export function emptyMessage(layout: Layout): string {
  const x = (layout.left + layout.right) / 2;
  const y = (layout.top + layout.bottom) / 2;
  return element(
    'text',
    { class: 'empty', x: num(x), y: num(y), 'text-anchor': 'middle', 'font-size': '16', fill: COLOURS.emptyMessage },
    'no notes',
  );
}
