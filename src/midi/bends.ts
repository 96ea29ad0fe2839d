/**
 * Pitch bends in a MIDI file → the `bends` of its notes (semitones, evenly spaced over each note), so a
 * picture of a MIDI file shows them as a transcription's notes do. The bend range is taken as ±2
 * semitones, the General MIDI default and what jam writes.
 */
import { DRUM_CHANNEL, PITCH_BEND_RANGE_SEMITONES } from './constants.js';
import type { NoteEvent } from '../types.js';
import type { Midi } from './write.js';

/** How finely a MIDI bend curve is sampled over a note. */
const BEND_SAMPLES_PER_SECOND = 100;

/** A pitch-bend event as @tonejs/midi reads it: `value` is −1..1, a fraction of the bend range. */
export interface PitchBendEvent {
  time: number;
  value: number;
}

/**
 * The bend in force at evenly spaced moments from `start` to `end`, in semitones, given a channel's bend
 * events in time order; undefined when it stays at zero, as for most notes.
 */
export function bendsDuring(events: PitchBendEvent[], start: number, end: number): number[] | undefined {
  const count = Math.max(1, Math.ceil((end - start) * BEND_SAMPLES_PER_SECOND));
  const step = (end - start) / count;
  const bends: number[] = [];
  let next = 0;
  let value = 0;
  for (let i = 0; i < count; i++) {
    const time = start + i * step;
    while (next < events.length && events[next].time <= time) value = events[next++].value;
    bends.push(value * PITCH_BEND_RANGE_SEMITONES);
  }
  return bends.some((bend) => bend !== 0) ? bends : undefined;
}

/**
 * `notes` (as `midiNotes` reads them from `midi`) with the bends of their tracks added; notes are matched
 * to their track by pitch and start time.
 */
export function withMidiBends(midi: Midi, notes: NoteEvent[]): NoteEvent[] {
  const bendsOf = new Map<string, number[]>();
  for (const track of midi.tracks) {
    if (track.channel === DRUM_CHANNEL || track.pitchBends.length === 0) continue;
    const events = [...track.pitchBends].sort((a, b) => a.time - b.time);
    for (const note of track.notes) {
      const bends = bendsDuring(events, note.time, note.time + note.duration);
      if (bends) bendsOf.set(noteKey(note.midi, note.time), bends);
    }
  }
  if (bendsOf.size === 0) return notes;
  return notes.map((note) => {
    const bends = bendsOf.get(noteKey(note.pitch, note.start));
    return bends ? { ...note, bends } : note;
  });
}

function noteKey(pitch: number, start: number): string {
  return `${pitch}@${start}`;
}
