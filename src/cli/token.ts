/** `jam token`: a join link signed with the server's secret, to send to a player or listener. */
import type { Argv, CommandModule } from 'yargs';
import { usageError } from '../errors.js';
import { joinLink, makeToken, ROOM_PATTERN, type Role } from '../session/index.js';
import { parseDuration } from './duration.js';
import { checkSessionUrl, readSecret, secretOptions, type SecretArgs } from './sessionOptions.js';

interface TokenArgs extends SecretArgs {
  room: string;
  name: string;
  role: Role;
  ttl: string;
  server: string;
  json: boolean;
}

function builder(yargs: Argv): Argv<TokenArgs> {
  return yargs
    .option('room', { requiresArg: true, demandOption: true, type: 'string', describe: 'The room the link opens' })
    .option('name', { requiresArg: true, demandOption: true, type: 'string', describe: 'Who the link is for' })
    .option('role', {
      requiresArg: true,
      type: 'string',
      choices: ['player', 'listener'],
      default: 'player',
      describe: 'A player plays and hears; a listener only hears',
    })
    .option('ttl', {
      requiresArg: true,
      type: 'string',
      default: '12h',
      describe: 'How long the link works: 90m, 12h, 7d',
    })
    .option('server', {
      requiresArg: true,
      type: 'string',
      default: 'ws://127.0.0.1:8080',
      describe: "The server's address as players reach it (wss://jam.example.org behind TLS)",
    })
    .options(secretOptions)
    .option('json', { type: 'boolean', default: false, describe: 'Print {link, token, room, name, role, expires}' })
    .example(
      '$0 token --room tuesday --name Ana --secret-file ~/.jam-secret --server wss://jam.example.org',
      'Invite Ana',
    )
    .example(
      '$0 token --room tuesday --name Mum --role listener --ttl 3h --secret-file s',
      'A link to listen only',
    ) as unknown as Argv<TokenArgs>;
}

async function handler(args: TokenArgs): Promise<void> {
  const secret = await readSecret(args);
  if (secret === undefined)
    throw usageError("a join link is signed with the server's secret: give --secret-file or --secret");
  if (!ROOM_PATTERN.test(args.room))
    throw usageError(`--room ${args.room}: use 1 to 64 letters, digits, dots, dashes or underscores`);
  const server = checkSessionUrl(args.server, '--server');
  const ttlMs = parseDuration(args.ttl, '--ttl');
  const now = Date.now();
  const token = makeToken(secret, { room: args.room, name: args.name, role: args.role, ttlMs, now });
  const link = joinLink(server, args.room, token);
  const expires = new Date(now + ttlMs).toISOString();
  process.stdout.write(
    args.json
      ? `${JSON.stringify({ link, token, room: args.room, name: args.name, role: args.role, expires })}\n`
      : `${link}\n`,
  );
}

export const tokenCommand: CommandModule<object, TokenArgs> = {
  command: 'token',
  describe: 'Make a signed join link for a jam session',
  builder,
  handler,
};
