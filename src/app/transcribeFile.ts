/**
 * One input of a transcription batch: audio → notes → every file asked for (MIDI, CSV, model outputs,
 * listening copy, and with `analysis` the .lab chords and the analysis JSON), each written atomically,
 * with the time each step took.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { JamError } from '../errors.js';
import { checkCanCreate, writeFileAtomic } from '../files.js';
import type { Analysis } from '../theory/analysis/types.js';
import type { Engine } from '../transcribe/engine.js';
import { transcriptionFiles, type OutputPaths } from './outputs.js';
import { transcribe, type TranscribeOptions, type Transcription } from '../transcribe/transcribe.js';
import { round } from '../numbers.js';
import type { WorkResult } from '../batch/run.js';

export interface FileTranscription {
  transcription: Transcription;
  analysis?: Analysis;
  result: WorkResult;
}

export interface TranscribeFileOptions {
  transcribe: TranscribeOptions;
  /** The engine, asked for once the outputs are known to be writable (so a refusal costs no model load). */
  engine?: () => Promise<Engine>;
  /** Replace outputs that exist: all of them, or those the function allows (the others are created exclusively). */
  overwrite: boolean | ((file: string) => boolean);
  /** Create the outputs' folders (below --out-dir, mirroring the inputs' tree); otherwise they must exist. */
  createFolders: boolean;
  /** Files that need the transcription and the caller's drawing code (the piano roll), by path. */
  extraFiles?: (transcription: Transcription, analysis?: Analysis) => Array<[string, string | Uint8Array]>;
  /** Where `-` (the MIDI file on standard output) goes. */
  stdout?: (data: Uint8Array | string) => void;
}

export async function transcribeFile(
  input: string,
  paths: OutputPaths,
  options: TranscribeFileOptions,
): Promise<FileTranscription> {
  const files = Object.values(paths).filter((file): file is string => file !== undefined && file !== '-');
  // A folder that cannot be made is reported, by name, by checkCanCreate just below.
  if (options.createFolders)
    for (const folder of new Set(files.map((file) => path.dirname(file))))
      await mkdir(folder, { recursive: true }).catch(() => undefined);
  const mayReplace = (file: string): boolean =>
    typeof options.overwrite === 'function' ? options.overwrite(file) : options.overwrite;
  for (const file of files) {
    if (input !== '-' && path.resolve(file) === path.resolve(input))
      throw new JamError(`${input}: the output would overwrite the input; choose another -o`);
    checkCanCreate(file, mayReplace(file));
  }
  const name = input === '-' ? 'standard input' : input;
  const timings: Record<string, number> = {};
  const timed = async <T>(step: string, work: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[step] = round((performance.now() - started) / 1000, 3);
    }
  };

  const engine = options.engine ? options.engine() : options.transcribe.engine;
  const transcription = await timed('transcribe', () => transcribe(input, { ...options.transcribe, engine, name }));
  // The piano roll draws the same analysis, so --plot with --analyze analyses once. The analyser (tonal, the chord
  // vocabulary) loads only then: importing it cost every transcription 0.1 s of its start.
  const analysis =
    paths.lab || paths.analysis || paths.plot
      ? await timed('analyze', async () => {
          const { analyzeNotes } = await import('../theory/analysis/analyze.js');
          return analyzeNotes(transcription.notes, { duration: transcription.duration });
        })
      : undefined;
  await timed('write', async () => {
    const outputs = [
      ...transcriptionFiles(transcription, paths),
      ...(options.extraFiles?.(transcription, analysis) ?? []),
    ];
    if (analysis && paths.lab)
      outputs.push([paths.lab, (await import('../theory/analysis/lab.js')).formatLab(analysis.chords)]);
    if (analysis && paths.analysis) outputs.push([paths.analysis, `${JSON.stringify({ input, ...analysis })}\n`]);
    for (const [file, data] of outputs) {
      if (file === '-') options.stdout?.(data);
      else await writeFileAtomic(file, data, { overwrite: mayReplace(file) });
    }
  });
  const outputs = Object.fromEntries(
    Object.entries(paths).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return {
    transcription,
    analysis,
    result: {
      outputs,
      duration: round(transcription.duration, 3),
      noteCount: transcription.notes.length,
      ...(analysis && (paths.lab || paths.analysis) ? { key: analysis.key?.name ?? null } : {}),
      timings,
    },
  };
}
