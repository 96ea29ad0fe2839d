/** `jam analyze`: the key, chords and Roman numerals of MIDI files, note JSON or audio. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { PIECE_EXTENSIONS, type BatchInput } from '../batch/inputs.js';
import { outputFolder, planBatch } from '../batch/plan.js';
import type { FileRecord } from '../batch/report.js';
import { round } from '../numbers.js';
import { threadsPerJob, type WorkResult } from '../batch/run.js';
import { JamError, usageError } from '../errors.js';
import { checkCanCreate, writeFileAtomic } from '../files.js';
import { annotatedMidiBytes } from '../app/annotate.js';
import { notesToMidi } from '../midi/write.js';
import { analyzePiece } from '../app/analyze.js';
import { PROFILE_NAMES, DEFAULT_PROFILE } from '../theory/analysis/keyProfiles.js';
import { formatLab } from '../theory/analysis/lab.js';
import { loadPiece } from '../app/load.js';
import type { Analysis, ProfileName } from '../theory/analysis/types.js';
import type { TranscribeOptions } from '../transcribe/transcribe.js';
import { userArg } from './args.js';
import { batchOptions, batchSetup, printJsonLine, runCommandBatch, type BatchArgs } from './batch.js';
import { warn } from './report.js';

const FORMATS = ['table', 'lab'] as const;
type Format = (typeof FORMATS)[number];

interface AnalyzeArgs extends BatchArgs {
  inputs?: string[];
  format: Format;
  json: boolean;
  output?: string;
  outDir?: string;
  annotate?: string;
  profile: string;
}

const EXTENSIONS: Record<Format | 'json', string> = { table: '.txt', lab: '.lab', json: '.json' };
const INPUTS =
  'MIDI files, note JSON (jam transcribe --json) or audio (WAV, AIFF, MP3, FLAC, Ogg, Opus, M4A; transcribed first)';

function builder(yargs: Argv): Argv<AnalyzeArgs> {
  return batchOptions(yargs)
    .positional('inputs', {
      type: 'string',
      describe: `What to analyse: ${INPUTS}, folders (searched below) or quoted patterns; - reads standard input`,
    })
    .option('format', {
      requiresArg: true,
      alias: 'F',
      type: 'string',
      default: 'table',
      describe: 'table (bars, chords, numerals, keys) or lab (MIREX .lab, Harte chord labels)',
    })
    .option('json', { type: 'boolean', default: false, describe: 'Print each analysis as one JSON line instead' })
    .option('output', {
      requiresArg: true,
      alias: 'o',
      type: 'string',
      describe: 'Write the result to this file instead of standard output (one input only)',
    })
    .option('out-dir', {
      requiresArg: true,
      alias: 'd',
      type: 'string',
      describe: 'Write each result to <stem>.txt, .lab or .json in this folder',
    })
    .option('annotate', {
      requiresArg: true,
      type: 'string',
      describe: 'Also write a copy of the MIDI with chord markers and key signatures (one input only)',
    })
    .option('profile', {
      requiresArg: true,
      type: 'string',
      default: DEFAULT_PROFILE,
      describe: `Key profile: ${PROFILE_NAMES.join(', ')}`,
    })
    .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Overwrite outputs that already exist' })
    .example('$0 analyze song.mid', 'Key, chords bar by bar, Roman numerals')
    .example('$0 analyze song.mid --format lab > song.lab', 'Chords as a MIREX .lab file')
    .example('$0 analyze songs/*.mid --json > analyses.jsonl', 'One JSON line per song')
    .example('$0 analyze take.wav --annotate take.mid', 'Transcribe, analyse, and write a MIDI file with chord markers')
    .example('$0 transcribe take.wav --json | $0 analyze -', 'Analyse notes from a transcription')
    .example(
      '$0 analyze songs/ --format lab --out-dir labs/ --report report.json',
      'A .lab per song, mirrored under labs/; run it again to resume',
    ) as unknown as Argv<AnalyzeArgs>;
}

async function handler(parsed: AnalyzeArgs): Promise<void> {
  const args = {
    ...parsed,
    inputs: (parsed.inputs ?? []).map(userArg),
    output: parsed.output === undefined ? undefined : userArg(parsed.output),
  };
  const profile = checkProfile(args.profile);
  const format = checkFormat(args);
  const setup = await batchSetup(args, args.inputs, PIECE_EXTENSIONS, 'jam analyze song.mid');
  // Counted as typed too: the same file named twice is still two inputs for one -o.
  checkOutputChoice(args, args.inputs, Math.max(args.inputs.length, setup.inputs.length));
  const threads = threadsPerJob(setup.jobs, setup.inputs.length);
  const targets = new Map(setup.inputs.map((input) => [input.path, targetOf(input, args, format)]));
  if (args.annotate !== undefined) checkCanCreate(args.annotate, args.force);
  if (args.outDir) await makeOutputFolder(args.outDir);

  await runCommandBatch(
    {
      command: 'analyze',
      setup,
      items: planBatch(setup.inputs, (input) => ({ [format]: targets.get(input.path), annotated: args.annotate })),
      skippedLine: (record) => record.outputs[format],
      work: async (item, context) => {
        const target = targets.get(item.input);
        const { text, result } = await analyzeOne(item.input, target, profile, format, args, context.mayReplace, {
          onProgress: context.onProgress,
          threads,
          signal: context.signal,
        });
        return { result, print: (record) => printResult(target, text, record, setup.batch, args) };
      },
    },
    args,
  );
}

function checkProfile(name: string): ProfileName {
  if ((PROFILE_NAMES as string[]).includes(name)) return name as ProfileName;
  throw usageError(`--profile ${name}: no such key profile; choose one of ${PROFILE_NAMES.join(', ')}`);
}

function checkFormat(args: AnalyzeArgs): Format | 'json' {
  if (!(FORMATS as readonly string[]).includes(args.format))
    throw usageError(`--format ${args.format}: choose table or lab (or --json)`);
  if (args.json && args.format !== 'table')
    throw usageError('--json and --format lab are two different outputs; choose one');
  return args.json ? 'json' : args.format;
}

function checkOutputChoice(args: AnalyzeArgs, positional: string[], inputs: number): void {
  if (args.output !== undefined && inputs > 1)
    throw usageError(`-o names one output file but ${inputs} inputs were given; use --out-dir for several`);
  if (args.output !== undefined && args.outDir !== undefined)
    throw usageError('-o and --out-dir both say where to write; choose one');
  if (args.annotate !== undefined && inputs > 1)
    throw usageError(`--annotate names one MIDI file but ${inputs} inputs were given; annotate them one at a time`);
  if (positional.filter((input) => input === '-').length > 1)
    throw usageError('- (standard input) can be given only once');
}

/**
 * Where an input's result is written: -o, or <stem>.txt/.lab/.json under --out-dir along its relative path;
 * undefined for standard output.
 */
function targetOf(input: BatchInput, args: AnalyzeArgs, format: Format | 'json'): string | undefined {
  if (args.output !== undefined && args.output !== '-') return args.output;
  if (args.outDir === undefined) return undefined;
  const stem = input.path === '-' ? 'stdin' : path.basename(input.path, path.extname(input.path));
  return path.join(outputFolder(input, args.outDir), `${stem}${EXTENSIONS[format]}`);
}

async function makeOutputFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch {
    throw new JamError(
      `--out-dir ${folder}: not a usable folder (a file is in the way, or it cannot be created here); choose another`,
    );
  }
}

async function analyzeOne(
  input: string,
  target: string | undefined,
  profile: ProfileName,
  format: Format | 'json',
  args: AnalyzeArgs,
  mayReplace: (file: string) => boolean,
  transcription: TranscribeOptions & { signal?: AbortSignal },
): Promise<{ text: string; result: WorkResult }> {
  const outputs = [target, args.annotate].filter((file): file is string => file !== undefined);
  if (target !== undefined && args.outDir !== undefined) await mkdir(path.dirname(target), { recursive: true });
  for (const file of outputs) {
    if (input !== '-' && path.resolve(file) === path.resolve(input))
      throw new JamError(`${input}: the output would overwrite the input; choose another file name`);
    checkCanCreate(file, mayReplace(file));
  }
  const timings: Record<string, number> = {};
  let started = performance.now();
  const piece = await loadPiece(input, transcription);
  timings.load = round((performance.now() - started) / 1000, 3);
  for (const warning of piece.warnings) warn(warning);
  started = performance.now();
  const analysis = analyzePiece(piece, { profile });
  timings.analyze = round((performance.now() - started) / 1000, 3);
  if (analysis.notes === 0 && piece.warnings.length === 0)
    warn(`${input}: no notes to analyse (drums are left out); the chords are all N`);
  const text =
    format === 'json'
      ? `${JSON.stringify({ input, ...analysis })}\n`
      : format === 'lab'
        ? formatLab(analysis.chords)
        : formatTable(input, analysis);
  started = performance.now();
  if (target !== undefined) await writeFileAtomic(target, text, { overwrite: mayReplace(target) });
  if (args.annotate !== undefined) {
    const midi = piece.midi ?? notesToMidi(piece.notes, { tempo: analysis.grid.tempo });
    await writeFileAtomic(args.annotate, annotatedMidiBytes(midi, analysis), { overwrite: mayReplace(args.annotate) });
  }
  timings.write = round((performance.now() - started) / 1000, 3);
  const written = Object.fromEntries(
    [
      [format, target],
      ['annotated', args.annotate],
    ].filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return {
    text,
    result: {
      outputs: written,
      duration: round(analysis.duration, 3),
      noteCount: analysis.notes,
      key: analysis.key?.name ?? null,
      timings,
    },
  };
}

/**
 * The result on standard output, in input order. Results written to files are announced: with --json by the
 * file's record (as failures and skipped files are), else by path when piped, in a batch.
 */
function printResult(
  target: string | undefined,
  text: string,
  record: FileRecord,
  batch: boolean,
  args: AnalyzeArgs,
): void {
  if (target === undefined) process.stdout.write(text);
  else if (args.json) printJsonLine(record);
  else if (batch && !args.quiet && !process.stdout.isTTY) process.stdout.write(`${target}\n`);
}

/** The analysis for a reader: a heading, then a row per chord with its bar, time, numeral and any new key. */
export function formatTable(input: string, analysis: Analysis): string {
  const { key, grid, keyChanges, chords } = analysis;
  const tempo = `${grid.estimated ? '~' : ''}${Math.round(grid.tempo)} bpm ${grid.meter.join('/')}`;
  const changes =
    keyChanges.length > 1 ? `, ${keyChanges.length - 1} key change${keyChanges.length > 2 ? 's' : ''}` : '';
  const keyText = key ? `${key.name} (confidence ${key.confidence.toFixed(2)})` : 'no key (no notes)';
  const heading = `${input}: ${keyText}, ${tempo}, ${clock(analysis.duration)}${changes}`;
  const rows = [['bar', 'time', 'chord', 'numeral', 'key']];
  let keyShown: string | null = null;
  for (const chord of chords) {
    rows.push([
      `${chord.bar}.${chord.beat}`,
      clock(chord.start),
      chord.symbol,
      chord.numeral ?? '',
      chord.key !== keyShown ? (chord.key ?? '') : '',
    ]);
    keyShown = chord.key;
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column < 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd(),
  );
  return `${heading}\n${lines.join('\n')}\n`;
}

/** Seconds as m:ss.s. */
function clock(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${(seconds - minutes * 60).toFixed(1).padStart(4, '0')}`;
}

export const analyzeCommand: CommandModule<object, AnalyzeArgs> = {
  command: 'analyze [inputs..]',
  describe: 'Find the key, chords and Roman numerals of MIDI files, note JSON or audio',
  builder,
  handler,
};
