/**
 * `jam pack` end to end, through the real command line: one key pair's folder written for real, and every
 * file in it read back and checked against what its path says (the key from the folders, the chords from
 * the file name), then the refusals: no overwriting without --force, bad folders, bad keys.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mode, Note } from 'tonal';
import { beforeAll, describe, expect, test } from 'vitest';
import { RHYTHM_STYLES } from '../../src/theory/progression/rhythm.js';
import { PROGRESSIONS } from '../../src/theory/progression/data/progressions.js';
import { parseMusicalKey, parseProgression, type MusicalKey } from '../../src/theory/progression/parse.js';
import { listFiles, runJam, type JamRun, checkCompiledCli } from '../helpers/cli.js';
import { chordPitchClasses, chordSegments, keySignatureIn, readMidi } from '../app/chordSegments.js';

const STACK_LINE = /^\s+at /m;
/** The modes' names in tonal, and where each one's tonic lies on the major scale of its folder. */
const TONAL_MODE: Record<string, string> = {
  major: 'ionian',
  minor: 'aeolian',
  dorian: 'dorian',
  phrygian: 'phrygian',
  lydian: 'lydian',
  mixolydian: 'mixolydian',
  locrian: 'locrian',
};
const ONE_FOLDER_FILES = 15 + 25 + 56 + PROGRESSIONS.length * RHYTHM_STYLES.length;

beforeAll(checkCompiledCli);

const it = test.extend<{ work: { path: string; jam: (args: string[]) => Promise<JamRun>; files: () => string[] } }>({
  work: async ({}, use) => {
    const path = mkdtempSync(join(tmpdir(), 'jam-pack-'));
    try {
      await use({ path, jam: (args) => runJam(['pack', ...args], { cwd: path }), files: () => listFiles(path) });
      expect(listFiles(path).filter((file) => file.endsWith('.partial'))).toEqual([]);
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
  },
});

function expectOneLineError(run: JamRun, code: number, hint: RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr.split('\n').filter(Boolean), run.stderr).toHaveLength(1);
  expect(run.stderr).toMatch(hint);
  expect(run.stderr).not.toMatch(STACK_LINE);
  expect(run.stdout).toBe('');
}

/** The key signature a scale's own spelling gives: its sharps minus its flats; minor for minor keys (modes are written as their parent major). */
function signatureOfScale(key: MusicalKey): { accidentals: number; minor: boolean } {
  const accidentals = Mode.notes(TONAL_MODE[key.mode], key.tonic).reduce(
    (sum, note) => sum + (Note.get(note).alt ?? 0),
    0,
  );
  return { accidentals, minor: key.mode === 'minor' };
}

/** What a pack file's path says it holds: its key, and its chords (written as the name writes them). */
function whatThePathSays(file: string): { key: MusicalKey; chords: string } {
  const [pairFolder, section, ...rest] = file.split('/');
  const majorTonic = pairFolder.split(' ')[0];
  const name = rest[rest.length - 1].replace(/\.mid$/, '');
  if (section === '4 Progressions') {
    const mode = rest[0].toLowerCase();
    return {
      key: { tonic: Mode.relativeTonic(TONAL_MODE[mode], 'ionian', majorTonic), mode: mode as MusicalKey['mode'] },
      chords: name,
    };
  }
  if (section === '3 Other chords') return { key: { tonic: majorTonic, mode: 'major' }, chords: name };
  // 1 Triads/<key>/<numeral> - <symbol>: the numeral must be the symbol in the key.
  const [numeral, symbol] = name.split(' - ');
  const key = parseMusicalKey(rest[0]);
  expect(parseProgression(numeral, { key }).chords[0].symbol, file).toBe(symbol);
  return { key, chords: symbol };
}

describe.concurrent('jam pack', () => {
  it('--keys C: one folder, every file holding exactly the chords its path names, in its key; written again only with --force', async ({
    work,
  }) => {
    const run = await work.jam(['--out', 'pack', '--keys', 'C']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^pack: ${ONE_FOLDER_FILES} MIDI files in \\d+\\.\\d s\\n$`));
    const files = listFiles(join(work.path, 'pack'));
    expect(files).toHaveLength(ONE_FOLDER_FILES);
    expect(files).toContain('C major – A minor/4 Progressions/Major/pop/I-V-vi-IV.mid');
    const problems: string[] = [];
    for (const file of files) {
      const { key, chords } = whatThePathSays(file);
      const midi = readMidi(readFileSync(join(work.path, 'pack', file)));
      const expected = parseProgression(chords, { key }).chords.map((chord) => chord.symbol);
      const segments = chordSegments(midi);
      if (segments.map((segment) => segment.marker).join(' ') !== expected.join(' '))
        problems.push(`${file}: markers ${segments.map((s) => s.marker)}`);
      for (const segment of segments) {
        if (segment.pitchClasses.join() !== chordPitchClasses(segment.marker).join() || segment.spilling > 0)
          problems.push(`${file}: ${segment.marker} sounds ${segment.pitchClasses}`);
      }
      if (JSON.stringify(keySignatureIn(midi)) !== JSON.stringify(signatureOfScale(key)))
        problems.push(`${file}: key signature ${JSON.stringify(keySignatureIn(midi))}`);
    }
    expect(problems).toEqual([]);

    // Again: nothing is overwritten without --force, and --force rewrites; --json reports the count.
    const probe = join(work.path, 'pack', 'C major – A minor', '1 Triads', 'C major', 'I - C.mid');
    writeFileSync(probe, 'mine');
    const refused = await work.jam(['--out', 'pack', '--keys', 'Am']);
    expectOneLineError(
      refused,
      1,
      /^jam: pack\/C major – A minor\/.*\.mid and \d+ other pack files already exist; use --force to overwrite them/,
    );
    expect(readFileSync(probe, 'utf8')).toBe('mine');
    const forced = await work.jam(['--out', 'pack', '--keys', 'Am', '--force', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ out: 'pack', files: ONE_FOLDER_FILES });
    expect(readFileSync(probe).subarray(0, 4).toString('latin1')).toBe('MThd');
  });

  it('refuses a file where the folder should be, a missing --out, and keys that name no folder', async ({ work }) => {
    writeFileSync(join(work.path, 'blocker'), 'a file');
    expectOneLineError(
      await work.jam(['--out', 'blocker', '--keys', 'C']),
      1,
      /--out blocker: not a folder \(a file is in the way\); choose another/,
    );
    expectOneLineError(
      await work.jam(['--out', 'blocker/pack', '--keys', 'C']),
      1,
      /--out blocker\/pack: not a folder \(a file is in the way\); choose another/,
    );
    expectOneLineError(await work.jam([]), 2, /give the folder to write the pack to, e\.g\. jam pack --out chord-pack/);
    expectOneLineError(
      await work.jam(['--out', 'pack', '--keys', 'H']),
      2,
      /--keys: unknown key "H": did you mean B\?/,
    );
    expect(statSync(join(work.path, 'blocker')).isFile()).toBe(true);
    expect(work.files()).toEqual(['blocker']);
  });
});
