/**
 * `jam session`: a room's state — its players and each one's link, the tempo, message counts — as a table or JSON;
 * and a change of the room's tempo and meter.
 */
import type { Argv, CommandModule } from 'yargs';
import { usageError } from '../errors.js';
import { joinSession, type StateMessage } from '../session/index.js';
import { checkSessionUrl } from './sessionOptions.js';

interface SessionStateArgs {
  url: string;
  json: boolean;
  tempo?: number;
  meter?: number;
}

const MIN_BPM = 20;
const MAX_BPM = 400;
const MAX_METER = 32;

function builder(yargs: Argv): Argv<SessionStateArgs> {
  return yargs
    .positional('url', {
      type: 'string',
      describe: "The room's address, e.g. ws://host:8080/r/tuesday (or a join link)",
    })
    .option('json', { type: 'boolean', default: false, describe: 'Print the state as one JSON object' })
    .option('tempo', {
      requiresArg: true,
      type: 'number',
      describe: "Change the room's tempo (beats per minute) from the next beat on, for everyone",
    })
    .option('meter', {
      requiresArg: true,
      type: 'number',
      describe: 'Change the beats per bar too (with --tempo or alone)',
    })
    .example('$0 session ws://host:8080/r/tuesday --tempo 96 --meter 3', 'A waltz at 96 for the whole room')
    .example('$0 session ws://host:8080/r/tuesday', "Who is in the room, and how each one's link is")
    .example(
      '$0 session ws://host:8080/r/tuesday --json | jq .players',
      'The same for a script',
    ) as unknown as Argv<SessionStateArgs>;
}

async function handler(args: SessionStateArgs): Promise<void> {
  const url = checkSessionUrl(args.url, 'the room address');
  checkTempo(args);
  const changing = args.tempo !== undefined || args.meter !== undefined;
  // Only players may change the tempo; a listener looks without being announced.
  const client = await joinSession(url, {
    role: changing ? 'player' : 'listener',
    name: 'jam session',
    reconnect: false,
  });
  let state: StateMessage;
  try {
    if (changing) {
      client.setTempo(args.tempo ?? client.tempo().bpm, args.meter ?? client.tempo().meter);
      await client.drain();
    }
    state = await client.roomState();
  } finally {
    await client.close();
  }
  const others = { ...state, players: state.players.filter((player) => player.id !== client.state().id) };
  process.stdout.write(args.json ? `${JSON.stringify(others)}\n` : stateTable(others));
}

function checkTempo({ tempo, meter }: SessionStateArgs): void {
  if (tempo !== undefined && !(tempo >= MIN_BPM && tempo <= MAX_BPM))
    throw usageError(`--tempo ${tempo}: use beats per minute from ${MIN_BPM} to ${MAX_BPM}`);
  if (meter !== undefined && !(Number.isInteger(meter) && meter >= 1 && meter <= MAX_METER))
    throw usageError(`--meter ${meter}: use a whole number of beats per bar from 1 to ${MAX_METER}`);
}

const ms = (value: number | undefined): string => (value === undefined ? '-' : `${value.toFixed(1)} ms`);

/** The state for a terminal: a line for the room, then a row per player. */
export function stateTable(state: Omit<StateMessage, 'v'>): string {
  const header = [
    'player',
    'role',
    'sync',
    'link',
    'round trip',
    'clock offset',
    'jitter',
    'playout',
    'sent',
    'heard',
    'late',
  ];
  const rows = state.players.map((player) => [
    player.name,
    player.role,
    player.sync === 'interval' ? `interval ${player.bars} bar${player.bars === 1 ? '' : 's'}` : 'realtime',
    player.connected ? 'up' : 'down',
    ms(player.stats?.rtt),
    ms(player.stats?.offset),
    ms(player.stats?.jitter),
    ms(player.stats?.playout),
    String(player.stats?.sent ?? '-'),
    String(player.stats?.received ?? '-'),
    String(player.stats?.late ?? '-'),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const { bpm, meter } = state.tempo;
  const names = new Map(state.players.map((player) => [player.id, player.name]));
  const pairs = state.players.flatMap((player) =>
    (player.stats?.peers ?? []).map(
      (pair) =>
        `  ${player.name} → ${names.get(pair.peer) ?? pair.peer}: ${pair.path}, round trip ${ms(pair.rtt)}, ` +
        `${Math.round(pair.loss * 100)}% loss`,
    ),
  );
  return [
    `room ${state.room} (epoch ${state.epoch}): ${bpm} bpm, ${meter} beats a bar; ${state.messagesIn} messages in, ${state.messagesOut} out, ${state.skipped} skipped for slow links`,
    rows.length === 0 ? 'nobody is playing' : line(header),
    ...rows.map(line),
    ...(pairs.length > 0 ? ['pairs (the mesh):', ...pairs] : []),
    '',
  ].join('\n');
}

export const sessionCommand: CommandModule<object, SessionStateArgs> = {
  command: 'session <url>',
  describe: "Show a jam session's players, their links and the tempo; change the tempo",
  builder,
  handler,
};
