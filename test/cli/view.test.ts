/**
 * `jam view` end to end, through the real command line (bin/jam.js over dist/) in a child process: the
 * pictures it writes from MIDI, note JSON and audio, and how it refuses what it cannot draw.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { midiNotes } from '../../src/midi/read.js';
import { PNG_SCALE } from '../../src/render/rasterize.js';
import { midiToBytes, notesToMidi } from '../../src/midi/write.js';
import {
  FIXTURES,
  listFiles,
  runJam,
  type JamRun,
  expectOneLineError,
  lines,
  checkCompiledCli,
  lendWorkspace,
} from '../helpers/cli.js';
import { elementsOfClass, numberOf, parseSvg } from '../helpers/svg.js';

const TIMEOUT = 60_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** fixtures/chords.mid: C – Am – F – G – C, four notes each, 1 s long with 0.25 s gaps, at 120 bpm. */
const CHORDS_NOTES = 20;

beforeAll(checkCompiledCli);

class Workspace {
  constructor(readonly path: string) {}

  file(name: string): string {
    return join(this.path, name);
  }

  copyFixture(name: string): string {
    copyFileSync(join(FIXTURES, name), this.file(name));
    return name;
  }

  write(name: string, data: string | Uint8Array): string {
    writeFileSync(this.file(name), data);
    return name;
  }

  read(name: string): string {
    return readFileSync(this.file(name), 'utf8');
  }

  files(): string[] {
    return listFiles(this.path);
  }

  jam(args: string[]): Promise<JamRun> {
    return runJam(args, { cwd: this.path });
  }
}

const it = test.extend<{ work: Workspace }>({
  work: async ({}, use) => {
    const work = new Workspace(mkdtempSync(join(tmpdir(), 'jam-view-')));
    await lendWorkspace(work, use);
  },
});

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function notePitches(svg: string): number[] {
  return elementsOfClass(svg, 'note').map((note) => numberOf(note, 'data-pitch'));
}

describe.concurrent('jam view: MIDI files', { timeout: TIMEOUT }, () => {
  it('writes <stem>.svg beside the MIDI file: every note, bar lines, pitch names, titled with the file', async ({
    work,
  }) => {
    work.copyFixture('chords.mid');
    const run = await work.jam(['view', 'chords.mid']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('chords.svg\n');
    expect(work.files()).toEqual(['chords.mid', 'chords.svg']);
    const svg = work.read('chords.svg');
    expect(() => parseSvg(svg)).not.toThrow();
    const expected = midiNotes(readFileSync(work.file('chords.mid')), 'chords.mid');
    expect(notePitches(svg).sort()).toEqual(expected.map((note) => note.pitch).sort());
    expect(notePitches(svg)).toHaveLength(CHORDS_NOTES);
    // 6 s at 120 bpm in 4/4: bar lines at 0, 2 and 4 s, and the picture ends at 6 s with the last bar.
    expect(elementsOfClass(svg, 'bar-line')).toHaveLength(3);
    expect(elementsOfClass(svg, 'bar-number').map((label) => label.text)).toEqual(['1', '2', '3']);
    expect(elementsOfClass(svg, 'time-label').at(-1)?.text).toBe('6 s');
    expect(elementsOfClass(svg, 'pitch-label').map((label) => label.text)).toEqual(
      expect.arrayContaining(['B3', 'C4', 'E4', 'G4', 'C5']),
    );
    expect(elementsOfClass(svg, 'title')[0].text).toBe('chords.mid');
    // The analysis above the roll: the key, and a lane of chords.
    expect(elementsOfClass(svg, 'key')[0].text).toBe('Key: C major');
    expect(elementsOfClass(svg, 'chord').length).toBeGreaterThan(0);
  });

  it('--png writes a PNG too, at twice the SVG’s size', async ({ work }) => {
    work.copyFixture('chords.mid');
    const run = await work.jam(['view', 'chords.mid', '--png']);
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)).toEqual(['chords.svg', 'chords.png']);
    const { width, height } = parseSvg(work.read('chords.svg'));
    expect(pngSize(readFileSync(work.file('chords.png')))).toEqual({
      width: width * PNG_SCALE,
      height: height * PNG_SCALE,
    });
  });

  it('-o picture.png writes only the PNG; --width sets the picture’s width', async ({ work }) => {
    work.copyFixture('chords.mid');
    mkdirSync(work.file('pictures'));
    const run = await work.jam(['view', 'chords.mid', '-o', 'pictures/roll.png', '--width', '900']);
    expect(run.code, run.stderr).toBe(0);
    expect(work.files()).toEqual(['chords.mid', 'pictures/roll.png']);
    expect(pngSize(readFileSync(work.file('pictures/roll.png'))).width).toBe(900 * PNG_SCALE);
  });

  it('-o - writes the SVG to standard output', async ({ work }) => {
    work.copyFixture('chords.mid');
    const run = await work.jam(['view', 'chords.mid', '-o', '-']);
    expect(run.code, run.stderr).toBe(0);
    expect(notePitches(run.stdout)).toHaveLength(CHORDS_NOTES);
    expect(work.files()).toEqual(['chords.mid']);
  });

  it('--from and --to draw only that stretch', async ({ work }) => {
    work.copyFixture('chords.mid');
    // 2.6–3.4 s is inside the F chord: F4 A4 C5 over C4.
    const run = await work.jam(['view', 'chords.mid', '--from', '2.6', '--to', '3.4']);
    expect(run.code, run.stderr).toBe(0);
    expect(notePitches(work.read('chords.svg')).sort()).toEqual([60, 65, 69, 72]);
  });

  it('draws the pitch bends in the file', async ({ work }) => {
    work.copyFixture('bend.mid');
    const run = await work.jam(['view', 'bend.mid']);
    expect(run.code, run.stderr).toBe(0);
    // The C5 with the quarter-tone bend and the D5 with vibrato.
    expect(elementsOfClass(work.read('bend.svg'), 'bend').map((bend) => numberOf(bend, 'data-pitch'))).toEqual([
      72, 74,
    ]);
  });

  it('a MIDI file with drums only: exit 0, an empty roll, and a warning that says why', async ({ work }) => {
    const midi = notesToMidi([{ pitch: 36, start: 0, end: 0.5, velocity: 100 }]);
    midi.tracks[0].channel = 9;
    work.write('drums.mid', midiToBytes(midi));
    const run = await work.jam(['view', 'drums.mid']);
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stderr)).toEqual([
      'jam: warning: drums.mid: no pitched notes (drum tracks are left out); the picture is an empty roll',
    ]);
    const svg = work.read('drums.svg');
    expect(notePitches(svg)).toEqual([]);
    expect(elementsOfClass(svg, 'empty')[0].text).toBe('no notes');
  });
});

describe.concurrent('jam view: note JSON and audio', { timeout: TIMEOUT }, () => {
  it('draws the notes of a jam transcribe --json line', async ({ work }) => {
    const notes = midiNotes(readFileSync(join(FIXTURES, 'chords.mid')), 'chords.mid');
    work.write(
      'take.json',
      JSON.stringify({ input: 'take.wav', outputs: { midi: 'take.mid' }, duration: 6.5, seconds: 1, notes }) + '\n',
    );
    const run = await work.jam(['view', 'take.json']);
    expect(run.code, run.stderr).toBe(0);
    const svg = work.read('take.svg');
    expect(notePitches(svg)).toHaveLength(CHORDS_NOTES);
    // JSON carries no tempo: the key and chords stand on a beat grid estimated from the notes.
    expect(elementsOfClass(svg, 'key')[0].text).toBe('Key: C major');
    expect(elementsOfClass(svg, 'chord').length).toBeGreaterThan(0);
  });

  it('draws a plain array of notes, with bends, whatever the file is called', async ({ work }) => {
    work.write('notes.txt', JSON.stringify([{ pitch: 67, start: 0, end: 1, velocity: 90, bends: [0, 0.5, 0] }]));
    const run = await work.jam(['view', 'notes.txt']);
    expect(run.code, run.stderr).toBe(0);
    const svg = work.read('notes.svg');
    expect(notePitches(svg)).toEqual([67]);
    expect(elementsOfClass(svg, 'bend')).toHaveLength(1);
  });

  it('transcribes audio first: fixtures/chords.wav shows the chords’ notes', async ({ work }) => {
    work.copyFixture('chords.wav');
    const run = await work.jam(['view', 'chords.wav', '--png']);
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)).toEqual(['chords.svg', 'chords.png']);
    const pitches = new Set(notePitches(work.read('chords.svg')));
    for (const pitch of [59, 60, 62, 64, 65, 67, 69, 71, 72]) expect(pitches).toContain(pitch);
    pngSize(readFileSync(work.file('chords.png')));
  });
});

describe.concurrent('jam view: what it refuses', { timeout: TIMEOUT }, () => {
  const cases: Array<{ what: string; make: (work: Workspace) => string; hint: RegExp }> = [
    { what: 'a missing file', make: () => 'missing.mid', hint: /no such file; check the path/ },
    {
      what: 'a directory',
      make: (work) => {
        mkdirSync(work.file('songs'));
        return 'songs';
      },
      hint: /is a directory; give a MIDI file, note JSON .*or audio/,
    },
    { what: 'an empty file', make: (work) => work.write('empty.mid', ''), hint: /the file is empty/ },
    {
      what: 'a text file named .mid',
      make: (work) => work.write('notes.mid', 'C E G\n'),
      hint: /not a MIDI file \(it does not start with "?MThd"?\)/,
    },
    {
      what: 'a truncated MIDI file',
      make: (work) => {
        const bytes = readFileSync(join(FIXTURES, 'chords.mid'));
        return work.write('cut.mid', bytes.subarray(0, bytes.length - 40));
      },
      hint: /the MIDI file is truncated \(track 2 promises \d+ bytes, \d+ are there\); export or copy it again/,
    },
    {
      what: 'a format 2 MIDI file',
      make: (work) => {
        const bytes = Buffer.from(readFileSync(join(FIXTURES, 'chords.mid')));
        bytes.writeUInt16BE(2, 8);
        return work.write('sequences.mid', bytes);
      },
      hint: /a format 2 MIDI file .*; export it as format 0 or 1/,
    },
    {
      what: 'broken JSON',
      make: (work) => work.write('take.json', '{"notes": [\n'),
      hint: /not valid JSON .*give the output of jam transcribe --json/,
    },
    {
      what: 'a JSON note without a pitch',
      make: (work) => work.write('take.json', '[{"start": 0, "end": 1, "velocity": 80}]'),
      hint: /note 1 .*is not a note/,
    },
    {
      what: 'a file that is neither MIDI, JSON nor audio',
      make: (work) => work.write('notes.wav', 'These are not the samples you are looking for.\n'),
      hint: /not an audio file jam can read/,
    },
  ];

  it.for(cases)('$what: exit 1, one line naming it, no picture', async ({ make, hint }, { work }) => {
    const input = make(work);
    const before = work.files();
    const run = await work.jam(['view', input]);
    expectOneLineError(run, 1, input, hint);
    expect(work.files()).toEqual(before);
  });

  it('an existing picture without --force: exit 1, the picture untouched; with --force it is replaced', async ({
    work,
  }) => {
    work.copyFixture('chords.mid');
    work.write('chords.svg', 'mine');
    const refused = await work.jam(['view', 'chords.mid']);
    expectOneLineError(refused, 1, 'chords.svg', /already exists; use --force to overwrite it/);
    expect(work.read('chords.svg')).toBe('mine');
    const forced = await work.jam(['view', 'chords.mid', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(notePitches(work.read('chords.svg'))).toHaveLength(CHORDS_NOTES);
  });

  it('an existing PNG stops the SVG too, before any work', async ({ work }) => {
    work.copyFixture('chords.mid');
    work.write('chords.png', 'mine');
    const run = await work.jam(['view', 'chords.mid', '--png']);
    expectOneLineError(run, 1, 'chords.png', /already exists/);
    expect(work.files()).toEqual(['chords.mid', 'chords.png']);
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['an output that is neither .svg nor .png', ['-o', 'roll.pdf'], /-o roll\.pdf: name the picture \.svg or \.png/],
    ['--to before --from', ['--from', '3', '--to', '2'], /--to 2 is not after --from 3/],
    ['a negative --from', ['--from', '-1'], /--from -1: give a time in seconds, 0 or more/],
    ['a width too small to draw', ['--width', '50'], /--width 50: give a width in pixels from 480 to 20000/],
    ['--png with -o -', ['-o', '-', '--png'], /-o - writes the SVG to standard output/],
  ];
  it.for(usage)('%s: exit 2, one line', async ([, args, hint], { work }) => {
    work.copyFixture('chords.mid');
    const run = await work.jam(['view', 'chords.mid', ...args]);
    expectOneLineError(run, 2, args[0] === '--width' || args[0] === '-o' ? args[0] : '--', hint);
    expect(work.files()).toEqual(['chords.mid']);
  });
});
