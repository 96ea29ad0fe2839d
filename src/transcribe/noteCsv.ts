/**
 * Note events as CSV, the columns basic-pitch's `--save-note-events` writes: start and end in seconds,
 * MIDI pitch, velocity, then the note's pitch bends (here in semitones), one column each.
 */
import type { NoteEvent } from '../types.js';

export const NOTE_CSV_HEADER = ['start_time_s', 'end_time_s', 'pitch_midi', 'velocity', 'pitch_bend'];

export function notesToCsv(notes: NoteEvent[]): string {
  const rows = notes.map((note) =>
    [note.start, note.end, note.pitch, note.velocity, ...(note.bends ?? [])].map(formatNumber).join(','),
  );
  return [NOTE_CSV_HEADER.join(','), ...rows].join('\n') + '\n';
}

/** Enough digits for sample accuracy, without float noise like 0.30000000000000004. */
function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)));
}
