/** `jam record`: a MIDI input port → a MIDI file, kept whole while recording, finished on Ctrl-C. */
import type { Argv, CommandModule } from 'yargs';
import { checkCanCreate } from '../files.js';
import { openInput } from '../midi/ports.js';
import { recordPort } from '../live/recorder.js';
import { exitIfStopped, stopSignal } from './interrupt.js';
import { checkPortArgs, portOptions } from './liveOptions.js';

interface RecordArgs {
  from: string;
  output: string;
  force: boolean;
  bendRange: number;
  quiet: boolean;
}

function builder(yargs: Argv): Argv<RecordArgs> {
  return yargs
    .option('from', {
      requiresArg: true,
      demandOption: true,
      type: 'string',
      describe: 'The MIDI input port, by index or (part of its) name, as jam ports lists them',
    })
    .option('output', {
      requiresArg: true,
      demandOption: true,
      alias: 'o',
      type: 'string',
      describe: 'The MIDI file to write',
    })
    .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Overwrite the output if it exists' })
    .option('bend-range', {
      ...portOptions['bend-range'],
      describe: 'Pitch-bend range of the instrument played, in semitones',
    })
    .example('$0 record --from "Keystation" -o take.mid', 'Record a keyboard until Ctrl-C')
    .epilogue(
      'Times start when recording starts. The file is rewritten as notes end, so it is whole even after a crash.',
    ) as unknown as Argv<RecordArgs>;
}

async function handler(args: RecordArgs): Promise<void> {
  const { bendRange } = checkPortArgs({ channel: 1, bendRange: args.bendRange });
  checkCanCreate(args.output, args.force);
  const input = await openInput(args.from);
  const signal = stopSignal();
  try {
    if (!args.quiet && process.stderr.isTTY)
      process.stderr.write(`jam: recording ${input.name} → ${args.output}; Ctrl-C to stop\n`);
    const notes = await recordPort(input, args.output, { bendRange, signal });
    if (!args.quiet && process.stderr.isTTY) process.stderr.write(`jam: ${notes.length} notes → ${args.output}\n`);
  } finally {
    input.closePort();
  }
  exitIfStopped(signal);
}

export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record',
  describe: 'Record a MIDI input port to a MIDI file',
  builder,
  handler,
};
