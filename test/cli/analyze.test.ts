/**
 * `jam analyze` end to end, through the real command line (bin/jam.js over dist/) in a child process:
 * the table, --json, .lab output, output files, --annotate, the inputs it takes (MIDI, note JSON, standard
 * input, audio), and one-line errors for the inputs it cannot use.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ToneMidi from '@tonejs/midi';
import { beforeAll, describe, expect, test } from 'vitest';
import { midiToBytes, notesToMidi } from '../../src/midi/write.js';
import { chordScores } from '../../src/theory/analysis/evaluate.js';
import { formatLab, parseLab } from '../../src/theory/analysis/lab.js';
import type { NoteEvent } from '../../src/types.js';
import {
  FIXTURES,
  listFiles,
  runJam,
  type JamRun,
  lines,
  STACK_LINE,
  checkCompiledCli,
  lendWorkspace,
} from '../helpers/cli.js';
import { progression } from '../theory/progression/progressions.js';

const { Midi } = ToneMidi;

/** Per test; the audio case loads the transcription model. */
const TIMEOUT = 60_000;

beforeAll(checkCompiledCli);

class Workspace {
  constructor(readonly path: string) {}

  file(name: string): string {
    return join(this.path, name);
  }

  write(name: string, data: Uint8Array | string): string {
    writeFileSync(this.file(name), data);
    return name;
  }

  /** A MIDI file of a generated progression (C major unless told), and its reference .lab beside it. */
  song(name = 'song.mid', tonic = 'C', mode: 'major' | 'minor' = 'major'): string {
    const piece = progression(tonic, mode, 'block');
    this.write(name.replace(/\.mid$/, '.ref.lab'), formatLab(piece.labels));
    return this.write(name, midiToBytes(notesToMidi(piece.notes, { tempo: 120 })));
  }

  /** one.mid (E minor), two.mid (Bb major) and bad.mid, which is not a MIDI file, in `folder`. */
  songsAndABadFile(folder = '.'): void {
    mkdirSync(this.file(folder), { recursive: true });
    this.song(join(folder, 'one.mid'), 'E', 'minor');
    this.song(join(folder, 'two.mid'), 'Bb');
    this.write(join(folder, 'bad.mid'), 'not a MIDI file');
  }

  files(): string[] {
    return listFiles(this.path);
  }

  jam(args: string[], input?: Buffer | string): Promise<JamRun> {
    return runJam(args, { cwd: this.path, input, timeout: TIMEOUT });
  }
}

const it = test.extend<{ work: Workspace }>({
  work: async ({}, use) => {
    const work = new Workspace(mkdtempSync(join(tmpdir(), 'jam-analyze-')));
    await lendWorkspace(work, use);
  },
});

function expectOneLineError(run: JamRun, code: number, name: string, hint: RegExp): void {
  const stderr = lines(run.stderr);
  expect(run.code, run.stderr).toBe(code);
  expect(stderr, run.stderr).toHaveLength(1);
  expect(stderr[0]).toMatch(/^jam: /);
  expect(stderr[0]).toContain(name);
  expect(stderr[0]).toMatch(hint);
  expect(run.stderr).not.toMatch(STACK_LINE);
}

/** A format-1 MIDI file with one track on `channel` holding `notes`. */
function midiOnChannel(notes: NoteEvent[], channel: number): Uint8Array {
  const midi = new Midi();
  const track = midi.addTrack();
  track.channel = channel;
  for (const note of notes)
    track.addNote({
      midi: note.pitch,
      time: note.start,
      duration: note.end - note.start,
      velocity: note.velocity / 127,
    });
  return midi.toArray();
}

describe.concurrent('jam analyze: outputs', { timeout: TIMEOUT }, () => {
  it('prints a table of bars, chords, numerals and keys', async ({ work }) => {
    const run = await work.jam(['analyze', work.song()]);
    expect(run.code, run.stderr).toBe(0);
    const [heading, columns, ...rows] = lines(run.stdout);
    expect(heading).toMatch(/^song\.mid: C major \(confidence [01]\.\d\d\), 120 bpm 4\/4, 0:16\.0$/);
    expect(columns.split(/\s+/).filter(Boolean)).toEqual(['bar', 'time', 'chord', 'numeral', 'key']);
    expect(rows.map((row) => row.trim().split(/\s+/).slice(0, 4))).toEqual([
      ['1.1', '0:00.0', 'C', 'I'],
      ['2.1', '0:02.0', 'Am', 'vi'],
      ['3.1', '0:04.0', 'F', 'IV'],
      ['4.1', '0:06.0', 'G', 'V'],
      ['5.1', '0:08.0', 'C', 'I'],
      ['6.1', '0:10.0', 'Dm7', 'ii7'],
      ['7.1', '0:12.0', 'G7', 'V7'],
      ['8.1', '0:14.0', 'Cmaj7', 'Imaj7'],
    ]);
    expect(rows[0]).toMatch(/C major$/);
    expect(run.stderr).toBe('');
  });

  it('prints one JSON line per input, and goes on past an input it cannot read', async ({ work }) => {
    work.songsAndABadFile();
    const run = await work.jam(['analyze', 'one.mid', 'bad.mid', 'two.mid', '--json']);
    expect(run.code).toBe(1);
    const results = lines(run.stdout).map((line) => JSON.parse(line));
    expect(results.map((result) => [result.input, result.key?.name ?? result.error])).toEqual([
      ['one.mid', 'E minor'],
      ['bad.mid', 'bad.mid: not a MIDI file (it does not start with "MThd"); give a Standard MIDI File'],
      ['two.mid', 'Bb major'],
    ]);
    expect(results[0].chords[0]).toMatchObject({
      symbol: 'Em',
      label: 'E:min',
      numeral: 'i',
      role: 'diatonic',
      key: 'E minor',
      bar: 1,
      beat: 1,
    });
    expect(results[0].grid).toMatchObject({ tempo: 120, meter: [4, 4], estimated: false });
    expect(lines(run.stderr)).toEqual([
      'jam: bad.mid: not a MIDI file (it does not start with "MThd"); give a Standard MIDI File',
      'jam: warning: 1 of 3 inputs failed',
    ]);
  });

  it("with --json and --out-dir, writes each analysis to its file and prints each input's record, a failure's too, then a summary", async ({
    work,
  }) => {
    work.songsAndABadFile('set');
    const run = await work.jam(['analyze', 'set', '--out-dir', 'out', '--json']);
    expect(run.code).toBe(1);
    const records = lines(run.stdout).map((line) => JSON.parse(line));
    expect(
      records.map((record) => [record.input, record.status, record.key ?? null, record.outputs?.json ?? null]),
    ).toEqual([
      [join('set', 'bad.mid'), 'failed', null, null],
      [join('set', 'one.mid'), 'done', 'E minor', join('out', 'one.json')],
      [join('set', 'two.mid'), 'done', 'Bb major', join('out', 'two.json')],
      [undefined, undefined, null, null],
    ]);
    expect(records[3].summary).toMatchObject({ files: 3, done: 2, failed: 1 });
    expect(JSON.parse(readFileSync(work.file('out/one.json'), 'utf8')).key.name).toBe('E minor');
  });

  it('writes MIREX .lab chords that jam eval scores against the reference', async ({ work }) => {
    const run = await work.jam(['analyze', work.song(), '--format', 'lab']);
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)[0]).toBe('0.000000 2.000000 C:maj');
    const scores = chordScores(
      parseLab(readFileSync(work.file('song.ref.lab'), 'utf8'), 'ref'),
      parseLab(run.stdout, 'est'),
    );
    expect(scores).toMatchObject({ root: 1, majmin: 1, sevenths: 1 });
    work.write('song.lab', run.stdout);
    const scored = await work.jam(['eval', 'chords', 'song.ref.lab', 'song.lab']);
    expect(scored.stdout).toBe('root 1.000  majmin 1.000  sevenths 1.000  (over 16.0 s)\n');
  });

  it('writes results to -o or --out-dir atomically, and never over a file without --force', async ({ work }) => {
    work.song('a.mid');
    work.song('b.mid', 'G');
    expect((await work.jam(['analyze', 'a.mid', '-o', 'a.txt'])).code).toBe(0);
    expect(readFileSync(work.file('a.txt'), 'utf8')).toMatch(/^a\.mid: C major/);
    const again = await work.jam(['analyze', 'a.mid', '-o', 'a.txt']);
    expectOneLineError(again, 1, 'a.txt', /already exists; use --force/);
    expect((await work.jam(['analyze', 'a.mid', '-o', 'a.txt', '--force', '--format', 'lab'])).code).toBe(0);
    expect(readFileSync(work.file('a.txt'), 'utf8')).toMatch(/^0\.000000 2\.000000 C:maj\n/);
    const many = await work.jam(['analyze', 'a.mid', 'b.mid', '--out-dir', 'labs', '--format', 'lab']);
    expect(many.code, many.stderr).toBe(0);
    expect(many.stdout).toBe('');
    expect(work.files().filter((file) => file.startsWith('labs'))).toEqual(['labs/a.lab', 'labs/b.lab']);
    expect(readFileSync(work.file('labs/b.lab'), 'utf8')).toMatch(/^0\.000000 2\.000000 G:maj\n/);
  });

  it('writes a copy of the MIDI file with chord markers and the key signature', async ({ work }) => {
    const run = await work.jam(['analyze', work.song('song.mid', 'A', 'minor'), '--annotate', 'marked.mid', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const marked = new Midi(readFileSync(work.file('marked.mid')));
    expect(marked.header.meta.filter((event) => event.type === 'marker').map((event) => event.text)).toEqual([
      'Am',
      'Dm',
      'E',
      'Am',
      'F',
      'C',
      'E7',
      'Am',
    ]);
    expect(marked.header.keySignatures).toEqual([{ key: 'C', scale: 'minor', ticks: 0 }]);
    expect(marked.tracks.flatMap((track) => track.notes).length).toBe(
      new Midi(readFileSync(work.file('song.mid'))).tracks.flatMap((track) => track.notes).length,
    );
  });

  it('analyses note JSON, from a file or standard input, on beats found in the notes', async ({ work }) => {
    const notes = progression('D', 'major', 'arpeggio').notes;
    work.write('take.json', JSON.stringify({ input: 'take.wav', notes }));
    const fromFile = await work.jam(['analyze', 'take.json', '--json']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const analysis = JSON.parse(fromFile.stdout);
    expect(analysis.key.name).toBe('D major');
    expect(analysis.grid.estimated).toBe(true);
    expect(Math.abs(analysis.grid.tempo - 120)).toBeLessThan(3);
    expect(analysis.chords.map((chord: { symbol: string }) => chord.symbol).slice(0, 4)).toEqual(['D', 'Bm', 'G', 'A']);
    const fromStdin = await work.jam(['analyze', '-', '--json'], JSON.stringify(notes));
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({ input: '-', key: { name: 'D major' } });
  });

  it('transcribes audio first, then analyses it as it does the MIDI file it was rendered from', async ({ work }) => {
    // fixtures/chords.wav is fixtures/chords.mid played: C – Am – F – G – C in close voicings, no bass part.
    writeFileSync(work.file('chords.wav'), readFileSync(join(FIXTURES, 'chords.wav')));
    writeFileSync(work.file('chords.mid'), readFileSync(join(FIXTURES, 'chords.mid')));
    const [audio, midi] = await Promise.all([
      work.jam(['analyze', 'chords.wav', '--json']),
      work.jam(['analyze', 'chords.mid', '--json']),
    ]);
    expect(audio.code, audio.stderr).toBe(0);
    const [fromAudio, fromMidi] = [audio, midi].map((run) => JSON.parse(run.stdout));
    expect(fromAudio.grid).toMatchObject({ estimated: true, meter: [4, 4] });
    expect(Math.abs(fromAudio.grid.tempo - 120)).toBeLessThan(3);
    expect(fromAudio.key.name).toBe('C major');
    const roots = (analysis: { chords: Array<{ root: string | null }> }) =>
      analysis.chords.map((chord) => chord.root).filter((root) => root !== null);
    // The chords start every two and a half beats, off the beat half the time; the Am is voiced C–E–A–C.
    expect(roots(fromAudio)).toEqual(['C', 'A', 'F', 'G', 'C']);
    expect(roots(fromAudio)).toEqual(roots(fromMidi));
  });
});

describe.concurrent('jam analyze: inputs it cannot use, and honest N timelines', { timeout: TIMEOUT }, () => {
  it('refuses a file that is not MIDI but is named .mid', async ({ work }) => {
    work.write('notes.mid', 'C E G\n');
    expectOneLineError(
      await work.jam(['analyze', 'notes.mid']),
      1,
      'notes.mid',
      /not a MIDI file \(it does not start with "MThd"\); give a Standard MIDI File/,
    );
  });

  it('refuses a truncated MIDI file', async ({ work }) => {
    const whole = readFileSync(work.file(work.song()));
    work.write('cut.mid', whole.subarray(0, Math.floor(whole.length / 2)));
    expectOneLineError(
      await work.jam(['analyze', 'cut.mid']),
      1,
      'cut.mid',
      /the MIDI file is truncated \(track \d+ promises \d+ bytes, \d+ are there\); export or copy it again/,
    );
  });

  it('refuses a format 2 MIDI file', async ({ work }) => {
    const bytes = Uint8Array.from(readFileSync(work.file(work.song())));
    bytes[9] = 2;
    work.write('patterns.mid', bytes);
    expectOneLineError(
      await work.jam(['analyze', 'patterns.mid']),
      1,
      'patterns.mid',
      /format 2 MIDI file .*export it as format 0 or 1/,
    );
  });

  it('refuses an unknown key profile and conflicting outputs as usage errors', async ({ work }) => {
    work.song();
    expectOneLineError(
      await work.jam(['analyze', 'song.mid', '--profile', 'bach']),
      2,
      '--profile bach',
      /no such key profile; choose one of krumhansl-kessler, temperley, temperley-de-clercq, albrecht-shanahan/,
    );
    expectOneLineError(await work.jam(['analyze', 'song.mid', '--json', '--format', 'lab']), 2, '--json', /choose one/);
    expectOneLineError(await work.jam(['analyze', 'song.mid', 'song.mid', '-o', 'x.txt']), 2, '-o', /use --out-dir/);
  });

  it('gives a MIDI file without notes no key and no chords, with a warning', async ({ work }) => {
    work.write('empty.mid', new Midi().toArray());
    const run = await work.jam(['analyze', 'empty.mid', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ key: null, keyChanges: [], chords: [], notes: 0 });
    expect(lines(run.stderr)).toEqual([
      'jam: warning: empty.mid: no notes to analyse (drums are left out); the chords are all N',
    ]);
  });

  it('leaves out the drums (channel 10): drums alone are an N timeline over their length', async ({ work }) => {
    const beat = Array.from({ length: 16 }, (_, i) => ({
      pitch: i % 2 ? 38 : 36,
      start: i * 0.5,
      end: i * 0.5 + 0.1,
      velocity: 100,
    }));
    work.write('drums.mid', midiOnChannel(beat, 9));
    const run = await work.jam(['analyze', 'drums.mid', '--format', 'lab']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('0.000000 7.600000 N\n');
    expect(run.stderr).toMatch(/no notes to analyse \(drums are left out\)/);
    // With a piano on top, the drums change nothing.
    const piano = progression('F', 'major', 'block').notes;
    const both = new Midi(midiOnChannel(piano, 0));
    both.tracks.push(new Midi(midiOnChannel(beat, 9)).tracks[0]);
    work.write('band.mid', both.toArray());
    work.write('piano.mid', midiOnChannel(piano, 0));
    const [band, alone] = await Promise.all([
      work.jam(['analyze', 'band.mid', '--format', 'lab']),
      work.jam(['analyze', 'piano.mid', '--format', 'lab']),
    ]);
    expect(band.stdout).toBe(alone.stdout);
  });
});
