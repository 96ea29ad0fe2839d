import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIO_EXTENSIONS, expandInputs, parsePathList } from '../../src/batch/inputs.js';
import { JamError } from '../../src/errors.js';

let root: string;
const at = (file: string) => join(root, file);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'jam-inputs-'));
  for (const file of [
    'takes/b.wav',
    'takes/a.WAV',
    'takes/day2/c.flac',
    'takes/day2/deep/d.mp3',
    'takes/notes.txt',
    'takes/.hidden.wav',
    'takes/.cache/e.wav',
    'takes/day2/.f.mid.0123abcd.partial',
  ]) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), 'x');
  }
  mkdirSync(at('empty'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('expandInputs', () => {
  it('finds the audio below a folder, sorted by path, each with its path relative to the folder; hidden files and others are left out', async () => {
    const { inputs, batch } = await expandInputs([at('takes')], AUDIO_EXTENSIONS);
    expect(batch).toBe(true);
    expect(inputs.map((input) => input.relative)).toEqual(['a.WAV', 'b.wav', 'day2/c.flac', 'day2/deep/d.mp3']);
    expect(inputs[2].path).toBe(at('takes/day2/c.flac'));
  });

  it('follows linked folders, each real folder once, so a link back up the tree does not go round', async () => {
    const linked = at('linked');
    mkdirSync(join(linked, 'set'), { recursive: true });
    writeFileSync(join(linked, 'set/g.wav'), 'x');
    symlinkSync(linked, join(linked, 'set/back-up'));
    symlinkSync(at('takes/day2'), join(linked, 'day2'));
    const { inputs } = await expandInputs([linked], AUDIO_EXTENSIONS);
    expect(inputs.map((input) => input.relative)).toEqual(['day2/c.flac', 'day2/deep/d.mp3', 'set/g.wav']);
    const matched = await expandInputs([`${linked}/**/*.wav`], AUDIO_EXTENSIONS);
    expect(matched.inputs.map((input) => input.relative)).toEqual(['set/g.wav']);
  });

  it("matches a glob pattern, relative to the pattern's fixed part", async () => {
    const { inputs, batch } = await expandInputs([`${root}/takes/**/*.{flac,mp3}`], AUDIO_EXTENSIONS);
    expect(batch).toBe(true);
    expect(inputs.map((input) => input.relative)).toEqual(['day2/c.flac', 'day2/deep/d.mp3']);
  });

  it('a pattern that matches nothing is a usage error (exit 2) naming it', async () => {
    const error = await expandInputs([`${root}/takes/**/*.ogg`], AUDIO_EXTENSIONS).catch((caught) => caught);
    expect(error).toBeInstanceOf(JamError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/\*\*\/\*\.ogg: no files match this pattern; .*quote it/);
  });

  it('keeps a file named twice (by a folder and by name) once, where it first came', async () => {
    const { inputs } = await expandInputs([at('takes/b.wav'), at('takes'), at('takes/day2/c.flac')], AUDIO_EXTENSIONS);
    expect(inputs.map((input) => input.relative)).toEqual(['b.wav', 'a.WAV', 'day2/c.flac', 'day2/deep/d.mp3']);
  });

  it('passes files, missing paths, standard input and empty folders through as they are, for reading them to say what is wrong', async () => {
    const { inputs, batch } = await expandInputs(
      [at('takes/b.wav'), at('missing.wav'), '-', at('empty')],
      AUDIO_EXTENSIONS,
    );
    expect(batch).toBe(false);
    expect(inputs).toEqual([
      { path: at('takes/b.wav'), relative: 'b.wav' },
      { path: at('missing.wav'), relative: 'missing.wav' },
      { path: '-', relative: '-' },
      { path: at('empty'), relative: 'empty' },
    ]);
  });

  it('listed paths (--from) mirror their path from the current folder when inside it, else their name', async () => {
    const { inputs, batch } = await expandInputs([], AUDIO_EXTENSIONS, ['takes/day2/c.flac', at('takes/b.wav')]);
    expect(batch).toBe(true);
    expect(inputs.map((input) => input.relative)).toEqual(['takes/day2/c.flac', 'b.wav']);
  });
});

describe('parsePathList', () => {
  it('takes one path per line, blank lines and surrounding spaces left out, Windows line ends too', () => {
    expect(parsePathList('a.wav\r\n\n  takes/b c.wav  \nd.flac')).toEqual(['a.wav', 'takes/b c.wav', 'd.flac']);
  });
});
