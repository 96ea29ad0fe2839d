/**
 * Writing output files so that an error, Ctrl-C or a crash never leaves half a file: each is written to a
 * temporary name beside its target and renamed into place; temporaries still open at exit are removed.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { link, mkdir, open, readdir, realpath, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JamError } from './errors.js';

/** The most bytes jam reads of one input at once: beyond it a file (or /dev/zero, or an endless pipe) is refused. */
export const MAX_INPUT_BYTES = 1024 * 1024 * 1024;

export interface ReadOptions {
  /** Refuse more bytes than this (default MAX_INPUT_BYTES). */
  limit?: number;
  /** Stops a long read (Ctrl-C, SIGTERM): the read rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** How a byte count reads in a message: "1 GiB", "300 MiB", "12 KiB". */
export function byteSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const)
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  return `${bytes} bytes`;
}

/** The one-line refusal of an input larger than `limit`. */
export function tooLargeError(name: string, limit: number): JamError {
  return new JamError(
    `${name}: larger than ${byteSize(limit)}, the most jam reads of one input; give a smaller file (or a part of it)`,
  );
}

/**
 * Reads a file the user named; the usual mistakes (no such file, a folder, no permission, an endless device) become
 * one-line errors. `what` says what to give instead of a folder, e.g. "a MIDI file".
 */
export async function readInputFile(file: string, what: string, options: ReadOptions = {}): Promise<Buffer> {
  try {
    return await readWholeFile(file, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new JamError(`${file}: no such file; check the path`);
    if (code === 'EISDIR') throw new JamError(`${file}: is a folder; give ${what}`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new JamError(`${file}: cannot be read (permission denied); check the file's permissions`);
    throw error;
  }
}

/** Bytes read at a time from a file that gives no size (a pipe, a device, /proc). */
const STREAM_CHUNK = 1024 * 1024;

/**
 * A file's bytes in as few reads as the system allows: node's readFile asks its thread pool for 512 KB at a time,
 * which is slower for a large recording while the engine's sessions start beside it. More than `limit` bytes (a
 * huge file, /dev/zero) is refused, and an aborted `signal` stops the read between chunks.
 */
export async function readWholeFile(
  file: string,
  { limit = MAX_INPUT_BYTES, signal }: ReadOptions = {},
): Promise<Buffer> {
  checkNotStopped(file, signal);
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error(`EISDIR: ${file}`), { code: 'EISDIR' });
    // Pipes, devices and files such as Linux's /proc ones give no size: they are read in chunks to their end.
    if (!info.isFile() || info.size === 0) return await readToEnd(handle, file, limit, signal);
    const { size } = info;
    if (size > limit) throw tooLargeError(file, limit);
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    for (let read = 1; filled < size && read > 0; filled += read) {
      checkNotStopped(file, signal);
      read = (
        await stoppable(handle.read(bytes, filled, Math.min(size - filled, 256 * STREAM_CHUNK), filled), file, signal)
      ).bytesRead;
    }
    return bytes.subarray(0, filled);
  } finally {
    // A read still waiting (a FIFO no one writes to) would hold the close back: after a stop it is not waited for.
    if (signal?.aborted) void handle.close().catch(() => undefined);
    else await handle.close();
  }
}

async function readToEnd(
  handle: Awaited<ReturnType<typeof open>>,
  file: string,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    checkNotStopped(file, signal);
    const chunk = Buffer.allocUnsafe(STREAM_CHUNK);
    const { bytesRead } = await stoppable(handle.read(chunk, 0, STREAM_CHUNK, null), file, signal);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    total += bytesRead;
    if (total > limit) throw tooLargeError(file, limit);
    chunks.push(bytesRead === STREAM_CHUNK ? chunk : chunk.subarray(0, bytesRead));
  }
}

/** A read stopped by Ctrl-C or SIGTERM ends in one line naming the input and the signal. */
function checkNotStopped(name: string, signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw new JamError(`${name}: not read to its end: stopped (${reason instanceof Error ? reason.message : 'aborted'})`);
}

let readsWaiting = 0;

/**
 * Reads given up on after a stop that still wait in the thread pool (a FIFO no one writes to). Node's exit waits for
 * them, so the CLI ends such a process by its signal instead.
 */
export function abandonedReads(): number {
  return readsWaiting;
}

/** `work`, or the stop's one-line error as soon as `signal` aborts (a read from a silent FIFO may never end). */
function stoppable<T>(work: Promise<T>, name: string, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      try {
        checkNotStopped(name, signal);
      } catch (error) {
        reject(error);
      }
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    readsWaiting++;
    work.then(resolve, reject).finally(() => {
      readsWaiting--;
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/** Reads a stream (standard input) to its end, refusing more than `limit` bytes and stopping when `signal` aborts. */
export async function readStreamBounded(
  stream: AsyncIterable<unknown>,
  name: string,
  { limit = MAX_INPUT_BYTES, signal }: ReadOptions = {},
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    checkNotStopped(name, signal);
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += bytes.length;
    if (total > limit) throw tooLargeError(name, limit);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}

const inFlight = new Set<string>();
process.on('exit', () => {
  for (const file of inFlight) {
    try {
      unlinkSync(file);
    } catch {
      // Already gone: nothing to clean.
    }
  }
});

const TEMPORARY_RANDOM_BYTES = 4;
/** A temporary's name, `.<target name>.<random hex>.partial`; the pattern gives back the target's name. */
const TEMPORARY_NAME = new RegExp(`^\\.(.+)\\.[0-9a-f]{${TEMPORARY_RANDOM_BYTES * 2}}\\.partial$`);

/** A temporary's name: hidden, beside its target, with a random part so two writers never share one. */
function temporaryName(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(TEMPORARY_RANDOM_BYTES).toString('hex')}.partial`,
  );
}

/**
 * Removes the temporaries of `targets` that a killed process (SIGKILL, a power cut) left behind; they
 * are never mistaken for outputs, but would otherwise pile up. Returns how many were removed.
 */
export async function removeStaleTemporaries(targets: string[]): Promise<number> {
  const byFolder = new Map<string, Set<string>>();
  for (const target of targets) {
    const folder = path.dirname(target);
    if (!byFolder.has(folder)) byFolder.set(folder, new Set());
    byFolder.get(folder)!.add(path.basename(target));
  }
  let removed = 0;
  for (const [folder, names] of byFolder) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const file = path.join(folder, name);
      const target = TEMPORARY_NAME.exec(name)?.[1];
      if (target === undefined || !names.has(target) || inFlight.has(file)) continue;
      await unlink(file).then(
        () => removed++,
        () => undefined,
      );
    }
  }
  return removed;
}

export interface WriteOptions {
  /** Replace a regular file that is there (--force); without it a file found at `target` is never replaced. */
  overwrite?: boolean;
}

/** A file that exists and is refused because it was not to be replaced: the batch skips its input instead. */
export class OutputExistsError extends JamError {
  constructor(readonly target: string) {
    super(`${target} already exists; use --force to overwrite it, or choose another output`);
    this.name = 'OutputExistsError';
  }
}

/**
 * What `target` is, following links: absent, a folder, a regular file, or a special file (a device such as
 * /dev/null, a FIFO, a socket, or /dev/stdout's link to a descriptor), which is written into, never renamed over.
 */
export type TargetKind = 'absent' | 'folder' | 'file' | 'special';

export function targetKind(target: string): TargetKind {
  let info: Stats | undefined;
  try {
    info = statSync(target, { throwIfNoEntry: false });
  } catch {
    return 'absent';
  }
  if (!info) return 'absent';
  if (info.isDirectory()) return 'folder';
  if (!info.isFile()) return 'special';
  // /dev/stdout → /proc/self/fd/1 → whatever standard output is: a link into /dev or /proc names a descriptor.
  const linked = lstatSync(target, { throwIfNoEntry: false });
  if (linked?.isSymbolicLink() && /^\/(dev|proc)\//.test(path.resolve(target))) return 'special';
  return 'file';
}

/** A special file (a device, a FIFO, /dev/stdout) that output is written into. */
export function isSpecialFile(target: string): boolean {
  return targetKind(target) === 'special';
}

/**
 * Writes `data` to `target` whole or not at all: to a temporary beside it, then moved into place. Without `overwrite`
 * the move is exclusive (a hard link, which fails if a file appeared meanwhile: another run's output is never
 * replaced). A special file (/dev/null, /dev/stdout, a FIFO) is written into, never replaced; a link to a regular
 * file keeps its link and replaces the file it points to.
 */
export async function writeFileAtomic(
  target: string,
  data: Uint8Array | string,
  { overwrite = false }: WriteOptions = {},
): Promise<void> {
  const kind = targetKind(target);
  if (kind === 'folder') throw folderError(target);
  if (kind === 'special') return writeInto(target, data);
  const real = kind === 'file' ? await realpath(target).catch(() => target) : target;
  if (kind === 'file' && !overwrite) throw new OutputExistsError(target);
  const temporary = temporaryName(real);
  inFlight.add(temporary);
  try {
    await writeFile(temporary, data, { flag: 'wx' });
    if (overwrite) await rename(temporary, real);
    else await placeExclusively(temporary, real, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    if (error instanceof JamError) throw error;
    throw writeError(target, error as NodeJS.ErrnoException);
  } finally {
    inFlight.delete(temporary);
  }
}

/** Moves `temporary` to `real` only if nothing is there: a hard link (atomic, fails on EEXIST), then the temporary goes. */
async function placeExclusively(temporary: string, real: string, target: string): Promise<void> {
  try {
    await link(temporary, real);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new OutputExistsError(target);
    // File systems without hard links: reserve the name with O_EXCL, then rename over the reservation.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EMLINK')
      throw error;
    try {
      await (await open(real, 'wx')).close();
    } catch (reserve) {
      if ((reserve as NodeJS.ErrnoException).code === 'EEXIST') throw new OutputExistsError(target);
      throw reserve;
    }
    await rename(temporary, real);
    return;
  }
  await unlink(temporary);
}

/** The descriptor a path names: /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N; undefined for others. */
export function descriptorOf(target: string): number | undefined {
  const resolved = path.resolve(target);
  if (resolved === '/dev/stdout') return 1;
  if (resolved === '/dev/stderr') return 2;
  const match = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(resolved);
  return match ? Number(match[1]) : undefined;
}

/** Writes into a device, FIFO or descriptor as it is (no temporary, no rename: it stays what it was). */
async function writeInto(target: string, data: Uint8Array | string): Promise<void> {
  // Standard output may be a socket, which cannot be opened by name (ENXIO): its stream is written instead.
  const descriptor = descriptorOf(target);
  const stream = descriptor === 1 ? process.stdout : descriptor === 2 ? process.stderr : undefined;
  if (stream) {
    await new Promise<void>((resolve, reject) => stream.write(data, (error) => (error ? reject(error) : resolve())));
    return;
  }
  try {
    await writeFile(target, data, { flag: 'w' });
  } catch (error) {
    throw writeError(target, error as NodeJS.ErrnoException);
  }
}

function folderError(target: string): JamError {
  return new JamError(`cannot write ${target}: it is a folder; give a file name (e.g. ${path.join(target, 'out')}…)`);
}

/**
 * Checks before any work that `target` can be written: its folder exists, it is not a folder, and it would not
 * replace a file the user already has, unless they said --force. A device or FIFO (/dev/null) needs no --force.
 */
export function checkCanCreate(target: string, force: boolean): void {
  const folder = path.dirname(target);
  const folderInfo = statSync(folder, { throwIfNoEntry: false });
  if (!folderInfo)
    throw new JamError(
      `cannot write ${target}: the folder ${folder} does not exist; create it or choose another output`,
    );
  if (!folderInfo.isDirectory())
    throw new JamError(`cannot write ${target}: ${folder} is not a folder; choose another output`);
  const kind = targetKind(target);
  if (kind === 'folder') throw folderError(target);
  if (!force && kind === 'file') throw new OutputExistsError(target);
}

function writeError(target: string, error: NodeJS.ErrnoException): Error {
  const folder = path.dirname(target);
  switch (error.code) {
    case 'ENOENT':
      return new JamError(
        `cannot write ${target}: the folder ${folder} does not exist; create it or choose another output`,
      );
    case 'ENOTDIR':
      return new JamError(`cannot write ${target}: ${folder} is not a folder; choose another output`);
    case 'EISDIR':
      return folderError(target);
    case 'EROFS':
      return new JamError(`cannot write ${target}: the file system is read-only; choose an output on a writable disk`);
    case 'EACCES':
    case 'EPERM':
      return new JamError(`cannot write ${target}: the folder ${folder} is not writable; choose another output folder`);
    case 'ENOSPC':
      return new JamError(`cannot write ${target}: the disk is full; free some space or choose another output folder`);
    default:
      return error;
  }
}

/**
 * Creates `folder` and its parents. Node's recursive mkdir reports ENOENT where the real cause is a read-only file
 * system or a folder without write permission: the first missing level is then made alone, to learn why, and the
 * error says it in the user's words (`what` names the option, e.g. "--out chord-pack").
 */
export async function makeFolder(folder: string, what: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
    return;
  } catch (error) {
    const code = (await firstMissingLevelError(folder)) ?? (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EROFS'
        ? 'the file system is read-only'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EEXIST' || code === 'ENOTDIR'
            ? 'a file is in the way'
            : code === 'ENOSPC'
              ? 'the disk is full'
              : (code ?? String(error));
    throw new JamError(`${what}: cannot create the folder ${folder} (${why}); choose another folder`);
  }
}

async function firstMissingLevelError(folder: string): Promise<string | undefined> {
  let level = path.resolve(folder);
  while (path.dirname(level) !== level && !statSync(path.dirname(level), { throwIfNoEntry: false }))
    level = path.dirname(level);
  try {
    await mkdir(level);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}
