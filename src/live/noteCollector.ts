/**
 * Live events → jam's notes, for files: each note-on is paired with the next note-off of its pitch, and the bends
 * heard while it sounded become its `bends`, one per model frame from start to end as NoteEvent has them.
 */
import { ANNOTATIONS_FPS } from '../transcribe/constants.js';
import type { LiveEvent, NoteEvent } from '../types.js';

const FRAME_SECONDS = 1 / ANNOTATIONS_FPS;

interface Sounding {
  start: number;
  velocity: number;
  bends: Array<{ time: number; value: number }>;
}

export class NoteCollector {
  readonly notes: NoteEvent[] = [];
  private readonly sounding = new Map<number, Sounding[]>();

  /** Takes one event; returns the note it completes, if it is a note-off. */
  add(event: LiveEvent): NoteEvent | undefined {
    if (event.type === 'on') {
      const note = { start: event.time, velocity: event.velocity, bends: [] };
      this.sounding.set(event.pitch, [...(this.sounding.get(event.pitch) ?? []), note]);
      return undefined;
    }
    const notes = this.sounding.get(event.pitch);
    if (!notes || notes.length === 0) return undefined;
    if (event.type === 'bend') {
      notes[notes.length - 1].bends.push({ time: event.time, value: event.value });
      return undefined;
    }
    const started = notes.shift()!;
    if (notes.length === 0) this.sounding.delete(event.pitch);
    return this.complete(event.pitch, started, event.time);
  }

  /** Ends every sounding note at `time`: for a file closed while notes still sound. */
  finish(time: number): void {
    for (const [pitch, notes] of this.sounding) for (const note of notes) this.complete(pitch, note, time);
    this.sounding.clear();
  }

  private complete(pitch: number, started: Sounding, time: number): NoteEvent {
    const end = Math.max(time, started.start);
    const note: NoteEvent = { pitch, start: started.start, end, velocity: started.velocity };
    const bends = bendsPerFrame(started.bends, started.start, end);
    if (bends.some((bend) => bend !== 0)) note.bends = bends;
    this.notes.push(note);
    return note;
  }
}

/** The bend in force at each frame from `start` to `end`: the latest event at or before it, or none (0). */
export function bendsPerFrame(events: Array<{ time: number; value: number }>, start: number, end: number): number[] {
  const frames = Math.max(1, Math.round((end - start) / FRAME_SECONDS));
  const bends = new Array<number>(frames).fill(0);
  let next = 0;
  let value = 0;
  for (let frame = 0; frame < frames; frame++) {
    const time = start + frame * FRAME_SECONDS;
    while (next < events.length && events[next].time <= time + 1e-9) value = events[next++].value;
    bends[frame] = value;
  }
  return bends;
}
