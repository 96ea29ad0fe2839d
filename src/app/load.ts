/**
 * What can be analysed, read into notes: a MIDI file (its notes without the drums, its beat grid and
 * length), note JSON (`jam transcribe --json`, or an array of notes), or audio, transcribed first.
 * The kind is told by the content (a MIDI file starts with "MThd", JSON with { or [), not by the name.
 */
import { open } from 'node:fs/promises';
import { sniff } from '../audio/sniff.js';
import { JamError } from '../errors.js';
import { readInputFile, readStreamBounded } from '../files.js';
import { notesFromJson } from './noteJson.js';
import { checkMidiIsWhole } from '../midi/wholeFile.js';
import { midiFromBytes } from '../midi/read.js';
import { DRUM_CHANNEL } from '../midi/constants.js';
import type { Midi } from '../midi/write.js';
import { transcribe, type TranscribeOptions } from '../transcribe/transcribe.js';
import type { NoteEvent } from '../types.js';
import { beatGridFromMidi } from '../theory/analysis/beats.js';
import { readMidiFile } from '../midi/smf.js';
import type { BeatGrid } from '../theory/analysis/types.js';

export type PieceKind = 'midi' | 'notes' | 'audio';

export interface Piece {
  kind: PieceKind;
  notes: NoteEvent[];
  /** The MIDI file's own beat grid; absent for notes and audio (it is estimated from the onsets). */
  grid?: BeatGrid;
  /** Seconds: the end of the last event, drums included. */
  duration: number;
  /**
   * The notes again, split by role when the MIDI file's track names tell it (a track named melody, vocal, lead or
   * bridge carries the tune; the rest accompanies): chords are read from the accompaniment.
   */
  parts?: { melody: NoteEvent[]; accompaniment: NoteEvent[] };
  /** The MIDI file as @tonejs/midi reads it (for its pitch bends, or an annotated copy), read when first asked for. */
  readonly midi?: Midi;
  /** Things to tell the user that are not errors. */
  warnings: string[];
}

const MIDI_MAGIC = 'MThd';
/** Track names that say a track carries a tune rather than the harmony. */
const MELODY_TRACK = /melody|vocal|voice|lead|bridge|sing|tune/i;

/**
 * The longest piece jam analyses or draws: beat grids, chroma frames and piano rolls grow with a piece's length, and a
 * file's claimed times cost nothing to write (a 74-byte MIDI file of maximal delta times claims centuries).
 */
export const MAX_PIECE_SECONDS = 6 * 60 * 60;

/** Refuses a piece whose times run past MAX_PIECE_SECONDS, before anything sized by them is made. */
export function checkPieceLength(seconds: number, name: string): void {
  if (Number.isFinite(seconds) && seconds <= MAX_PIECE_SECONDS) return;
  const told = Number.isFinite(seconds) ? `${Math.round(seconds / 3600).toLocaleString('en')} hours` : 'for ever';
  throw new JamError(
    `${name}: its notes run on ${told}, past the ${MAX_PIECE_SECONDS / 3600} hours jam analyses ` +
      '(a corrupt time or tempo in the file?); check the file, or export it again',
  );
}
const MIDI_EXTENSIONS = /\.(mid|midi|smf|kar)$/i;

function startsWith(bytes: Uint8Array, text: string): boolean {
  return bytes.length >= text.length && [...text].every((char, i) => bytes[i] === char.charCodeAt(0));
}

function looksLikeJson(bytes: Uint8Array): boolean {
  for (const byte of bytes.subarray(0, 64)) {
    if (
      byte === 0x20 ||
      byte === 0x0a ||
      byte === 0x0d ||
      byte === 0x09 ||
      byte === 0xef ||
      byte === 0xbb ||
      byte === 0xbf
    )
      continue;
    return byte === 0x7b || byte === 0x5b; // { or [
  }
  return false;
}

export interface LoadOptions extends TranscribeOptions {
  /** Stops reading the input (Ctrl-C, SIGTERM). */
  signal?: AbortSignal;
}

/**
 * Reads `path` ("-" is standard input) and turns it into a piece; audio goes through `transcribe`. An input larger
 * than MAX_INPUT_BYTES (or endless, like /dev/zero) is refused.
 */
export async function loadPiece(path: string, options: LoadOptions = {}): Promise<Piece> {
  const { signal, ...transcribeOptions } = options;
  // Audio is streamed from its file (an hour, or 2 GB and more, never sits in memory); MIDI and JSON are small. What
  // is none of them goes the audio way too, which refuses it in one line without reading it whole.
  if (path !== '-') {
    const head = await fileHead(path);
    const small = startsWith(head, MIDI_MAGIC) || MIDI_EXTENSIONS.test(path) || looksLikeJson(head);
    if (head.length > 0 && (sniff(head) !== 'unknown' || !small)) return pieceFromAudio(path, path, transcribeOptions);
  }
  const bytes =
    path === '-'
      ? await readStreamBounded(process.stdin, 'standard input', { signal })
      : await readInputFile(path, `the files in it (e.g. ${path}/*.mid)`, { signal });
  return pieceFromBytes(bytes, path === '-' ? 'standard input' : path, transcribeOptions);
}

export async function pieceFromBytes(bytes: Uint8Array, name: string, options: TranscribeOptions = {}): Promise<Piece> {
  if (startsWith(bytes, MIDI_MAGIC)) return pieceFromMidi(bytes, name);
  if (MIDI_EXTENSIONS.test(name)) checkMidiIsWhole(bytes, name);
  if (looksLikeJson(bytes)) {
    const notes = notesFromJson(new TextDecoder().decode(bytes), name);
    checkPieceLength(lastEnd(notes), name);
    return { kind: 'notes', notes, duration: lastEnd(notes), warnings: [] };
  }
  return pieceFromAudio(bytes, name, options);
}

async function pieceFromAudio(input: string | Uint8Array, name: string, options: TranscribeOptions): Promise<Piece> {
  const transcription = await transcribe(input, { ...options, name });
  return {
    kind: 'audio',
    notes: transcription.notes,
    duration: transcription.duration,
    warnings: transcription.warnings,
  };
}

/** A Standard MIDI File: its pitched notes (channel 10 is drums and is left out), grid and length. */
export function pieceFromMidi(bytes: Uint8Array, name: string): Piece {
  const file = readMidiFile(bytes, name);
  checkPieceLength(file.duration, name);
  const pitched = file.notes.filter((note) => note.channel !== DRUM_CHANNEL);
  const notes = pitched.map(({ pitch, start, end, velocity }) => ({ pitch, start, end, velocity }));
  const isMelody = pitched.map((note) => MELODY_TRACK.test(file.trackNames[note.track] ?? ''));
  const melody = notes.filter((_, i) => isMelody[i]);
  const accompaniment = notes.filter((_, i) => !isMelody[i]);
  const parts = melody.length > 0 && accompaniment.length > 0 ? { melody, accompaniment } : undefined;
  const grid = beatGridFromMidi(file.header, file.duration) ?? undefined;
  const warnings = grid
    ? []
    : [`${name}: the tempo map is unusable (a beat shorter than 50 ms); beats are estimated from the notes`];
  let midi: Midi | undefined;
  return {
    kind: 'midi',
    notes,
    ...(parts && { parts }),
    grid,
    duration: file.duration,
    warnings,
    // Reading the whole file with @tonejs/midi costs more than the analysis itself, so only on demand.
    get midi() {
      return (midi ??= midiFromBytes(bytes, name));
    },
  };
}

function lastEnd(notes: NoteEvent[]): number {
  return notes.reduce((end, note) => Math.max(end, note.end), 0);
}

/** Enough of a file to tell audio, MIDI and JSON apart (JSON may start after a long run of white space). */
const HEAD_BYTES = 4096;

/** A file's first bytes, or none when it cannot be opened as a file (the full read then says why). */
async function fileHead(path: string): Promise<Uint8Array> {
  try {
    const file = await open(path, 'r');
    try {
      const head = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      return head.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch {
    return new Uint8Array(0);
  }
}
