/** `jam live`: audio from a file, standard input or a sound card → notes in real time, to ports, files and pipes. */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { usageError } from '../errors.js';
import { checkCanCreate } from '../files.js';
import { eventsFileSink, eventsSink } from '../live/eventsSink.js';
import { findInputDevice, inputSource, listInputDevices } from '../live/input.js';
import { checkPcmLayout, PCM_FORMATS, type PcmFormat } from '../live/pcm.js';
import { runLive, type LiveSink, type LiveSource } from '../live/pipeline.js';
import { portSink } from '../live/portSink.js';
import { recordSink } from '../live/recordSink.js';
import { openFileSource, pcmSource } from '../live/sources.js';
import { openOutputs } from '../midi/ports.js';
import { joinSession, sessionSink } from '../session/index.js';
import { DEFAULT_ENGINE, ENGINE_NAMES, loadEngine, type EngineName } from '../transcribe/engine.js';
import { checkTranscribeOptions } from '../transcribe/options.js';
import {
  DEFAULT_LATENCY,
  LATENCY_SETTINGS,
  StreamingTranscriber,
  type LatencySetting,
  type StreamingOptions,
} from '../transcribe/streaming.js';
import { userArg } from './args.js';
import { exitIfStopped, stopSignal } from './interrupt.js';
import { checkPortArgs, portNames, portOptions, type PortArgs } from './liveOptions.js';
import { noteOptions, noteOptionsOf, type NoteArgs } from './noteOptions.js';
import { warn } from './report.js';
import { checkSessionUrl, joinOptionsOf, playerOptions, type SessionArgs } from './sessionOptions.js';

/** One model run at a time: more threads only shorten each run, and the live path should leave the machine free. */
const LIVE_THREADS = 1;
const DEFAULT_PCM_RATE = 48000;

interface LiveArgs extends PortArgs, NoteArgs, SessionArgs {
  session?: string;
  file?: string;
  stdin: boolean;
  rate: number;
  format: PcmFormat;
  channels: number;
  input?: string;
  realtime: boolean;
  record?: string;
  events?: string;
  force: boolean;
  latency: LatencySetting;
  engine: EngineName;
  threads: number;
  quiet: boolean;
}

function builder(yargs: Argv): Argv<LiveArgs> {
  return yargs
    .positional('file', {
      type: 'string',
      describe: 'An audio file to play into jam (WAV, AIFF, MP3, FLAC, Ogg, Opus, M4A); or give --stdin or --input',
    })
    .option('stdin', {
      type: 'boolean',
      default: false,
      describe: 'Read raw PCM from standard input (with --rate, --format, --channels)',
    })
    .option('rate', {
      requiresArg: true,
      type: 'number',
      default: DEFAULT_PCM_RATE,
      describe: 'Sample rate of the PCM on standard input, in Hz',
    })
    .option('format', {
      requiresArg: true,
      type: 'string',
      choices: PCM_FORMATS,
      default: 'f32le',
      describe: 'Sample format of the PCM on standard input',
    })
    .option('channels', {
      requiresArg: true,
      type: 'number',
      default: 1,
      describe: 'Interleaved channels of the PCM on standard input (mixed to mono)',
    })
    .option('input', {
      requiresArg: true,
      type: 'string',
      describe: 'A microphone or line input, by index or (part of its) name, as jam devices lists them',
    })
    .option('realtime', {
      type: 'boolean',
      default: false,
      describe: 'Play the file at its own pace, as if it were live (otherwise as fast as jam can)',
    })
    .options(portOptions)
    .option('record', {
      requiresArg: true,
      type: 'string',
      describe: 'Write the notes to this MIDI file, kept whole as you play',
    })
    .option('events', {
      requiresArg: true,
      type: 'string',
      describe: 'Write each note-on, note-off and bend as a JSON line to this file; - for standard output',
    })
    .option('session', {
      requiresArg: true,
      type: 'string',
      describe: "Play the notes into a jam session: the room's address, e.g. ws://host:8080/r/tuesday (or a join link)",
    })
    .options(playerOptions)
    .option('force', {
      alias: 'f',
      type: 'boolean',
      default: false,
      describe: 'Overwrite --record and --events files that already exist',
    })
    .option('latency', {
      requiresArg: true,
      type: 'string',
      choices: LATENCY_SETTINGS,
      default: DEFAULT_LATENCY,
      describe: 'Trade delay for accuracy: low, balanced or accurate (see docs/live.md)',
    })
    .options(noteOptions)
    .option('melodia-trick', {
      type: 'boolean',
      describe:
        'Trace notes from the energy left after onset-started notes (default: with --latency accurate only; their note-ons wait for the minimum note length)',
    })
    .option('engine', {
      requiresArg: true,
      type: 'string',
      choices: ENGINE_NAMES,
      default: DEFAULT_ENGINE,
      describe: 'Inference engine: onnx (fast), tfjs, tfjs-node',
    })
    .option('threads', {
      requiresArg: true,
      type: 'number',
      default: LIVE_THREADS,
      describe: 'Threads for the onnx engine',
    })
    .example('$0 live --input 0 --to Synth', 'A microphone or line input playing a synth')
    .example('arecord -t raw -f FLOAT_LE -r 48000 | $0 live --stdin --to 1', 'Raw PCM through a pipe')
    .example(
      '$0 live take.wav --realtime --virtual jam --record take.mid',
      'A file at its own pace, to a virtual port and a file',
    )
    .example('$0 live take.wav --events -', 'A file as fast as jam can, as JSON lines')
    .example(
      '$0 live --input 0 --session ws://host:8080/r/tuesday --name Ana',
      'Play a guitar into a jam session',
    ) as unknown as Argv<LiveArgs>;
}

async function handler(parsed: LiveArgs): Promise<void> {
  const args = {
    ...parsed,
    file: parsed.file === undefined ? undefined : userArg(parsed.file),
    events: parsed.events === undefined ? undefined : userArg(parsed.events),
  };
  const options: StreamingOptions = {
    latency: args.latency,
    ...noteOptionsOf(args),
  };
  checkTranscribeOptions({ ...options, threads: args.threads });
  const port = checkPortArgs(args);
  const to = portNames(args.to);
  const nowhere = [args.virtual, args.record, args.events, args.session].every((sink) => sink === undefined);
  if (to.length === 0 && nowhere) {
    throw usageError(
      'give somewhere for the notes to go: --to PORT, --virtual NAME, --record FILE, --events FILE (- for standard output) or --session URL',
    );
  }
  const session = args.session === undefined ? undefined : checkSessionUrl(args.session);
  const joining = session === undefined ? undefined : joinOptionsOf(args, 'player');
  checkOutputFiles(args);
  const source = await chooseSource(args);

  const ports = await openOutputs(to, args.virtual);
  const sinks: LiveSink[] = ports.map((output) => portSink(output, port));
  let handedOver = false;
  try {
    // The model before the files: a failure to load it leaves nothing behind.
    const engine = await loadEngine(args.engine, args.threads);
    if (engine.fallbackReason) warn(engine.fallbackReason);
    const transcriber = new StreamingTranscriber(engine, options);
    // The room before the files too: a server that is not there leaves nothing behind.
    if (session !== undefined) sinks.push(sessionSink(await joinSession(session, joining), { closeClient: true }));
    if (args.events === '-') sinks.push(eventsSink(process.stdout));
    else if (args.events !== undefined) sinks.push(await eventsFileSink(args.events));
    if (args.record !== undefined)
      sinks.push(await recordSink(args.record, { program: port.program, overwrite: args.force }));
    const signal = stopSignal();
    const talk = !args.quiet && process.stderr.isTTY;
    if (talk)
      process.stderr.write(
        `jam: listening to ${source.name}${ports.length > 0 ? ` → ${ports.map((p) => p.name).join(', ')}` : ''}; Ctrl-C to stop\n`,
      );
    handedOver = true;
    const summary = await runLive({ source, transcriber, sinks, signal });
    if (talk)
      process.stderr.write(
        `jam: ${summary.notes} notes from ${summary.seconds.toFixed(1)} s of audio${args.record ? ` → ${args.record}` : ''}\n`,
      );
    exitIfStopped(signal);
  } catch (error) {
    // runLive closes the sinks it is given; close them here only when it never got them.
    if (!handedOver) await Promise.allSettled(sinks.map(async (sink) => sink.close()));
    throw error;
  }
}

function checkOutputFiles(args: LiveArgs): void {
  const files = [args.record, args.events].filter((file): file is string => file !== undefined && file !== '-');
  if (
    args.record !== undefined &&
    args.events !== undefined &&
    path.resolve(args.record) === path.resolve(args.events)
  ) {
    throw usageError(`--record and --events both name ${args.record}; give them different files`);
  }
  for (const file of files) {
    if (args.file !== undefined && path.resolve(file) === path.resolve(args.file))
      throw usageError(`${file}: the output would overwrite the input; choose another file`);
    checkCanCreate(file, args.force);
  }
}

async function chooseSource(args: LiveArgs): Promise<LiveSource> {
  if (args.file === '-')
    throw usageError('for audio on standard input give --stdin with --rate, --format and --channels (raw PCM)');
  const given = [args.file !== undefined, args.stdin, args.input !== undefined].filter(Boolean).length;
  if (given !== 1)
    throw usageError(
      `give ${given === 0 ? 'a source' : 'only one source'}: an audio file, --stdin (raw PCM) or --input DEVICE`,
    );
  if (args.realtime && args.file === undefined)
    throw usageError('--realtime paces an audio file; --stdin and --input are live already');
  if (args.stdin) {
    const layout = { rate: args.rate, format: args.format, channels: args.channels };
    checkPcmLayout(layout);
    return pcmSource(process.stdin, layout, 'standard input', warn);
  }
  if (args.input !== undefined) return inputSource(findInputDevice(await listInputDevices(), args.input));
  return openFileSource(args.file!, { realtime: args.realtime, onWarning: warn });
}

export const liveCommand: CommandModule<object, LiveArgs> = {
  command: 'live [file]',
  describe: 'Transcribe live audio to MIDI in real time: to ports, a MIDI file, JSON lines',
  builder,
  handler,
};
