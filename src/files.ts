/**
 * Writing output files so that an error, Ctrl-C or a crash never leaves half a file: each is written to a
 * temporary name beside its target and renamed into place; temporaries still open at exit are removed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync, unlinkSync } from 'node:fs';
import { open, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JamError } from './errors.js';

/**
 * Reads a file the user named; the usual mistakes (no such file, a folder, no permission) become one-line errors.
 * `what` says what to give instead of a folder, e.g. "a MIDI file".
 */
export async function readInputFile(file: string, what: string): Promise<Buffer> {
  try {
    return await readWholeFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new JamError(`${file}: no such file; check the path`);
    if (code === 'EISDIR') throw new JamError(`${file}: is a folder; give ${what}`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new JamError(`${file}: cannot be read (permission denied); check the file's permissions`);
    throw error;
  }
}

/**
 * A file's bytes in as few reads as the system allows: node's readFile asks its thread pool for 512 KB at a time,
 * which is slower for a large recording while the engine's sessions start beside it.
 */
export async function readWholeFile(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    // Pipes, and files such as Linux's /proc ones, give no size: they are read to their end.
    if (!info.isFile() || info.size === 0) return await handle.readFile();
    const { size } = info;
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    for (let read = 1; filled < size && read > 0; filled += read)
      read = (await handle.read(bytes, filled, size - filled, filled)).bytesRead;
    return bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
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

export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const temporary = temporaryName(target);
  inFlight.add(temporary);
  try {
    await writeFile(temporary, data);
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw writeError(target, error as NodeJS.ErrnoException);
  } finally {
    inFlight.delete(temporary);
  }
}

/**
 * Checks before any work that `target` can be written: its folder exists, and it would not replace a file
 * the user already has, unless they said --force.
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
  if (!force && existsSync(target))
    throw new JamError(`${target} already exists; use --force to overwrite it, or choose another output`);
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
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new JamError(`cannot write ${target}: the folder ${folder} is not writable; choose another output folder`);
    case 'ENOSPC':
      return new JamError(`cannot write ${target}: the disk is full; free some space or choose another output folder`);
    default:
      return error;
  }
}
