/**
 * jam's library API: everything the CLI does, as typed functions, grouped by subject as tonal groups its own
 * (`import { Transcribe, Analysis, Session } from 'jam'`; each group is also a subpath, `jam/transcribe`). Notes are
 * `NoteEvent`s (`{ pitch, start, end, velocity, bends? }`, seconds and MIDI numbers) everywhere.
 */
export type { NoteEvent, LiveEvent } from './types.js';
export { JamError } from './errors.js';

export * as Transcribe from './api/transcribe.js';
export * as Audio from './api/audio.js';
export * as Midi from './api/midi.js';
export * as Analysis from './api/analysis.js';
export * as Progression from './api/progression.js';
export * as Render from './api/render.js';
export * as Live from './api/live.js';
export * as Batch from './api/batch.js';
export * as Session from './api/session.js';
