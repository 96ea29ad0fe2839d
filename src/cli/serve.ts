/** `jam serve`: the jam session server. Rooms are made on first join; Ctrl-C tells everyone goodbye and stops. */
import { readFile } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import { JamError, usageError } from '../errors.js';
import { startSessionServer, type SessionServerOptions } from '../session/index.js';
import { stopSignal } from './interrupt.js';
import { checkIceServers, readSecret, secretOptions } from './sessionOptions.js';
import { warn } from './report.js';

interface ServeArgs {
  port: number;
  host: string;
  secret?: string;
  secretFile?: string;
  open: boolean;
  allowOrigin?: string[];
  tlsCert?: string;
  tlsKey?: string;
  moveTo?: string;
  allowSystem: boolean;
  iceServer?: string[];
  quiet: boolean;
}

const HEALTH_EVERY_MS = 60_000;
const DEFAULT_PORT = 8080;

function builder(yargs: Argv): Argv<ServeArgs> {
  return yargs
    .option('port', {
      requiresArg: true,
      type: 'number',
      default: DEFAULT_PORT,
      describe: 'TCP port (0: any free one)',
    })
    .option('host', {
      requiresArg: true,
      type: 'string',
      default: '127.0.0.1',
      describe: 'Address to listen on (0.0.0.0 for every interface; needs --secret or --open)',
    })
    .options(secretOptions)
    .option('open', {
      type: 'boolean',
      default: false,
      describe: 'Let anyone who can reach the address join without a token',
    })
    .option('allow-origin', {
      type: 'string',
      array: true,
      describe: 'Web pages (origins) whose browsers may join, e.g. https://jam.example.org; repeatable',
    })
    .option('tls-cert', { requiresArg: true, type: 'string', describe: 'Serve wss:// with this certificate (PEM)' })
    .option('tls-key', { requiresArg: true, type: 'string', describe: "The certificate's private key (PEM)" })
    .option('move-to', {
      requiresArg: true,
      type: 'string',
      describe: 'On shutdown, send clients to this server (ws:// or wss:// address)',
    })
    .option('ice-server', {
      type: 'string',
      array: true,
      describe: 'A STUN or TURN server handed to every player for the mesh: stun:host:3478, turn:user:pass@host:3478',
    })
    .option('allow-system', {
      type: 'boolean',
      default: false,
      describe: 'Relay MIDI system messages (SysEx, clock) between players',
    })
    .example('$0 serve', 'A server on this machine, ws://127.0.0.1:8080')
    .example('$0 serve --host 0.0.0.0 --secret-file ~/.jam-secret', 'For the internet: only signed join links')
    .example(
      '$0 token --room tuesday --name Ana --secret-file ~/.jam-secret',
      'A join link for Ana',
    ) as unknown as Argv<ServeArgs>;
}

async function tlsOf(args: ServeArgs): Promise<SessionServerOptions['tls']> {
  if ((args.tlsCert === undefined) !== (args.tlsKey === undefined))
    throw usageError('give both --tls-cert and --tls-key, or neither');
  if (args.tlsCert === undefined || args.tlsKey === undefined) return undefined;
  const read = async (file: string, what: string): Promise<Buffer> =>
    readFile(file).catch(() => {
      throw new JamError(`${file}: cannot read the TLS ${what}; check the path and its permissions`);
    });
  return { cert: await read(args.tlsCert, 'certificate'), key: await read(args.tlsKey, 'key') };
}

async function handler(args: ServeArgs): Promise<void> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)
    throw usageError(`--port ${args.port}: use a TCP port from 0 to 65535`);
  const secret = await readSecret(args);
  if (args.open && secret === undefined && !args.quiet)
    warn(`anyone who can reach ${args.host}:${args.port} can join without a token (--open)`);
  const server = await startSessionServer({
    port: args.port,
    host: args.host,
    secret,
    open: args.open,
    allowedOrigins: args.allowOrigin,
    tls: await tlsOf(args),
    allowSystem: args.allowSystem,
    iceServers: checkIceServers(args.iceServer),
  });
  const say = (line: string): void => void (args.quiet || process.stderr.write(`jam: ${line}\n`));
  say(`serving jam sessions at ${server.url}; rooms are made on first join`);
  say(
    secret
      ? `invite players with a link: jam token --room ROOM --name NAME ${args.secretFile ? `--secret-file ${args.secretFile}` : '--secret …'} --server ${server.url}`
      : `players join with: jam live … --session ${server.url}/r/ROOM, listeners with: jam join ${server.url}/r/ROOM`,
  );
  const health = setInterval(() => say(server.health()), HEALTH_EVERY_MS);
  const signal = stopSignal();
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  clearInterval(health);
  say(args.moveTo ? `stopping: sending everyone to ${args.moveTo}` : 'stopping: telling everyone goodbye');
  await server.close({ moveTo: args.moveTo, reason: 'the server is shutting down' });
  // Asked to stop, it stopped cleanly: that is success for a service manager.
  process.exitCode = 0;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Run a jam session server',
  builder,
  handler,
};
