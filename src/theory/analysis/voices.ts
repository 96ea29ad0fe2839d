/**
 * Telling the tune from the accompaniment when a file does not: in one track holding both (a pianist's two hands),
 * the tune is the top voice, the highest note sounding where each note starts, above middle C's octave. What is
 * left is the accompaniment, whose lowest voice is the bass.
 */
import type { NoteEvent } from '../../types.js';

/** The tune lies at or above this pitch (G3); lower top notes belong to the accompaniment. */
const LOWEST_TUNE = 55;
/** A note still sounding this close to its end does not hide a new note's being on top. */
const RELEASE_SECONDS = 0.05;
/** A top note struck and released with at least this many others is the top of a chord, not the tune. */
const BLOCK_NOTES = 2;

/** The notes (sorted by start) split into the top voice and the rest. */
export function splitTopVoice(notes: NoteEvent[]): { melody: NoteEvent[]; accompaniment: NoteEvent[] } {
  const melody: NoteEvent[] = [];
  const accompaniment: NoteEvent[] = [];
  const sounding: NoteEvent[] = [];
  for (let i = 0; i < notes.length; i++) {
    const note = notes[i];
    for (let j = sounding.length - 1; j >= 0; j--)
      if (sounding[j].end <= note.start + RELEASE_SECONDS) sounding.splice(j, 1);
    let highest = note.pitch;
    for (const other of sounding) highest = Math.max(highest, other.pitch);
    let together = 0;
    const alongside = (other: NoteEvent) =>
      Math.abs(other.start - note.start) < RELEASE_SECONDS && Math.abs(other.end - note.end) < RELEASE_SECONDS;
    for (let j = i - 1; j >= 0 && note.start - notes[j].start < RELEASE_SECONDS; j--)
      if (alongside(notes[j])) together++;
    for (let j = i + 1; j < notes.length && notes[j].start - note.start < RELEASE_SECONDS; j++) {
      highest = Math.max(highest, notes[j].pitch);
      if (alongside(notes[j])) together++;
    }
    const tune = note.pitch >= highest && note.pitch >= LOWEST_TUNE && together < BLOCK_NOTES;
    (tune ? melody : accompaniment).push(note);
    sounding.push(note);
  }
  return { melody, accompaniment };
}
