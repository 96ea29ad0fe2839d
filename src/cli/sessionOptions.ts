/** Options of the commands that join a jam session: the room's URL, who you are, how you play and how you hear. */
import { readFile } from 'node:fs/promises';
import { JamError, usageError } from '../errors.js';
import type { JoinOptions, PlayoutMode, Role, SyncMode } from '../session/index.js';
import { parseIceServer } from '../session/mesh/core.js';

export interface SessionArgs {
  name?: string;
  playout?: string;
  sync?: SyncMode;
  bars?: number;
  mesh?: boolean;
  iceServer?: string[];
}

const MAX_PLAYOUT_MS = 5000;
const MAX_BARS = 16;

const name = {
  requiresArg: true,
  type: 'string',
  describe: 'Your name in the room (default: your user name); a join link with a token names you already',
} as const;

/** What a listener (`jam join`) chooses: who it is, and how long it waits before playing what it hears. */
export const listenerOptions = {
  name,
  playout: {
    requiresArg: true,
    type: 'string',
    default: 'auto',
    describe: "Delay before playing what others play: auto (covers the network's jitter), N ms, or 0 (on arrival)",
  },
} as const;

/** What a player (`jam live`, `play`, `record` with --session) chooses: who it is, its timing, and the mesh. */
export const playerOptions = {
  name,
  sync: {
    requiresArg: true,
    type: 'string',
    choices: ['realtime', 'interval'],
    default: 'realtime',
    describe: 'realtime, or interval: your notes land a whole number of bars later for everyone (far players)',
  },
  bars: { requiresArg: true, type: 'number', default: 1, describe: 'Bars of delay with --sync interval' },
  mesh: {
    type: 'boolean',
    default: true,
    describe:
      "Send to the room's other players directly over WebRTC where a channel opens (--no-mesh: by the server only)",
  },
  'ice-server': {
    requiresArg: true,
    type: 'string',
    array: true,
    describe: 'A STUN or TURN server for the mesh: stun:host:port or turn:user:pass@host:port (repeatable)',
  },
} as const;

/** A session URL as given, or a usage error naming it. */
export function checkSessionUrl(url: string, option = '--session'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`${option} ${url}: give the room's address, e.g. ws://host:8080/r/tuesday`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
    throw usageError(`${option} ${url}: a session address starts with ws:// or wss://, e.g. ws://host:8080/r/tuesday`);
  return url;
}

function playoutOf(value: string): PlayoutMode {
  if (value === 'auto') return 'auto';
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_PLAYOUT_MS)
    throw usageError(`--playout ${value}: use auto, or milliseconds from 0 to ${MAX_PLAYOUT_MS}`);
  return ms;
}

/** The --ice-server values, each checked, or a usage error naming the bad one. */
export function checkIceServers(given: string[] | undefined): string[] {
  const iceServers = (given ?? []).map(String);
  for (const server of iceServers) {
    try {
      parseIceServer(server);
    } catch (error) {
      throw usageError(`--ice-server ${(error as Error).message}`);
    }
  }
  return iceServers;
}

/** The library's join options from the command line's. */
export function joinOptionsOf(args: SessionArgs, role: Role): JoinOptions {
  const bars = args.bars ?? 1;
  if (!Number.isInteger(bars) || bars < 1 || bars > MAX_BARS)
    throw usageError(`--bars ${bars}: use a whole number of bars from 1 to ${MAX_BARS}`);
  const iceServers = checkIceServers(args.iceServer);
  return {
    name: args.name ?? process.env.USER ?? 'player',
    role,
    playout: playoutOf(args.playout ?? 'auto'),
    sync: args.sync ?? 'realtime',
    bars,
    ...(role === 'player' && args.mesh !== false ? { mesh: { iceServers } } : {}),
  };
}

export interface SecretArgs {
  secret?: string;
  secretFile?: string;
}

/** Shorter secrets can be guessed; 16 characters of a password manager's are plenty for HMAC-SHA256. */
const MIN_SECRET_LENGTH = 16;

export const secretOptions = {
  secret: { requiresArg: true, type: 'string', describe: 'The secret join links are signed with' },
  'secret-file': {
    requiresArg: true,
    type: 'string',
    describe: 'Read the secret from this file (keeps it out of the shell history)',
  },
} as const;

/** The server's secret from --secret or --secret-file, or undefined when neither is given. */
export async function readSecret(args: SecretArgs): Promise<string | undefined> {
  if (args.secret !== undefined && args.secretFile !== undefined)
    throw usageError('give --secret or --secret-file, not both');
  let secret = args.secret;
  if (args.secretFile !== undefined) {
    try {
      secret = (await readFile(args.secretFile, 'utf8')).trim();
    } catch {
      throw new JamError(`${args.secretFile}: cannot read the secret file; check the path and its permissions`);
    }
  }
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH)
    throw usageError(`the secret is too short to sign join links safely: use at least ${MIN_SECRET_LENGTH} characters`);
  return secret;
}
