import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInputFile, readWholeFile } from '../src/files.js';

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
