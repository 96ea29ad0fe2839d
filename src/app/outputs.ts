/**
 * The files a transcription produces, and where they go: `<stem>.mid` beside the input or in an output
 * folder, with the optional note CSV, model outputs and listening copy named after the MIDI file.
 */
import path from 'node:path';
import { encodeWav } from '../audio/wav.js';
import { sonify } from '../render/sonify.js';
import { AUDIO_SAMPLE_RATE, N_FREQ_BINS_CONTOURS, N_FREQ_BINS_NOTES } from '../transcribe/constants.js';
import { encodeNpz } from '../transcribe/npz.js';
import { notesToCsv } from '../transcribe/noteCsv.js';
import type { Transcription } from '../transcribe/transcribe.js';

export interface OutputChoice {
  /** The MIDI file's path (`-` for standard output); wins over `outDir`. */
  output?: string;
  outDir?: string;
  noteEvents?: boolean;
  modelOutputs?: boolean;
  sonify?: boolean;
  /** A piano-roll picture of the notes and their analysis. */
  plot?: boolean;
  /** The notes' key and chords: a MIREX .lab file and the whole analysis as JSON. */
  analysis?: boolean;
}

export interface OutputPaths {
  midi: string;
  noteEvents?: string;
  modelOutputs?: string;
  sonify?: string;
  plot?: string;
  lab?: string;
  analysis?: string;
}

/** Name stem for standard input, which has no file name. */
const STDIN_STEM = 'stdin';

export function outputPathsFor(input: string, choice: OutputChoice): OutputPaths {
  const midi =
    choice.output ?? path.join(choice.outDir ?? (input === '-' ? '.' : path.dirname(input)), `${stemOf(input)}.mid`);
  // Side files follow the MIDI file; `-o -` has no folder, so they go to the current one.
  const base = midi === '-' ? path.join(choice.outDir ?? '.', stemOf(input)) : midi.replace(/\.midi?$/i, '');
  return {
    midi,
    noteEvents: choice.noteEvents ? `${base}.notes.csv` : undefined,
    modelOutputs: choice.modelOutputs ? `${base}.model.npz` : undefined,
    sonify: choice.sonify ? `${base}.sonify.wav` : undefined,
    plot: choice.plot ? `${base}.svg` : undefined,
    lab: choice.analysis ? `${base}.lab` : undefined,
    analysis: choice.analysis ? `${base}.analysis.json` : undefined,
  };
}

function stemOf(input: string): string {
  if (input === '-') return STDIN_STEM;
  return path.basename(input, path.extname(input));
}

/** Every file of a transcription as bytes, keyed by path, in the order they should be written (the plot and analysis files, which need the analysis, are the caller's). */
export function transcriptionFiles(result: Transcription, paths: OutputPaths): Array<[string, Uint8Array | string]> {
  const files: Array<[string, Uint8Array | string]> = [[paths.midi, result.midi]];
  if (paths.noteEvents) files.push([paths.noteEvents, notesToCsv(result.notes)]);
  if (paths.modelOutputs) {
    const { frames, note, onset, contour } = result.modelOutput;
    if (!contour) throw new Error('the model outputs were not kept: transcribe with keepContour to save them');
    files.push([
      paths.modelOutputs,
      encodeNpz({
        note: { data: note, shape: [frames, N_FREQ_BINS_NOTES] },
        onset: { data: onset, shape: [frames, N_FREQ_BINS_NOTES] },
        contour: { data: contour, shape: [frames, N_FREQ_BINS_CONTOURS] },
      }),
    ]);
  }
  if (paths.sonify) files.push([paths.sonify, encodeWav([sonify(result.notes, AUDIO_SAMPLE_RATE)], AUDIO_SAMPLE_RATE)]);
  return files;
}
