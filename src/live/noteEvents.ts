/**
 * Notes → the live events that play them: a note-on at the start, a bend wherever the bend changes (one value per
 * model frame, as NoteEvent has them), and a note-off at the end, all in time order. The inverse of NoteCollector,
 * for playing a MIDI file's notes into anything that takes a live stream.
 */
import type { LiveEvent, NoteEvent } from '../types.js';

/** Ties at one time: note-offs first (a repeated note ends before it starts again), then bends, then note-ons. */
const ORDER_AT_ONE_TIME: Record<LiveEvent['type'], number> = { off: 0, bend: 1, on: 2 };

export function eventsOfNotes(notes: NoteEvent[]): LiveEvent[] {
  const events: LiveEvent[] = [];
  for (const note of notes) {
    events.push({ type: 'on', time: note.start, pitch: note.pitch, velocity: note.velocity });
    events.push(...bendEvents(note));
    events.push({ type: 'off', time: note.end, pitch: note.pitch, velocity: 0 });
  }
  return events.sort((a, b) => a.time - b.time || ORDER_AT_ONE_TIME[a.type] - ORDER_AT_ONE_TIME[b.type]);
}

function bendEvents(note: NoteEvent): LiveEvent[] {
  const bends = note.bends ?? [];
  const step = (note.end - note.start) / Math.max(1, bends.length);
  const events: LiveEvent[] = [];
  let last = 0;
  bends.forEach((value, i) => {
    if (value === last) return;
    events.push({ type: 'bend', time: note.start + i * step, pitch: note.pitch, value });
    last = value;
  });
  return events;
}
