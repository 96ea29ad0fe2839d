/** `jam transcribe`: audio files → MIDI files, with the Python basic-pitch CLI's options and more. */
import { mkdir } from 'node:fs/promises';
import { descriptorOf } from '../files.js';
import type { Argv, CommandModule } from 'yargs';
import { AUDIO_EXTENSIONS } from '../batch/inputs.js';
import { outputFolder, planBatch } from '../batch/plan.js';
import { threadsPerJob } from '../batch/run.js';
import type { FileRecord } from '../batch/report.js';
import { transcribeFile } from '../app/transcribeFile.js';
import { JamError, usageError } from '../errors.js';
import { DEFAULT_MIDI_TEMPO } from '../transcribe/constants.js';
import {
  closeEngine,
  DEFAULT_ENGINE,
  ENGINE_NAMES,
  loadEngine,
  type Engine,
  type EngineName,
} from '../transcribe/engine.js';
import { DEFAULT_BATCH_SIZE } from '../transcribe/inference.js';
import { checkTranscribeOptions } from '../transcribe/options.js';
import { outputPathsFor, type OutputPaths } from '../app/outputs.js';
import type { TranscribeOptions } from '../transcribe/transcribe.js';
import type { NoteEvent } from '../types.js';
import { userArg } from './args.js';
import { batchOptions, batchSetup, printJsonLine, runCommandBatch, type BatchArgs } from './batch.js';
import { noteOptions, noteOptionsOf, type NoteArgs } from './noteOptions.js';
import { warn } from './report.js';

interface TranscribeArgs extends BatchArgs, NoteArgs {
  inputs?: string[];
  output?: string;
  outDir?: string;
  midiTempo: number;
  multiplePitchBends: boolean;
  saveNoteEvents: boolean;
  saveModelOutputs: boolean;
  sonify: boolean;
  plot: boolean;
  analyze: boolean;
  json: boolean;
  engine: EngineName;
  threads?: number;
  batchSize: number;
}

function builder(yargs: Argv): Argv<TranscribeArgs> {
  return batchOptions(yargs)
    .positional('inputs', {
      type: 'string',
      describe:
        "Audio files (WAV, AIFF, MP3, FLAC, Ogg, Opus, M4A), folders (searched below) or quoted patterns ('takes/**/*.wav'); - reads standard input",
    })
    .option('output', {
      requiresArg: true,
      alias: 'o',
      type: 'string',
      describe: 'The MIDI file to write (one input only); - writes it to standard output',
    })
    .option('out-dir', {
      requiresArg: true,
      alias: 'd',
      type: 'string',
      describe: 'Folder for the outputs (default: beside each input)',
    })
    .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Overwrite outputs that already exist' })
    .options(noteOptions)
    .option('melodia-trick', {
      type: 'boolean',
      default: true,
      describe: 'Also trace notes from remaining energy (--no-melodia-trick to turn off)',
    })
    .option('midi-tempo', {
      requiresArg: true,
      type: 'number',
      default: DEFAULT_MIDI_TEMPO,
      describe: 'Tempo written to the MIDI file, in BPM',
    })
    .option('multiple-pitch-bends', {
      type: 'boolean',
      default: false,
      describe: 'Put each pitch on its own channel so overlapping notes keep their bends',
    })
    .option('save-note-events', {
      type: 'boolean',
      default: false,
      describe: 'Also write the notes as CSV (<stem>.notes.csv)',
    })
    .option('save-model-outputs', {
      type: 'boolean',
      default: false,
      describe: 'Also write the model outputs for numpy (<stem>.model.npz)',
    })
    .option('sonify', {
      type: 'boolean',
      default: false,
      describe: 'Also write a WAV rendering of the notes to listen to (<stem>.sonify.wav)',
    })
    .option('plot', {
      type: 'boolean',
      default: false,
      describe: 'Also draw the notes, key and chords as a piano roll (<stem>.svg)',
    })
    .option('analyze', {
      type: 'boolean',
      default: false,
      describe: 'Also analyse the notes: key and chords as <stem>.lab and <stem>.analysis.json',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe:
        'Print each result, notes included, as a JSON line on stdout (and a summary line for a folder or pattern)',
    })
    .option('engine', {
      requiresArg: true,
      type: 'string',
      choices: ENGINE_NAMES,
      default: DEFAULT_ENGINE,
      describe:
        'Inference engine: onnx (ONNX Runtime, fast), tfjs (TensorFlow.js on WebAssembly), tfjs-node (needs @tensorflow/tfjs-node installed)',
    })
    .option('threads', {
      requiresArg: true,
      type: 'number',
      describe: 'Threads for the onnx engine (default: the cores shared among the --jobs)',
    })
    .option('batch-size', {
      requiresArg: true,
      type: 'number',
      default: DEFAULT_BATCH_SIZE,
      describe: 'Model windows per inference call',
    })
    .example('$0 transcribe take.wav', 'Write take.mid beside take.wav')
    .example('$0 transcribe *.mp3 --out-dir midi/', 'Transcribe several files into midi/')
    .example('cat take.flac | $0 transcribe - -o take.mid', 'Read audio from standard input')
    .example('$0 transcribe take.wav --save-note-events --sonify', 'Also write take.notes.csv and take.sonify.wav')
    .example('$0 transcribe take.wav --plot', 'Also draw take.svg, a piano roll with the key and chords')
    .example('$0 transcribe take.wav --json | jq ".notes | length"', 'Notes as JSON for a script')
    .example(
      '$0 transcribe takes/ --out-dir midi/ --report report.json',
      'A whole folder, mirrored under midi/; run it again to resume',
    )
    .example(
      '$0 transcribe "takes/**/*.flac" -d midi --shard 2/4 --analyze',
      'The second of four parts, with key and chords',
    ) as unknown as Argv<TranscribeArgs>;
}

async function handler(parsed: TranscribeArgs): Promise<void> {
  const args = {
    ...parsed,
    inputs: (parsed.inputs ?? []).map(userArg),
    output: parsed.output === undefined ? undefined : userArg(parsed.output),
  };
  const options: TranscribeOptions = {
    ...noteOptionsOf(args),
    midiTempo: args.midiTempo,
    multiplePitchBends: args.multiplePitchBends,
    threads: args.threads,
    batchSize: args.batchSize,
    keepContour: args.saveModelOutputs,
  };
  checkTranscribeOptions(options);
  const setup = await batchSetup(args, args.inputs, AUDIO_EXTENSIONS, 'jam transcribe take.wav');
  // Counted as typed too: the same file named twice is still two inputs for one -o.
  checkOutputChoice(args, args.inputs, Math.max(args.inputs.length, setup.inputs.length));
  const threads = args.threads ?? threadsPerJob(setup.jobs, setup.inputs.length);
  const paths = new Map(
    setup.inputs.map((input) => [
      input.path,
      outputPathsFor(input.path, {
        output: args.output,
        outDir: outputFolder(input, args.outDir),
        noteEvents: args.saveNoteEvents,
        modelOutputs: args.saveModelOutputs,
        sonify: args.sonify,
        plot: args.plot,
        analysis: args.analyze,
      }),
    ]),
  );
  if (args.outDir) await makeOutputFolder(args.outDir);
  // Loaded at the first input that needs it, so a resumed run with nothing left to do starts at once.
  let engine: Promise<Engine> | undefined;
  const loadOnce = (): Promise<Engine> =>
    (engine ??= loadEngine(args.engine, threads).then((loaded) => {
      if (loaded.fallbackReason) warn(loaded.fallbackReason);
      return loaded;
    }));
  const startInference = engineCloser(() => engine);

  // The piano roll pulls in tonal and the analyser: loaded only when asked for.
  const plot = args.plot ? (await import('./plot.js')).plotTranscription : undefined;
  await runCommandBatch(
    {
      command: 'transcribe',
      setup,
      items: planBatch(setup.inputs, (input) => ({ ...paths.get(input.path)! })),
      skippedLine: (record) => record.outputs.midi,
      work: async (item, context) => {
        const itemPaths = paths.get(item.input)!;
        const inferenceDone = startInference(context.last);
        const onProgress = (fraction: number) => {
          context.onProgress(fraction);
          if (fraction === 1) inferenceDone();
        };
        try {
          const { transcription, result } = await transcribeFile(item.input, itemPaths, {
            transcribe: { ...options, onProgress },
            engine: loadOnce,
            overwrite: context.mayReplace,
            createFolders: args.outDir !== undefined,
            extraFiles:
              itemPaths.plot && plot
                ? (done, analysis) => [[itemPaths.plot!, plot(done, item.input, analysis)]]
                : undefined,
            stdout: (data) => process.stdout.write(data),
          });
          for (const warning of transcription.warnings) warn(warning);
          const { notes, duration } = transcription;
          return { result, print: (record) => printResult(record, itemPaths, notes, duration, args) };
        } finally {
          inferenceDone();
        }
      },
    },
    args,
  );
}

/**
 * Closes the engine once no input needs it: when the last input has started and every inference running is
 * done (its progress at 1, or its input failed). The onnx engine's threads then stop while the last notes are
 * made and written (about 35 ms each), not one after the other at exit. Each input's start gives the function
 * that says its inference is done.
 */
function engineCloser(engine: () => Promise<Engine> | undefined): (last: boolean) => () => void {
  let running = 0;
  let lastStarted = false;
  return (last) => {
    running++;
    lastStarted ||= last;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--running === 0 && lastStarted)
        void engine()
          ?.then(closeEngine)
          .catch(() => undefined);
    };
  };
}

function checkOutputChoice(args: TranscribeArgs, positional: string[], inputs: number): void {
  if (args.output !== undefined && inputs > 1) {
    throw usageError(`-o names one output file but ${inputs} inputs were given; use --out-dir for several`);
  }
  if (args.output === '-' && args.json)
    throw usageError('-o - writes MIDI to standard output, which --json needs too; choose one');
  if (positional.filter((input) => input === '-').length > 1)
    throw usageError('- (standard input) can be given only once');
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

function printResult(
  record: FileRecord,
  paths: OutputPaths,
  notes: NoteEvent[],
  duration: number,
  args: TranscribeArgs,
): void {
  if (args.json) {
    printJsonLine({ ...record, notes });
    return;
  }
  if (args.quiet) return;
  const stream = paths.midi === '-' || descriptorOf(paths.midi) === 1 ? process.stderr : process.stdout;
  if (!stream.isTTY) {
    if (paths.midi !== '-') stream.write(`${paths.midi}\n`);
    return;
  }
  const speed = duration / record.seconds;
  stream.write(
    `${record.input} → ${paths.midi}: ${notes.length} notes from ${duration.toFixed(1)} s of audio in ${record.seconds.toFixed(1)} s (${speed.toFixed(1)}× real time)\n`,
  );
}

export const transcribeCommand: CommandModule<object, TranscribeArgs> = {
  command: 'transcribe [inputs..]',
  describe: 'Transcribe audio files to MIDI with Basic Pitch',
  builder,
  handler,
};
