/** `jam play`: a MIDI file → MIDI output ports, on time, with its tempo map. */
import type { Argv, CommandModule } from 'yargs';
import { usageError } from '../errors.js';
import { readInputFile } from '../files.js';
import { checkMidiIsWhole } from '../midi/wholeFile.js';
import { playTimeline } from '../midi/player.js';
import { openOutputs } from '../midi/ports.js';
import { midiFromBytes } from '../midi/read.js';
import { midiTimeline, timelineDuration } from '../midi/timeline.js';
import { exitIfStopped, stopSignal } from './interrupt.js';
import { portNames, portOptions } from './liveOptions.js';

interface PlayArgs {
  file: string;
  to?: string | string[];
  virtual?: string;
  quiet: boolean;
}

function builder(yargs: Argv): Argv<PlayArgs> {
  return yargs
    .positional('file', { type: 'string', describe: 'A Standard MIDI File (.mid)' })
    .option('to', portOptions.to)
    .option('virtual', portOptions.virtual)
    .example('$0 play song.mid --to "Synth"', 'Play a MIDI file on a synth')
    .example(
      '$0 play song.mid --virtual jam',
      'Play it from a virtual port that a DAW connects to',
    ) as unknown as Argv<PlayArgs>;
}

async function handler(args: PlayArgs): Promise<void> {
  const to = portNames(args.to);
  if (to.length === 0 && args.virtual === undefined)
    throw usageError('give a port to play to: --to PORT (jam ports lists them) or --virtual NAME');
  const bytes = await readInputFile(args.file, 'a MIDI file');
  checkMidiIsWhole(bytes, args.file);
  const timeline = midiTimeline(midiFromBytes(bytes, args.file));
  const ports = await openOutputs(to, args.virtual);
  const signal = stopSignal();
  const talk = !args.quiet && process.stderr.isTTY;
  if (talk)
    process.stderr.write(
      `jam: playing ${args.file} (${timelineDuration(timeline).toFixed(1)} s) → ${ports.map((port) => port.name).join(', ')}; Ctrl-C to stop\n`,
    );
  try {
    await playTimeline(timeline, (message) => ports.forEach((port) => port.sendMessage(message)), { signal });
  } finally {
    for (const port of ports) port.closePort();
  }
  exitIfStopped(signal);
}

export const playCommand: CommandModule<object, PlayArgs> = {
  command: 'play <file>',
  describe: 'Play a MIDI file to MIDI output ports',
  builder,
  handler,
};
