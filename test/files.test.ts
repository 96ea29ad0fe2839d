import { execFileSync, spawn } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkCanCreate,
  OutputExistsError,
  readInputFile,
  readWholeFile,
  targetKind,
  writeFileAtomic,
} from '../src/files.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'jam-files-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('reading files', () => {
  it('reads a file of several megabytes whole, byte for byte, and an empty one as no bytes', async () => {
    const bytes = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 7919) % 251));
    writeFileSync(join(folder, 'take.wav'), bytes);
    writeFileSync(join(folder, 'empty.wav'), '');
    expect((await readWholeFile(join(folder, 'take.wav'))).equals(readFileSync(join(folder, 'take.wav')))).toBe(true);
    expect((await readWholeFile(join(folder, 'empty.wav'))).length).toBe(0);
  });

  it.runIf(existsSync('/proc/version'))(
    'reads a file that gives no size (Linux /proc/version) to its end',
    async () => {
      const text = (await readWholeFile('/proc/version')).toString('utf8');
      expect(text).toMatch(/^Linux version /);
    },
  );

  it('names a missing file and a folder in one line each', async () => {
    await expect(readInputFile(join(folder, 'missing.mid'), 'a MIDI file')).rejects.toThrow(
      /missing\.mid: no such file; check the path/,
    );
    await expect(readInputFile(folder, 'a MIDI file')).rejects.toThrow(/is a folder; give a MIDI file/);
  });
});

describe('writing into special files', () => {
  it('writes into /dev/null and leaves it a device, never renaming over it', async () => {
    await writeFileAtomic('/dev/null', 'MThd', { overwrite: true });
    await writeFileAtomic('/dev/null', 'MThd');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(targetKind('/dev/null')).toBe('special');
    expect(() => checkCanCreate('/dev/null', false)).not.toThrow();
  });

  it.runIf(process.platform === 'linux')(
    'writes into a FIFO, which stays a FIFO, for a reader at its other end',
    async () => {
      const fifo = join(folder, 'out.mid');
      execFileSync('mkfifo', [fifo]);
      const reader = new Promise<string>((resolve) => {
        const chunks: Buffer[] = [];
        createReadStream(fifo)
          .on('data', (chunk) => chunks.push(chunk as Buffer))
          .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      });
      await writeFileAtomic(fifo, 'MThd and the rest');
      expect(await reader).toBe('MThd and the rest');
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(readdirSync(folder)).toEqual(['out.mid']);
    },
  );

  it('a link to a regular file stays a link; the file it points to is replaced', async () => {
    writeFileSync(join(folder, 'real.mid'), 'old');
    symlinkSync(join(folder, 'real.mid'), join(folder, 'link.mid'));
    await writeFileAtomic(join(folder, 'link.mid'), 'new', { overwrite: true });
    expect(lstatSync(join(folder, 'link.mid')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(folder, 'real.mid'), 'utf8')).toBe('new');
  });
});

describe('creating outputs exclusively', () => {
  it('never replaces a file that appeared, without overwrite, and leaves no temporary', async () => {
    const target = join(folder, 'take.mid');
    writeFileSync(target, 'theirs');
    await expect(writeFileAtomic(target, 'ours')).rejects.toBeInstanceOf(OutputExistsError);
    expect(readFileSync(target, 'utf8')).toBe('theirs');
    expect(readdirSync(folder)).toEqual(['take.mid']);
    await writeFileAtomic(target, 'ours', { overwrite: true });
    expect(readFileSync(target, 'utf8')).toBe('ours');
  });

  it('of two writers of one new file at once, exactly one succeeds', async () => {
    const target = join(folder, 'race.mid');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => writeFileAtomic(target, `writer ${i}`)),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(readdirSync(folder)).toEqual(['race.mid']);
  });

  it('a folder named as output is a one-line error, with or without --force', async () => {
    expect(() => checkCanCreate(folder, true)).toThrow(/it is a folder; give a file name/);
    await expect(writeFileAtomic(folder, 'x', { overwrite: true })).rejects.toThrow(/it is a folder/);
  });
});

describe('bounded reads', () => {
  it('refuses an input past the limit, from a file or an endless device, in one line', async () => {
    writeFileSync(join(folder, 'big.mid'), Buffer.alloc(4096));
    await expect(readInputFile(join(folder, 'big.mid'), 'a MIDI file', { limit: 1000 })).rejects.toThrow(
      /big\.mid: larger than 1000 bytes, the most jam reads of one input/,
    );
    await expect(readInputFile('/dev/zero', 'a MIDI file', { limit: 3 * 1024 * 1024 })).rejects.toThrow(
      /\/dev\/zero: larger than 3 MiB/,
    );
  });

  it('a stop signal ends a read that waits for ever (a FIFO no one writes to)', async () => {
    const fifo = join(folder, 'silent');
    execFileSync('mkfifo', [fifo]);
    // A writer that opens the FIFO and never writes, so the read blocks.
    const writer = spawn('sh', ['-c', `exec 3>"${fifo}"; sleep 5`]);
    const stop = new AbortController();
    setTimeout(() => stop.abort(new DOMException('SIGTERM', 'AbortError')), 200);
    await expect(readInputFile(fifo, 'a MIDI file', { signal: stop.signal })).rejects.toThrow(
      /silent: not read to its end: stopped \(SIGTERM\)/,
    );
    writer.kill();
  });
});
