/**
 * Notes as JSON → NoteEvents: what `jam transcribe --json` prints for one input (`{ input, notes, … }`),
 * or a plain array of notes `{ pitch, start, end, velocity, bends? }`. Anything else is refused with a
 * message that says what was expected.
 */
import { JamError } from '../errors.js';
import { MAX_PITCH, MAX_VELOCITY } from '../notes.js';
import type { NoteEvent } from '../types.js';

/** Characters of a parser message or a bad note quoted in an error. */
const MESSAGE_EXCERPT = 80;
const EXPECTED =
  'give the output of jam transcribe --json for one input, or an array of notes {pitch, start, end, velocity}';

export function notesFromJson(text: string, name: string): NoteEvent[] {
  const value = parseOneValue(text, name);
  const notes = Array.isArray(value) ? value : notesField(value, name);
  return notes
    .map((note, index) => checkedNote(note, index, name))
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch);
}

/** One JSON value; `jam transcribe --json` writes one line per input, so several lines mean several takes. */
function parseOneValue(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    if (lines.length > 1 && lines.every(isJson)) {
      throw new JamError(
        `${name}: holds ${lines.length} transcriptions, one per line; ` +
          'keep the line you want (e.g. sed -n 1p) and view that',
      );
    }
    throw new JamError(`${name}: not valid JSON (${oneLine((error as Error).message)}); ${EXPECTED}`);
  }
}

/** The parser quotes the input, which may span lines; messages are one line. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > MESSAGE_EXCERPT ? `${flat.slice(0, MESSAGE_EXCERPT)}…` : flat;
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function notesField(value: unknown, name: string): unknown[] {
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.notes)) return record.notes;
    if (typeof record.error === 'string')
      throw new JamError(
        `${name}: holds a failed transcription (${record.error}); fix that input and transcribe it again`,
      );
  }
  throw new JamError(`${name}: no "notes" in this JSON; ${EXPECTED}`);
}

function checkedNote(value: unknown, index: number, name: string): NoteEvent {
  const note = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { pitch, start, end, velocity, bends } = note;
  const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  const valid =
    Number.isInteger(pitch) &&
    (pitch as number) >= 0 &&
    (pitch as number) <= MAX_PITCH &&
    isNumber(start) &&
    isNumber(end) &&
    start >= 0 &&
    end >= start &&
    isNumber(velocity) &&
    velocity >= 0 &&
    velocity <= MAX_VELOCITY &&
    (bends === undefined || (Array.isArray(bends) && bends.every(isNumber)));
  if (!valid) {
    throw new JamError(
      `${name}: note ${index + 1} (${oneLine(JSON.stringify(value) ?? String(value))}) is not a note: ` +
        `it needs a whole pitch 0-${MAX_PITCH}, start ≤ end in seconds, velocity 0-${MAX_VELOCITY} ` +
        'and optional numeric bends; fix the file',
    );
  }
  const checked: NoteEvent = {
    pitch: pitch as number,
    start: start as number,
    end: end as number,
    velocity: velocity as number,
  };
  if (bends !== undefined) checked.bends = bends as number[];
  return checked;
}
