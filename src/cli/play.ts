/** `jam play`: a MIDI file → MIDI output ports, on time, with its tempo map; and/or its notes into a jam session. */
import type { Argv, CommandModule } from 'yargs';
import { usageError } from '../errors.js';
import { readInputFile } from '../files.js';
import { eventsOfNotes } from '../live/noteEvents.js';
import { playEvents } from '../live/playEvents.js';
import { checkMidiIsWhole } from '../midi/wholeFile.js';
import { playTimeline } from '../midi/player.js';
import { openOutputs, type MidiOutputPort } from '../midi/ports.js';
import { midiFromBytes, midiNotes } from '../midi/read.js';
import { midiTimeline, timelineDuration } from '../midi/timeline.js';
import { joinSession, sessionSink } from '../session/index.js';
import { exitIfStopped, stopSignal } from './interrupt.js';
import { portNames, portOptions } from './liveOptions.js';
import { checkSessionUrl, joinOptionsOf, playerOptions, type SessionArgs } from './sessionOptions.js';

interface PlayArgs extends SessionArgs {
  file: string;
  to?: string | string[];
  virtual?: string;
  session?: string;
  quiet: boolean;
}

function builder(yargs: Argv): Argv<PlayArgs> {
  return yargs
    .positional('file', { type: 'string', describe: 'A Standard MIDI File (.mid)' })
    .option('to', portOptions.to)
    .option('virtual', portOptions.virtual)
    .option('session', {
      requiresArg: true,
      type: 'string',
      describe: "Play the file's notes into a jam session: the room's address, e.g. ws://host:8080/r/tuesday",
    })
    .options(playerOptions)
    .example('$0 play song.mid --to "Synth"', 'Play a MIDI file on a synth')
    .example('$0 play song.mid --virtual jam', 'Play it from a virtual port that a DAW connects to')
    .example(
      '$0 play backing.mid --session ws://host:8080/r/tuesday --name Backing',
      'A backing track into the room',
    ) as unknown as Argv<PlayArgs>;
}

async function handler(args: PlayArgs): Promise<void> {
  const to = portNames(args.to);
  if (to.length === 0 && args.virtual === undefined && args.session === undefined)
    throw usageError('give somewhere to play: --to PORT (jam ports lists them), --virtual NAME or --session URL');
  const session = args.session === undefined ? undefined : checkSessionUrl(args.session);
  const joining = session === undefined ? undefined : joinOptionsOf(args, 'player');
  const bytes = await readInputFile(args.file, 'a MIDI file');
  checkMidiIsWhole(bytes, args.file);
  const timeline = midiTimeline(midiFromBytes(bytes, args.file));
  const ports = await openOutputs(to, args.virtual);
  const client = session === undefined ? undefined : await joinSession(session, joining);
  const signal = stopSignal();
  if (!args.quiet && process.stderr.isTTY) {
    const where = [...ports.map((port) => port.name), ...(session ? [session] : [])].join(', ');
    process.stderr.write(
      `jam: playing ${args.file} (${timelineDuration(timeline).toFixed(1)} s) → ${where}; Ctrl-C to stop\n`,
    );
  }
  await Promise.all([
    playToPorts(ports, timeline, signal),
    client &&
      playEvents(eventsOfNotes(midiNotes(bytes, args.file)), sessionSink(client, { closeClient: true }), { signal }),
  ]);
  exitIfStopped(signal);
}

async function playToPorts(ports: MidiOutputPort[], timeline: ReturnType<typeof midiTimeline>, signal: AbortSignal) {
  if (ports.length === 0) return;
  try {
    await playTimeline(timeline, (message) => ports.forEach((port) => port.sendMessage(message)), { signal });
  } finally {
    for (const port of ports) port.closePort();
  }
}

export const playCommand: CommandModule<object, PlayArgs> = {
  command: 'play <file>',
  describe: 'Play a MIDI file to MIDI output ports or into a jam session',
  builder,
  handler,
};
