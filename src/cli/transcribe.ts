/** `jam transcribe`: audio files → MIDI files, with the Python basic-pitch CLI's options and more. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { JamError, usageError } from '../errors.js';
import { checkCanCreate, writeFileAtomic } from '../files.js';
import {
  DEFAULT_FRAME_THRESHOLD,
  DEFAULT_MIDI_TEMPO,
  DEFAULT_MIN_NOTE_LENGTH_MS,
  DEFAULT_ONSET_THRESHOLD,
} from '../transcribe/constants.js';
import { availableParallelism } from 'node:os';
import { DEFAULT_ENGINE, ENGINE_NAMES, loadEngine, type EngineName } from '../transcribe/engine.js';
import { DEFAULT_BATCH_SIZE } from '../transcribe/inference.js';
import { checkTranscribeOptions } from '../transcribe/options.js';
import { outputPathsFor, transcriptionFiles, type OutputPaths } from '../transcribe/outputs.js';
import { transcribe, type TranscribeOptions, type Transcription } from '../transcribe/transcribe.js';
import { userArg } from './args.js';
import { plotTranscription } from './plot.js';
import { progressBar } from './progress.js';
import { reportError, warn } from './report.js';

interface TranscribeArgs {
  inputs: string[];
  output?: string;
  outDir?: string;
  force: boolean;
  onsetThreshold: number;
  frameThreshold: number;
  minimumNoteLength: number;
  minimumFrequency?: number;
  maximumFrequency?: number;
  melodiaTrick: boolean;
  midiTempo: number;
  multiplePitchBends: boolean;
  saveNoteEvents: boolean;
  saveModelOutputs: boolean;
  sonify: boolean;
  plot: boolean;
  json: boolean;
  engine: EngineName;
  threads: number;
  batchSize: number;
  quiet: boolean;
  debug: boolean;
}

function builder(yargs: Argv): Argv<TranscribeArgs> {
  return yargs
    .positional('inputs', { type: 'string', describe: 'Audio files (WAV, MP3, FLAC, OGG); - reads standard input' })
    .option('output', { requiresArg: true, alias: 'o', type: 'string', describe: 'The MIDI file to write (one input only); - writes it to standard output' })
    .option('out-dir', { requiresArg: true, alias: 'd', type: 'string', describe: 'Folder for the outputs (default: beside each input)' })
    .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Overwrite outputs that already exist' })
    .option('onset-threshold', { requiresArg: true, type: 'number', default: DEFAULT_ONSET_THRESHOLD, describe: 'Onset confidence needed to start a note, 0-1' })
    .option('frame-threshold', { requiresArg: true, type: 'number', default: DEFAULT_FRAME_THRESHOLD, describe: 'Note confidence needed to keep it sounding, 0-1' })
    .option('minimum-note-length', { requiresArg: true, type: 'number', default: DEFAULT_MIN_NOTE_LENGTH_MS, describe: 'Shortest note kept, in ms' })
    .option('minimum-frequency', { requiresArg: true, type: 'number', describe: 'Lowest note frequency kept, in Hz' })
    .option('maximum-frequency', { requiresArg: true, type: 'number', describe: 'Highest note frequency kept, in Hz' })
    .option('melodia-trick', { type: 'boolean', default: true, describe: 'Also trace notes from remaining energy (--no-melodia-trick to turn off)' })
    .option('midi-tempo', { requiresArg: true, type: 'number', default: DEFAULT_MIDI_TEMPO, describe: 'Tempo written to the MIDI file, in BPM' })
    .option('multiple-pitch-bends', { type: 'boolean', default: false, describe: 'Put each pitch on its own channel so overlapping notes keep their bends' })
    .option('save-note-events', { type: 'boolean', default: false, describe: 'Also write the notes as CSV (<stem>.notes.csv)' })
    .option('save-model-outputs', { type: 'boolean', default: false, describe: 'Also write the model outputs for numpy (<stem>.model.npz)' })
    .option('sonify', { type: 'boolean', default: false, describe: 'Also write a WAV rendering of the notes to listen to (<stem>.sonify.wav)' })
    .option('plot', { type: 'boolean', default: false, describe: 'Also draw the notes, key and chords as a piano roll (<stem>.svg)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print each result, notes included, as a JSON line on stdout' })
    .option('engine', { requiresArg: true, type: 'string', choices: ENGINE_NAMES, default: DEFAULT_ENGINE, describe: 'Inference engine: onnx (ONNX Runtime, fast), tfjs (TensorFlow.js on WebAssembly), tfjs-node (needs @tensorflow/tfjs-node installed)' })
    .option('threads', { requiresArg: true, type: 'number', default: availableParallelism(), describe: 'Threads for the onnx engine' })
    .option('batch-size', { requiresArg: true, type: 'number', default: DEFAULT_BATCH_SIZE, describe: 'Model windows per inference call' })
    .example('$0 transcribe take.wav', 'Write take.mid beside take.wav')
    .example('$0 transcribe *.mp3 --out-dir midi/', 'Transcribe several files into midi/')
    .example('cat take.flac | $0 transcribe - -o take.mid', 'Read audio from standard input')
    .example('$0 transcribe take.wav --save-note-events --sonify', 'Also write take.notes.csv and take.sonify.wav')
    .example('$0 transcribe take.wav --plot', 'Also draw take.svg, a piano roll with the key and chords')
    .example('$0 transcribe take.wav --json | jq ".notes | length"', 'Notes as JSON for a script') as unknown as Argv<TranscribeArgs>;
}

async function handler(parsed: TranscribeArgs): Promise<void> {
  const args = { ...parsed, inputs: parsed.inputs.map(userArg), output: parsed.output === undefined ? undefined : userArg(parsed.output) };
  const options: TranscribeOptions = {
    onsetThreshold: args.onsetThreshold,
    frameThreshold: args.frameThreshold,
    minNoteLengthMs: args.minimumNoteLength,
    minFrequency: args.minimumFrequency,
    maxFrequency: args.maximumFrequency,
    melodiaTrick: args.melodiaTrick,
    midiTempo: args.midiTempo,
    multiplePitchBends: args.multiplePitchBends,
    threads: args.threads,
    batchSize: args.batchSize,
    keepContour: args.saveModelOutputs,
  };
  checkTranscribeOptions(options);
  const plans = planOutputs(args);
  if (args.outDir) await makeOutputFolder(args.outDir);
  const engine = await loadEngine(args.engine, args.threads);
  if (engine.fallbackReason) warn(engine.fallbackReason);
  options.engine = engine;

  let failures = 0;
  for (const { input, paths } of plans) {
    try {
      await transcribeOne(input, paths, options, args);
    } catch (error) {
      failures++;
      reportError(error, args.debug);
      if (args.json) process.stdout.write(JSON.stringify({ input, error: (error as Error).message }) + '\n');
    }
  }
  if (failures > 0) {
    if (plans.length > 1) warn(`${failures} of ${plans.length} inputs failed`);
    process.exitCode = 1;
  }
}

function planOutputs(args: TranscribeArgs): Array<{ input: string; paths: OutputPaths }> {
  if (args.output !== undefined && args.inputs.length > 1) {
    throw usageError(`-o names one output file but ${args.inputs.length} inputs were given; use --out-dir for several`);
  }
  if (args.output === '-' && args.json) throw usageError('-o - writes MIDI to standard output, which --json needs too; choose one');
  if (args.inputs.filter((input) => input === '-').length > 1) throw usageError('- (standard input) can be given only once');
  const plans = args.inputs.map((input) =>
    ({ input, paths: outputPathsFor(input, { output: args.output, outDir: args.outDir, noteEvents: args.saveNoteEvents, modelOutputs: args.saveModelOutputs, sonify: args.sonify, plot: args.plot }) }),
  );
  const seen = new Map<string, string>();
  for (const { input, paths } of plans) {
    const key = path.resolve(paths.midi);
    const other = seen.get(key);
    if (other !== undefined) throw usageError(`${other} and ${input} would both write ${paths.midi}; transcribe them into different --out-dir folders`);
    seen.set(key, input);
  }
  return plans;
}

async function makeOutputFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : 'it cannot be created here';
    throw new JamError(`--out-dir ${folder}: not a usable folder (${reason}); choose another`);
  }
}

async function transcribeOne(input: string, paths: OutputPaths, options: TranscribeOptions, args: TranscribeArgs): Promise<void> {
  const files = Object.values(paths).filter((file): file is string => file !== undefined && file !== '-');
  for (const file of files) {
    if (input !== '-' && path.resolve(file) === path.resolve(input)) throw new JamError(`${input}: the output would overwrite the input; choose another -o`);
    checkCanCreate(file, args.force);
  }
  const progress = progressBar(path.basename(input === '-' ? 'stdin' : input), !args.quiet);
  const started = performance.now();
  let result: Transcription;
  try {
    result = await transcribe(input, { ...options, name: input === '-' ? 'standard input' : input, onProgress: progress.update });
  } finally {
    progress.done();
  }
  for (const [file, data] of transcriptionFiles(result, paths)) {
    if (file === '-') process.stdout.write(data);
    else await writeFileAtomic(file, data);
  }
  if (paths.plot) await writeFileAtomic(paths.plot, plotTranscription(result, input));
  for (const warning of result.warnings) warn(warning);
  const seconds = (performance.now() - started) / 1000;
  printResult(input, paths, result, seconds, args);
}

function printResult(input: string, paths: OutputPaths, result: Transcription, seconds: number, args: TranscribeArgs): void {
  if (args.json) {
    const outputs = Object.fromEntries(Object.entries(paths).filter(([, file]) => file !== undefined));
    process.stdout.write(JSON.stringify({ input, outputs, duration: round(result.duration), seconds: round(seconds), notes: result.notes }) + '\n');
    return;
  }
  if (args.quiet) return;
  const stream = paths.midi === '-' ? process.stderr : process.stdout;
  if (!stream.isTTY) {
    if (paths.midi !== '-') stream.write(`${paths.midi}\n`);
    return;
  }
  const speed = result.duration / seconds;
  stream.write(`${input} → ${paths.midi}: ${result.notes.length} notes from ${result.duration.toFixed(1)} s of audio in ${seconds.toFixed(1)} s (${speed.toFixed(1)}× real time)\n`);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export const transcribeCommand: CommandModule<object, TranscribeArgs> = {
  command: 'transcribe <inputs..>',
  describe: 'Transcribe audio files to MIDI with Basic Pitch',
  builder,
  handler,
};
