/** `jam analyze`: the key, chords and Roman numerals of MIDI files, note JSON or audio. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { JamError, usageError } from '../errors.js';
import { checkCanCreate, writeFileAtomic } from '../files.js';
import { annotatedMidiBytes } from '../midi/annotate.js';
import { notesToMidi } from '../midi/write.js';
import { analyzePiece } from '../theory/analyze.js';
import { PROFILE_NAMES, DEFAULT_PROFILE } from '../theory/keyProfiles.js';
import { formatLab } from '../theory/lab.js';
import { loadPiece, type Piece } from '../theory/load.js';
import type { Analysis, ProfileName } from '../theory/types.js';
import { userArg } from './args.js';
import { progressBar } from './progress.js';
import { reportError, warn } from './report.js';

const FORMATS = ['table', 'lab'] as const;
type Format = (typeof FORMATS)[number];

interface AnalyzeArgs {
  inputs: string[];
  format: Format;
  json: boolean;
  output?: string;
  outDir?: string;
  annotate?: string;
  profile: string;
  force: boolean;
  quiet: boolean;
  debug: boolean;
}

/** What each input's result is written as, and where (undefined: standard output). */
interface Plan {
  input: string;
  target?: string;
}

const EXTENSIONS: Record<Format | 'json', string> = { table: '.txt', lab: '.lab', json: '.json' };
const INPUTS = 'MIDI files, note JSON (jam transcribe --json) or audio (WAV, MP3, FLAC, OGG; transcribed first)';

function builder(yargs: Argv): Argv<AnalyzeArgs> {
  return yargs
    .positional('inputs', { type: 'string', describe: `What to analyse: ${INPUTS}; - reads standard input` })
    .option('format', { requiresArg: true, alias: 'F', type: 'string', default: 'table', describe: 'table (bars, chords, numerals, keys) or lab (MIREX .lab, Harte chord labels)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print each analysis as one JSON line instead' })
    .option('output', { requiresArg: true, alias: 'o', type: 'string', describe: 'Write the result to this file instead of standard output (one input only)' })
    .option('out-dir', { requiresArg: true, alias: 'd', type: 'string', describe: 'Write each result to <stem>.txt, .lab or .json in this folder' })
    .option('annotate', { requiresArg: true, type: 'string', describe: 'Also write a copy of the MIDI with chord markers and key signatures (one input only)' })
    .option('profile', { requiresArg: true, type: 'string', default: DEFAULT_PROFILE, describe: `Key profile: ${PROFILE_NAMES.join(', ')}` })
    .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Overwrite outputs that already exist' })
    .example('$0 analyze song.mid', 'Key, chords bar by bar, Roman numerals')
    .example('$0 analyze song.mid --format lab > song.lab', 'Chords as a MIREX .lab file')
    .example('$0 analyze songs/*.mid --json > analyses.jsonl', 'One JSON line per song')
    .example('$0 analyze take.wav --annotate take.mid', 'Transcribe, analyse, and write a MIDI file with chord markers')
    .example('$0 transcribe take.wav --json | $0 analyze -', 'Analyse notes from a transcription') as unknown as Argv<AnalyzeArgs>;
}

async function handler(parsed: AnalyzeArgs): Promise<void> {
  const args = { ...parsed, inputs: parsed.inputs.map(userArg), output: parsed.output === undefined ? undefined : userArg(parsed.output) };
  const profile = checkProfile(args.profile);
  const format = checkFormat(args);
  const plans = planOutputs(args, format);
  if (args.annotate !== undefined) checkCanCreate(args.annotate, args.force);
  if (args.outDir) await makeOutputFolder(args.outDir);

  let failures = 0;
  for (const plan of plans) {
    try {
      await analyzeOne(plan, profile, format, args);
    } catch (error) {
      failures++;
      reportError(error, args.debug);
      if (args.json && plan.target === undefined) process.stdout.write(JSON.stringify({ input: plan.input, error: (error as Error).message }) + '\n');
    }
  }
  if (failures > 0) {
    if (plans.length > 1) warn(`${failures} of ${plans.length} inputs failed`);
    process.exitCode = 1;
  }
}

function checkProfile(name: string): ProfileName {
  if ((PROFILE_NAMES as string[]).includes(name)) return name as ProfileName;
  throw usageError(`--profile ${name}: no such key profile; choose one of ${PROFILE_NAMES.join(', ')}`);
}

function checkFormat(args: AnalyzeArgs): Format | 'json' {
  if (!(FORMATS as readonly string[]).includes(args.format)) throw usageError(`--format ${args.format}: choose table or lab (or --json)`);
  if (args.json && args.format !== 'table') throw usageError('--json and --format lab are two different outputs; choose one');
  return args.json ? 'json' : args.format;
}

function planOutputs(args: AnalyzeArgs, format: Format | 'json'): Plan[] {
  if (args.output !== undefined && args.inputs.length > 1) throw usageError(`-o names one output file but ${args.inputs.length} inputs were given; use --out-dir for several`);
  if (args.output !== undefined && args.outDir !== undefined) throw usageError('-o and --out-dir both say where to write; choose one');
  if (args.annotate !== undefined && args.inputs.length > 1) throw usageError(`--annotate names one MIDI file but ${args.inputs.length} inputs were given; annotate them one at a time`);
  if (args.inputs.filter((input) => input === '-').length > 1) throw usageError('- (standard input) can be given only once');
  const plans = args.inputs.map((input): Plan => {
    if (args.output !== undefined && args.output !== '-') return { input, target: args.output };
    if (args.outDir === undefined) return { input };
    const stem = input === '-' ? 'stdin' : path.basename(input, path.extname(input));
    return { input, target: path.join(args.outDir, `${stem}${EXTENSIONS[format]}`) };
  });
  const seen = new Map<string, string>();
  for (const { input, target } of plans) {
    if (target === undefined) continue;
    const other = seen.get(path.resolve(target));
    if (other !== undefined) throw usageError(`${other} and ${input} would both write ${target}; analyse them into different --out-dir folders`);
    seen.set(path.resolve(target), input);
  }
  return plans;
}

async function makeOutputFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch {
    throw new JamError(`--out-dir ${folder}: not a usable folder (a file is in the way, or it cannot be created here); choose another`);
  }
}

async function analyzeOne(plan: Plan, profile: ProfileName, format: Format | 'json', args: AnalyzeArgs): Promise<void> {
  const outputs = [plan.target, args.annotate].filter((file): file is string => file !== undefined);
  for (const file of outputs) {
    if (plan.input !== '-' && path.resolve(file) === path.resolve(plan.input)) throw new JamError(`${plan.input}: the output would overwrite the input; choose another file name`);
    checkCanCreate(file, args.force);
  }
  const progress = progressBar(path.basename(plan.input === '-' ? 'stdin' : plan.input), !args.quiet);
  let piece: Piece;
  try {
    piece = await loadPiece(plan.input, { onProgress: progress.update });
  } finally {
    progress.done();
  }
  for (const warning of piece.warnings) warn(warning);
  const analysis = analyzePiece(piece, { profile });
  if (analysis.notes === 0 && piece.warnings.length === 0) warn(`${plan.input}: no notes to analyse (drums are left out); the chords are all N`);
  const text = format === 'json' ? `${JSON.stringify({ input: plan.input, ...analysis })}\n`
    : format === 'lab' ? formatLab(analysis.chords)
    : formatTable(plan.input, analysis);
  if (plan.target === undefined) process.stdout.write(text);
  else await writeFileAtomic(plan.target, text);
  if (args.annotate !== undefined) {
    const midi = piece.midi ?? notesToMidi(piece.notes, { tempo: analysis.grid.tempo });
    await writeFileAtomic(args.annotate, annotatedMidiBytes(midi, analysis));
  }
}

/** The analysis for a reader: a heading, then a row per chord with its bar, time, numeral and any new key. */
export function formatTable(input: string, analysis: Analysis): string {
  const { key, grid, keyChanges, chords } = analysis;
  const tempo = `${grid.estimated ? '~' : ''}${Math.round(grid.tempo)} bpm ${grid.meter.join('/')}`;
  const changes = keyChanges.length > 1 ? `, ${keyChanges.length - 1} key change${keyChanges.length > 2 ? 's' : ''}` : '';
  const heading = `${input}: ${key ? `${key.name} (confidence ${key.confidence.toFixed(2)})` : 'no key (no notes)'}, ${tempo}, ${clock(analysis.duration)}${changes}`;
  const rows = [['bar', 'time', 'chord', 'numeral', 'key']];
  let keyShown: string | null = null;
  for (const chord of chords) {
    rows.push([`${chord.bar}.${chord.beat}`, clock(chord.start), chord.symbol, chord.numeral ?? '', chord.key !== keyShown ? chord.key ?? '' : '']);
    keyShown = chord.key;
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) => row.map((cell, column) => (column < 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd());
  return `${heading}\n${lines.join('\n')}\n`;
}

/** Seconds as m:ss.s. */
function clock(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${(seconds - minutes * 60).toFixed(1).padStart(4, '0')}`;
}

export const analyzeCommand: CommandModule<object, AnalyzeArgs> = {
  command: 'analyze <inputs..>',
  describe: 'Find the key, chords and Roman numerals of MIDI files, note JSON or audio',
  builder,
  handler,
};
