/**
 * Piano-roll pictures as files, for `jam view` and `jam transcribe --plot`: notes and their analysis (key,
 * chords, beat grid) → the SVG, and the PNG when asked for.
 */
import path from 'node:path';
import { overlayFromAnalysis, pianoRollSvg, type RollOptions, type RollOverlay } from '../render/pianoRoll.js';
import { canDrawText, svgToPng } from '../render/rasterize.js';
import { analyzeNotes } from '../theory/analysis/analyze.js';
import type { Analysis } from '../theory/analysis/types.js';
import type { Transcription } from '../transcribe/transcribe.js';
import type { NoteEvent } from '../types.js';
import { warn } from './report.js';

/** Where the pictures go; `svg` may be `-` for standard output. */
export interface PictureTargets {
  svg?: string;
  png?: string;
}

/** The picture files to write, as [path, contents] pairs, SVG first. */
export function pictureFiles(
  notes: NoteEvent[],
  overlay: RollOverlay,
  options: RollOptions,
  targets: PictureTargets,
): Array<[string, string | Uint8Array]> {
  const svg = pianoRollSvg(notes, overlay, options);
  const files: Array<[string, string | Uint8Array]> = [];
  if (targets.svg) files.push([targets.svg, svg]);
  if (targets.png) {
    if (!canDrawText())
      warn(`no fonts found, so ${targets.png} has no labels; install one (Debian: apt-get install fonts-dejavu-core)`);
    files.push([targets.png, svgToPng(svg)]);
  }
  return files;
}

/** The SVG of a fresh transcription with its analysis (made here unless given), titled with its input's name. */
export function plotTranscription(
  transcription: Pick<Transcription, 'notes' | 'duration'>,
  input: string,
  analysis: Analysis = analyzeNotes(transcription.notes, { duration: transcription.duration }),
): string {
  return pianoRollSvg(transcription.notes, overlayFromAnalysis(analysis), {
    title: input === '-' ? 'standard input' : path.basename(input),
  });
}
