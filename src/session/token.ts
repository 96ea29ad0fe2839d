/**
 * Join tokens: the claims (room, name, role, expiry) as base64url JSON, a dot, and their HMAC-SHA256 under the
 * server's secret. Anyone can read a token; only the secret's holder can make one the server accepts.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { JamError } from '../errors.js';
import type { Role } from './protocol.js';
import { ROOM_PATTERN } from './protocol.js';

export interface TokenClaims {
  room: string;
  name: string;
  role: Role;
  /** Expiry, in ms since the Unix epoch. */
  exp: number;
}

export type TokenProblem = 'invalid' | 'forged' | 'expired' | 'wrong-room';
export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem; reason: string };

export interface MakeTokenOptions {
  room: string;
  name: string;
  role?: Role;
  /** Lifetime in ms (default 12 hours). */
  ttlMs?: number;
  /** The time now, in ms since the Unix epoch. */
  now?: number;
}

const DEFAULT_TTL_MS = 12 * 3600_000;

function sign(body: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

export function makeToken(
  secret: string,
  { room, name, role = 'player', ttlMs = DEFAULT_TTL_MS, now = Date.now() }: MakeTokenOptions,
): string {
  if (!secret) throw new JamError("a token needs the server's secret: give --secret or --secret-file");
  if (!ROOM_PATTERN.test(room))
    throw new JamError(`room "${room}" must be 1 to 64 letters, digits, dots, dashes or underscores`);
  const claims: TokenClaims = { room, name, role, exp: Math.round(now + ttlMs) };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${sign(body, secret).toString('base64url')}`;
}

function claimsOf(value: unknown): TokenClaims | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { room, name, role, exp } = value as Record<string, unknown>;
  if (
    typeof room !== 'string' ||
    typeof name !== 'string' ||
    (role !== 'player' && role !== 'listener') ||
    typeof exp !== 'number'
  )
    return undefined;
  return { room, name, role, exp };
}

/** Checks a token's signature, then its expiry, then its room (when `room` is given). */
export function verifyToken(
  token: string,
  secret: string,
  { room, now = Date.now() }: { room?: string; now?: number } = {},
): TokenCheck {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined)
    return { ok: false, problem: 'invalid', reason: 'the token is not of the form claims.signature' };
  const expected = sign(body, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, problem: 'forged', reason: "the token was not signed with this server's secret" };
  }
  let claims: TokenClaims | undefined;
  try {
    claims = claimsOf(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    claims = undefined;
  }
  if (!claims) return { ok: false, problem: 'invalid', reason: "the token's claims are unreadable" };
  if (claims.exp <= now)
    return { ok: false, problem: 'expired', reason: `the token expired at ${new Date(claims.exp).toISOString()}` };
  if (room !== undefined && claims.room !== room)
    return { ok: false, problem: 'wrong-room', reason: `the token is for room "${claims.room}", not "${room}"` };
  return { ok: true, claims };
}

/** A link a player can open or pass to `jam join`: the room's path with the token in the query. */
export function joinLink(serverUrl: string, room: string, token?: string): string {
  const url = new URL(`r/${encodeURIComponent(room)}`, serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`);
  if (token) url.searchParams.set('token', token);
  return url.toString();
}
