/** `jam join`: hear a jam session — other players' notes to MIDI ports, a MIDI file of one track each, JSON lines. */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { usageError } from '../errors.js';
import { checkCanCreate } from '../files.js';
import { eventsFileSink, eventsSink } from '../live/eventsSink.js';
import type { LiveSink } from '../live/pipeline.js';
import { portSink } from '../live/portSink.js';
import { recordSink } from '../live/recordSink.js';
import { openOutputs, type MidiOutputPort } from '../midi/ports.js';
import {
  clickMessages,
  hearRoom,
  joinSession,
  metronome,
  onSessionClock,
  type HeardEvent,
  type SessionClient,
} from '../session/index.js';
import { exitIfStopped, stopSignal } from './interrupt.js';
import { checkPortArgs, portNames, portOptions, type PortArgs } from './liveOptions.js';
import { checkSessionUrl, joinOptionsOf, listenerOptions, type SessionArgs } from './sessionOptions.js';

interface JoinArgs extends PortArgs, SessionArgs {
  url: string;
  record?: string;
  events?: string;
  click: boolean;
  force: boolean;
  quiet: boolean;
}

function builder(yargs: Argv): Argv<JoinArgs> {
  return yargs
    .positional('url', {
      type: 'string',
      describe: "The room's address, e.g. ws://host:8080/r/tuesday (or a join link)",
    })
    .options(portOptions)
    .option('record', {
      requiresArg: true,
      type: 'string',
      describe: "Write the room to this MIDI file: a named track per player, on the session's clock",
    })
    .option('events', {
      requiresArg: true,
      type: 'string',
      describe: "Write each event heard as a JSON line (with the player's name) to this file; - for standard output",
    })
    .option('click', {
      type: 'boolean',
      default: false,
      describe: "Play a metronome on the room's shared beat to the ports",
    })
    .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Overwrite --record and --events files' })
    .options(listenerOptions)
    .example('$0 join ws://host:8080/r/tuesday --to Synth --click', 'Hear the room on a synth, with the shared click')
    .example(
      '$0 join "wss://jam.example.org/r/tuesday?token=…" --record tuesday.mid',
      'Record the evening, a track each',
    )
    .example('$0 join ws://host:8080/r/tuesday --events -', 'Every note as JSON lines') as unknown as Argv<JoinArgs>;
}

async function handler(args: JoinArgs): Promise<void> {
  const url = checkSessionUrl(args.url, 'the room address');
  const port = checkPortArgs(args);
  const to = portNames(args.to);
  if (to.length === 0 && args.virtual === undefined && args.record === undefined && args.events === undefined)
    throw usageError('give somewhere to hear the room: --to PORT, --virtual NAME, --record FILE or --events FILE|-');
  if (args.click && to.length === 0 && args.virtual === undefined)
    throw usageError('--click plays to MIDI ports: add --to PORT or --virtual NAME');
  checkOutputFiles(args);
  const options = joinOptionsOf(args, 'listener');
  const ports = await openOutputs(to, args.virtual);
  const client = await joinSession(url, options);
  const signal = stopSignal();
  const talk = !args.quiet && process.stderr.isTTY;
  const say = (line: string): void => void (talk && process.stderr.write(`jam: ${line}\n`));
  client.on('presence', ({ what, player }) =>
    say(`${player.name} ${what === 'join' ? 'joined' : what === 'drop' ? 'dropped out' : 'left'}`),
  );
  client.on('goodbye', ({ reason, moveTo }) => say(`${reason}${moveTo ? `; moving to ${moveTo}` : ''}`));
  client.on('closed', ({ reason }) => say(`left the room: ${reason}`));
  const sinks = [...ports.map((output) => portSink(output, port)), ...(await fileSinks(args, client))];
  say(
    `hearing room ${client.state().room} at ${url}${ports.length ? ` → ${ports.map((p) => p.name).join(', ')}` : ''}; Ctrl-C to leave`,
  );
  // The click stops with the hearing, however that ends (Ctrl-C, or the server saying goodbye).
  const clickStop = new AbortController();
  signal.addEventListener('abort', () => clickStop.abort(), { once: true });
  const clicking = args.click ? clickTo(ports, client, clickStop.signal) : Promise.resolve();
  try {
    const summary = await hearRoom(client, sinks, { signal });
    say(`${summary.events} events from ${summary.players.length} players`);
  } finally {
    // However the hearing ended (a sink failing included), leave the room and let the click stop.
    await client.close();
    clickStop.abort();
    await clicking;
    for (const output of ports) output.closePort();
  }
  exitIfStopped(signal);
}

/** The file sinks: JSON lines as heard, and the MIDI file on the session's clock from now. */
async function fileSinks(args: JoinArgs, client: SessionClient): Promise<LiveSink[]> {
  const sinks: LiveSink[] = [];
  if (args.events === '-') sinks.push(eventsSink(process.stdout));
  else if (args.events !== undefined) sinks.push(await eventsFileSink(args.events));
  if (args.record !== undefined) {
    const origin = client.sessionTime();
    const file = await recordSink(args.record, {
      partOf: (event) => (event as HeardEvent).player,
      overwrite: args.force,
    });
    sinks.push({
      write: (event) => file.write(onSessionClock(event as HeardEvent, origin)),
      close: () => file.close(),
    });
  }
  return sinks;
}

function clickTo(ports: MidiOutputPort[], client: SessionClient, signal: AbortSignal): Promise<void> {
  return metronome(
    client,
    (click) => {
      for (const message of clickMessages(click)) for (const output of ports) output.sendMessage(message);
    },
    { signal },
  );
}

function checkOutputFiles(args: JoinArgs): void {
  const files = [args.record, args.events].filter((file): file is string => file !== undefined && file !== '-');
  if (files.length === 2 && path.resolve(files[0]) === path.resolve(files[1]))
    throw usageError(`--record and --events both name ${files[0]}; give them different files`);
  for (const file of files) checkCanCreate(file, args.force);
}

export const joinCommand: CommandModule<object, JoinArgs> = {
  command: 'join <url>',
  describe: 'Hear a jam session: to MIDI ports, a MIDI file (a track per player), JSON lines',
  builder,
  handler,
};
