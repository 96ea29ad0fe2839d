/**
 * Analysis of whatever a user hands over: a file of any kind, or a MIDI file's bytes, read into notes and the
 * file's own beat grid, then analysed as notes.
 */
import { analyzeNotes, type AnalyzeOptions } from '../theory/analysis/analyze.js';
import type { Analysis } from '../theory/analysis/types.js';
import type { TranscribeOptions } from '../transcribe/transcribe.js';
import { loadPiece, pieceFromMidi, type Piece } from './load.js';

/** Analyses a file: MIDI, note JSON, or audio (transcribed first with the default engine). */
export async function analyzeFile(path: string, options: AnalyzeOptions & TranscribeOptions = {}): Promise<Analysis> {
  return analyzePiece(await loadPiece(path, options), options);
}

/** Analyses a MIDI file's bytes on the file's own beat grid. */
export function analyzeMidi(bytes: Uint8Array, name: string, options: AnalyzeOptions = {}): Analysis {
  return analyzePiece(pieceFromMidi(bytes, name), options);
}

export function analyzePiece(piece: Piece, options: AnalyzeOptions = {}): Analysis {
  const context = { grid: piece.grid, duration: piece.duration, ...options };
  return piece.parts
    ? analyzeNotes(piece.parts.accompaniment, { melody: piece.parts.melody, ...context })
    : analyzeNotes(piece.notes, context);
}
