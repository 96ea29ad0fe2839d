/** `jam record`: a MIDI input port → a MIDI file, kept whole while recording, and/or a jam session; Ctrl-C ends it. */
import type { Argv, CommandModule } from 'yargs';
import { usageError } from '../errors.js';
import { checkCanCreate } from '../files.js';
import { openInput } from '../midi/ports.js';
import { recordPort } from '../live/recorder.js';
import { joinSession, sessionSink } from '../session/index.js';
import { exitIfStopped, stopSignal } from './interrupt.js';
import { checkPortArgs, portOptions } from './liveOptions.js';
import { checkSessionUrl, joinOptionsOf, playerOptions, type SessionArgs } from './sessionOptions.js';

interface RecordArgs extends SessionArgs {
  from: string;
  output?: string;
  session?: string;
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
      alias: 'o',
      type: 'string',
      describe: 'The MIDI file to write',
    })
    .option('session', {
      requiresArg: true,
      type: 'string',
      describe: "Play into a jam session as you record: the room's address, e.g. ws://host:8080/r/tuesday",
    })
    .options(playerOptions)
    .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Overwrite the output if it exists' })
    .option('bend-range', {
      ...portOptions['bend-range'],
      describe: 'Pitch-bend range of the instrument played, in semitones',
    })
    .example('$0 record --from "Keystation" -o take.mid', 'Record a keyboard until Ctrl-C')
    .example('$0 record --from "Keystation" --session ws://host:8080/r/tuesday', 'Play a keyboard into a jam session')
    .epilogue(
      'Times start when recording starts. The file is rewritten as notes end, so it is whole even after a crash.',
    ) as unknown as Argv<RecordArgs>;
}

async function handler(args: RecordArgs): Promise<void> {
  const { bendRange } = checkPortArgs({ channel: 1, bendRange: args.bendRange });
  if (args.output === undefined && args.session === undefined)
    throw usageError('give somewhere to record to: -o FILE, --session URL, or both');
  if (args.output !== undefined) checkCanCreate(args.output, args.force);
  const session = args.session === undefined ? undefined : checkSessionUrl(args.session);
  const joining = session === undefined ? undefined : joinOptionsOf(args, 'player');
  const input = await openInput(args.from);
  const signal = stopSignal();
  const where = [args.output, session].filter(Boolean).join(' and ');
  try {
    const sinks =
      session === undefined ? [] : [sessionSink(await joinSession(session, joining), { closeClient: true })];
    if (!args.quiet && process.stderr.isTTY)
      process.stderr.write(`jam: recording ${input.name} → ${where}; Ctrl-C to stop\n`);
    const notes = await recordPort(input, args.output, { bendRange, signal, sinks });
    if (!args.quiet && process.stderr.isTTY) process.stderr.write(`jam: ${notes.length} notes → ${where}\n`);
  } finally {
    input.closePort();
  }
  exitIfStopped(signal);
}

export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record',
  describe: 'Record a MIDI input port to a MIDI file or into a jam session',
  builder,
  handler,
};
