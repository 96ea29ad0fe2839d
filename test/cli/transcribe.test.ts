/**
 * `jam transcribe` end to end, through the real command line (bin/jam.js over dist/) in a child process:
 * exit codes, the one-line `jam:` messages, and the files left behind. A real transcription costs about
 * 2 s (mostly loading the model), so only a handful of tests run one; the error cases stop before it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ToneMidi from '@tonejs/midi';
import { beforeAll, describe, expect, test } from 'vitest';
import { requireTool } from '../helpers/tools.js';
import { encodeWav } from '../../src/audio/wav.js';
import {
  FIXTURES,
  listFiles,
  ROOT,
  runJam,
  type JamRun,
  expectOneLineError,
  lines,
  STACK_LINE,
  checkCompiledCli,
  lendWorkspace,
} from '../helpers/cli.js';

const { Midi } = ToneMidi;

/** Per test: a transcription takes about 2 s alone, but several run at once here, on CI machines that may be slow. */
const TIMEOUT = 60_000;
const SAMPLE_RATE = 22050;
const HAS_FFMPEG = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
/** The C major scale from C4 to C5 in fixtures/scale.wav. */
const SCALE_PITCHES = [60, 62, 64, 65, 67, 69, 71, 72];

beforeAll(checkCompiledCli);

function sine(seconds: number, frequency = 440, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * SAMPLE_RATE) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / SAMPLE_RATE),
  );
}

/** A fresh temporary folder for one test, where jam runs and its inputs are made. */
class Workspace {
  constructor(readonly path: string) {}

  file(name: string): string {
    return join(this.path, name);
  }

  writeWav(name: string, samples: Float32Array): string {
    writeFileSync(this.file(name), encodeWav([samples], SAMPLE_RATE));
    return name;
  }

  /** A half-second A4: the cheapest input that transcribes to a note. */
  tone(name = 'tone.wav'): string {
    return this.writeWav(name, sine(0.5));
  }

  copyFixture(name: string): string {
    copyFileSync(join(FIXTURES, name), this.file(name));
    return name;
  }

  /** Every file in the folder, relative paths, sorted. */
  files(): string[] {
    return listFiles(this.path);
  }

  jam(args: string[], input?: Buffer | string, env?: NodeJS.ProcessEnv): Promise<JamRun> {
    return runJam(args, { cwd: this.path, input, env });
  }
}

/** Tests get their own workspace (so they can run concurrently); afterwards no `.partial` file may be left. */
const it = test.extend<{ work: Workspace }>({
  work: async ({}, use) => {
    const work = new Workspace(mkdtempSync(join(tmpdir(), 'jam-cli-')));
    await lendWorkspace(work, use);
  },
});

/** The failure a user should see: the exit code, and one `jam:` line naming `name`, with a hint, no stack. */

function readMidi(bytes: Buffer): InstanceType<typeof Midi> {
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('MThd');
  return new Midi(bytes);
}

function midiNotes(midi: InstanceType<typeof Midi>): Array<{ midi: number; time: number; duration: number }> {
  return midi.tracks.flatMap((track) => track.notes);
}

describe.concurrent('jam transcribe: inputs it cannot use', { timeout: TIMEOUT }, () => {
  const cases: Array<{ what: string; make: (work: Workspace) => string; hint: RegExp }> = [
    { what: 'a missing file', make: () => 'missing.wav', hint: /no such file; check the path/ },
    {
      what: 'a directory',
      make: (work) => {
        mkdirSync(work.file('takes.wav'));
        return 'takes.wav';
      },
      hint: /is a directory; give an audio file/,
    },
    {
      what: 'an empty file',
      make: (work) => {
        writeFileSync(work.file('empty.wav'), '');
        return 'empty.wav';
      },
      hint: /empty; give an audio file/,
    },
    {
      what: 'a WAV whose header says 0 Hz',
      make: (work) => {
        const wav = encodeWav([sine(1)], SAMPLE_RATE);
        wav.writeUInt32LE(0, 24);
        writeFileSync(work.file('zero.wav'), wav);
        return 'zero.wav';
      },
      hint: /sample rate is 0 Hz, which no recording has/,
    },
    {
      what: 'a WAV whose header says 1 Hz',
      make: (work) => {
        const wav = encodeWav([sine(1)], SAMPLE_RATE);
        wav.writeUInt32LE(1, 24);
        writeFileSync(work.file('one.wav'), wav);
        return 'one.wav';
      },
      hint: /sample rate is 1 Hz, which no recording has/,
    },
    {
      what: 'an M4A whose audio is garbage',
      make: (work) => {
        const bytes = Buffer.alloc(4096, 7);
        bytes.write('\0\0\0\x18ftypM4A \0\0\0\0', 0, 'latin1');
        writeFileSync(work.file('broken.m4a'), bytes);
        return 'broken.m4a';
      },
      hint: /ffmpeg could not decode the M4A audio|needs ffmpeg/,
    },
    {
      what: 'a text file named .wav',
      make: (work) => {
        writeFileSync(work.file('notes.wav'), 'These are not the samples you are looking for.\n');
        return 'notes.wav';
      },
      hint: /not an audio file jam can read; .*ffmpeg/,
    },
    {
      what: '0.05 s of audio',
      make: (work) => work.writeWav('blip.wav', sine(0.05)),
      hint: /only 0\.050 s of audio.*give a longer recording/,
    },
  ];

  it.for(cases)('$what: exit 1, one line naming it, no output', async ({ make, hint }, { work }) => {
    const input = make(work);
    const before = work.files();
    const run = await work.jam(['transcribe', input]);
    expectOneLineError(run, 1, input, hint);
    expect(work.files()).toEqual(before);
  });

  it('a truncated WAV: transcribes what is there, with a warning naming how much was read', async ({ work }) => {
    const whole = encodeWav([sine(1)], SAMPLE_RATE);
    writeFileSync(work.file('cut.wav'), whole.subarray(0, whole.length / 2));
    const run = await work.jam(['transcribe', 'cut.wav', '-o', 'cut.mid']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/cut\.wav: the file is truncated: read 0\.5 s of the 1\.0 s its header promises/);
    expect(work.files()).toContain('cut.mid');
  });

  it('an Opus file is read (no longer an unsupported codec)', async ({ work }) => {
    requireTool(HAS_FFMPEG, 'ffmpeg', 'ffmpeg');
    const wav = work.tone();
    const made = spawnSync('ffmpeg', ['-loglevel', 'error', '-i', wav, '-c:a', 'libopus', 'take.opus'], {
      cwd: work.path,
      encoding: 'utf8',
    });
    expect(made.status, `ffmpeg could not encode Opus: ${made.stderr.trim()}`).toBe(0);
    const before = work.files();
    const run = await work.jam(['transcribe', 'take.opus', '-o', 'take.mid']);
    expect(run.code, run.stderr).toBe(0);
    expect(work.files()).toEqual([...before, 'take.mid'].sort());
  });

  it('several inputs with a bad one: the good ones are transcribed, exit 1, stderr names the bad one', async ({
    work,
  }) => {
    work.tone('first.wav');
    work.writeWav('second.wav', sine(0.5, 330));
    const run = await work.jam(['transcribe', 'first.wav', 'missing.wav', 'second.wav', '--json']);
    expect(run.code, run.stderr).toBe(1);
    expect(lines(run.stderr)).toEqual([
      'jam: missing.wav: no such file; check the path',
      'jam: warning: 1 of 3 inputs failed',
    ]);
    expect(work.files()).toEqual(['first.mid', 'first.wav', 'second.mid', 'second.wav']);
    expect(midiNotes(readMidi(readFileSync(work.file('first.mid')))).map((note) => note.midi)).toContain(69);
    expect(midiNotes(readMidi(readFileSync(work.file('second.mid')))).map((note) => note.midi)).toContain(64);
    // --json reports every input, the failed one with its error, in order.
    const results = lines(run.stdout).map((line) => JSON.parse(line));
    expect(results.map((result) => result.input)).toEqual(['first.wav', 'missing.wav', 'second.wav']);
    expect(results[1].error).toMatch(/no such file/);
    expect(results[0].outputs).toEqual({ midi: 'first.mid' });
  });
});

describe.concurrent('jam transcribe: silence', { timeout: TIMEOUT }, () => {
  it('writes a valid MIDI file with no notes, exits 0 and warns in one line', async ({ work }) => {
    work.writeWav('silence.wav', new Float32Array(2 * SAMPLE_RATE));
    const run = await work.jam(['transcribe', 'silence.wav']);
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stderr)).toEqual(['jam: warning: silence.wav: the audio is silent; the MIDI file has no notes']);
    expect(run.stdout).toBe('silence.mid\n');
    const midi = readMidi(readFileSync(work.file('silence.mid')));
    expect(midi.tracks.length).toBeGreaterThan(0);
    expect(midiNotes(midi)).toEqual([]);
    expect(work.files()).toEqual(['silence.mid', 'silence.wav']);
  });
});

describe.concurrent('jam transcribe: outputs that cannot be written', { timeout: TIMEOUT }, () => {
  it('--out-dir below a regular file: exit 1, one line naming the folder, nothing written', async ({ work }) => {
    const input = work.tone();
    writeFileSync(work.file('blocker'), 'a file, not a folder\n');
    const before = work.files();
    const run = await work.jam(['transcribe', input, '--out-dir', 'blocker/midi']);
    expectOneLineError(run, 1, 'blocker/midi', /not a usable folder \(a file is in the way\); choose another/);
    expect(work.files()).toEqual(before);
  });

  it('-o into a folder that does not exist: exit 1, one line naming the output, nothing written', async ({ work }) => {
    const input = work.tone();
    const before = work.files();
    const run = await work.jam(['transcribe', input, '-o', '/nonexistent-dir/x.mid']);
    expectOneLineError(
      run,
      1,
      '/nonexistent-dir/x.mid',
      /the folder \/nonexistent-dir does not exist; create it or choose another output/,
    );
    expect(existsSync('/nonexistent-dir')).toBe(false);
    expect(work.files()).toEqual(before);
  });
});

describe.concurrent('jam transcribe: engines', { timeout: TIMEOUT }, () => {
  it('falls back to tfjs with one warning line when ONNX Runtime cannot load', async ({ work }) => {
    const input = work.tone();
    const run = await work.jam(['transcribe', input], undefined, { JAM_ONNX_MODEL: work.file('missing.onnx') });
    expect(run.code, run.stderr).toBe(0);
    const stderr = lines(run.stderr);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(
      /^jam: warning: ONNX Runtime could not load \(.*missing\.onnx.*\); using the slower tfjs engine$/,
    );
    expect(existsSync(work.file('tone.mid'))).toBe(true);
  });

  it('--engine tfjs-node without @tensorflow/tfjs-node: one line saying how to install it', async ({ work }) => {
    const input = work.tone();
    const before = work.files();
    const run = await work.jam(['transcribe', input, '--engine', 'tfjs-node']);
    expectOneLineError(run, 1, '@tensorflow/tfjs-node', /npm install @tensorflow\/tfjs-node, or use --engine onnx/);
    expect(work.files()).toEqual(before);
  });
});

describe.concurrent('jam transcribe --plot', { timeout: TIMEOUT }, () => {
  it('also draws <stem>.svg beside the MIDI file: its notes, key and chords; --json lists it', async ({ work }) => {
    work.copyFixture('chords.wav');
    const run = await work.jam(['transcribe', 'chords.wav', '--plot', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).outputs).toEqual({ midi: 'chords.mid', plot: 'chords.svg' });
    const svg = readFileSync(work.file('chords.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<rect class="note"/g)).toHaveLength(
      midiNotes(readMidi(readFileSync(work.file('chords.mid')))).length,
    );
    expect(svg).toContain('<text class="key"');
    expect(svg).toContain('<g class="chord"');
  });

  it('an existing picture without --force: exit 1 before any work, nothing written', async ({ work }) => {
    work.copyFixture('chords.wav');
    writeFileSync(work.file('chords.svg'), 'mine');
    const run = await work.jam(['transcribe', 'chords.wav', '--plot']);
    expectOneLineError(run, 1, 'chords.svg', /already exists; use --force/);
    expect(work.files()).toEqual(['chords.svg', 'chords.wav']);
  });
});

describe.concurrent('jam transcribe: usage errors exit 2', { timeout: TIMEOUT }, () => {
  const invalid: Array<{ args: string[]; names: string; hint: RegExp }> = [
    { args: ['--onset-threshold', '7'], names: '--onset-threshold 7', hint: /from 0 to 1/ },
    { args: ['--frame-threshold', '-1'], names: '--frame-threshold -1', hint: /from 0 to 1/ },
    { args: ['--midi-tempo', '0'], names: '--midi-tempo 0', hint: /beats per minute from 1 to 1000/ },
    {
      args: ['--minimum-frequency', '500', '--maximum-frequency', '100'],
      names: '--minimum-frequency 500',
      hint: /not below --maximum-frequency 100: swap or widen them/,
    },
    { args: ['--onset-threshold', 'abc'], names: '--onset-threshold', hint: /needs a number: use a value from 0 to 1/ },
    { args: ['--onset-threshold'], names: '--onset-threshold', hint: /needs a value/ },
    { args: ['--out-dir'], names: '--out-dir', hint: /needs a value/ },
    { args: ['--threads', '0'], names: '--threads 0', hint: /whole number of threads/ },
    { args: ['--engine', 'gpu'], names: '--engine gpu', hint: /use one of "onnx", "tfjs", "tfjs-node"/ },
    {
      args: ['--bogus-option'],
      names: '--bogus-option',
      hint: /^jam: unknown option --bogus-option \(see jam --help\)$/,
    },
  ];

  it.for(invalid)('$args.0 $args.1: one line naming the option, no output', async ({ args, names, hint }, { work }) => {
    const input = work.tone();
    const before = work.files();
    const run = await work.jam(['transcribe', input, ...args]);
    expectOneLineError(run, 2, names, hint);
    expect(work.files()).toEqual(before);
  });

  it('an unknown option: one line naming it, pointing to --help', async ({ work }) => {
    const input = work.tone();
    const before = work.files();
    const run = await work.jam(['transcribe', input, '--wobble']);
    expectOneLineError(run, 2, 'wobble', /--help/);
    expect(work.files()).toEqual(before);
  });

  it('a misspelt command: one line naming it and suggesting the right one', async ({ work }) => {
    const run = await work.jam(['transcirbe', work.tone()]);
    expectOneLineError(run, 2, 'transcirbe', /did you mean transcribe\?/);
  });

  it('no input: one line asking for one', async ({ work }) => {
    const run = await work.jam(['transcribe']);
    expectOneLineError(run, 2, 'jam transcribe', /give at least one input/);
  });

  it('-o with two inputs: one line pointing to --out-dir', async ({ work }) => {
    work.tone('a.wav');
    work.tone('b.wav');
    const before = work.files();
    const run = await work.jam(['transcribe', 'a.wav', 'b.wav', '-o', 'both.mid']);
    expectOneLineError(run, 2, '2 inputs', /-o names one output file.*use --out-dir/);
    expect(work.files()).toEqual(before);
  });
});

describe.concurrent('jam transcribe: existing outputs', { timeout: TIMEOUT }, () => {
  it('are not overwritten without --force: content unchanged, exit 1, the message says --force', async ({ work }) => {
    const input = work.tone();
    writeFileSync(work.file('tone.mid'), 'my own edits\n');
    const before = work.files();
    const run = await work.jam(['transcribe', input]);
    expectOneLineError(run, 1, 'tone.mid', /already exists; use --force/);
    expect(readFileSync(work.file('tone.mid'), 'utf8')).toBe('my own edits\n');
    expect(work.files()).toEqual(before);
  });

  it('are overwritten with --force', async ({ work }) => {
    const input = work.tone();
    writeFileSync(work.file('tone.mid'), 'my own edits\n');
    const run = await work.jam(['transcribe', input, '--force']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(midiNotes(readMidi(readFileSync(work.file('tone.mid')))).map((note) => note.midi)).toContain(69);
    expect(work.files()).toEqual(['tone.mid', 'tone.wav']);
  });
});

describe.concurrent('jam transcribe --debug', { timeout: TIMEOUT }, () => {
  it('prints the stack after the one-line message', async ({ work }) => {
    const run = await work.jam(['transcribe', 'missing.wav', '--debug']);
    expect(run.code).toBe(1);
    const stderr = lines(run.stderr);
    expect(stderr[0]).toBe('jam: missing.wav: no such file; check the path');
    expect(stderr[1]).toMatch(/^JamError: missing\.wav/);
    expect(run.stderr).toMatch(STACK_LINE);
  });
});

describe.concurrent('jam transcribe: standard input', { timeout: TIMEOUT }, () => {
  it('- -o - reads audio from stdin and writes the MIDI file to stdout, and nothing else', async ({ work }) => {
    const run = await work.jam(['transcribe', '-', '-o', '-'], readFileSync(join(FIXTURES, 'scale.wav')));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const pitches = new Set(midiNotes(readMidi(run.stdoutBytes)).map((note) => note.midi));
    for (const pitch of SCALE_PITCHES) expect(pitches).toContain(pitch);
    expect(work.files()).toEqual([]);
  });

  it('- writes stdin.mid in the current folder', async ({ work }) => {
    const run = await work.jam(['transcribe', '-'], encodeWav([sine(0.5)], SAMPLE_RATE));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('stdin.mid\n');
    expect(work.files()).toEqual(['stdin.mid']);
    expect(midiNotes(readMidi(readFileSync(work.file('stdin.mid')))).map((note) => note.midi)).toContain(69);
  });
});

describe.concurrent('jam transcribe: outputs', { timeout: TIMEOUT }, () => {
  it('--save-note-events --save-model-outputs --sonify --json --out-dir writes every file into a new folder', async ({
    work,
  }) => {
    const input = work.copyFixture('scale.wav');
    const run = await work.jam([
      'transcribe',
      input,
      '--save-note-events',
      '--save-model-outputs',
      '--sonify',
      '--json',
      '--out-dir',
      'out/midi',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(work.files()).toEqual([
      'out/midi/scale.mid',
      'out/midi/scale.model.npz',
      'out/midi/scale.notes.csv',
      'out/midi/scale.sonify.wav',
      'scale.wav',
    ]);

    // The JSON line: one per input, with the outputs and the notes.
    const results = lines(run.stdout).map((line) => JSON.parse(line));
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result.input).toBe('scale.wav');
    expect(result.outputs).toEqual({
      midi: join('out/midi', 'scale.mid'),
      noteEvents: join('out/midi', 'scale.notes.csv'),
      modelOutputs: join('out/midi', 'scale.model.npz'),
      sonify: join('out/midi', 'scale.sonify.wav'),
    });
    expect(result.duration).toBeCloseTo(4.5, 1);
    expect(result.notes.length).toBeGreaterThanOrEqual(SCALE_PITCHES.length);
    for (const note of result.notes) {
      expect(note).toMatchObject({
        pitch: expect.any(Number),
        start: expect.any(Number),
        end: expect.any(Number),
        velocity: expect.any(Number),
      });
      expect(note.end).toBeGreaterThan(note.start);
    }
    const pitches = new Set(result.notes.map((note: { pitch: number }) => note.pitch));
    for (const pitch of SCALE_PITCHES) expect(pitches).toContain(pitch);

    // The MIDI file holds the same notes.
    const midi = readMidi(readFileSync(work.file('out/midi/scale.mid')));
    expect(midiNotes(midi)).toHaveLength(result.notes.length);

    // The CSV: basic-pitch's header, one row per note.
    const csv = lines(readFileSync(work.file('out/midi/scale.notes.csv'), 'utf8'));
    expect(csv[0]).toBe('start_time_s,end_time_s,pitch_midi,velocity,pitch_bend');
    expect(csv).toHaveLength(result.notes.length + 1);
    const firstRow = csv[1].split(',').map(Number);
    expect(firstRow.slice(0, 4)).toEqual([
      Number(result.notes[0].start.toFixed(6)),
      Number(result.notes[0].end.toFixed(6)),
      result.notes[0].pitch,
      result.notes[0].velocity,
    ]);

    // The model outputs: a ZIP of .npy arrays.
    const npz = readFileSync(work.file('out/midi/scale.model.npz'));
    expect(npz.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    for (const name of ['note.npy', 'onset.npy', 'contour.npy']) expect(npz.includes(name)).toBe(true);

    // The listening copy: a WAV file with some sound in it.
    const wav = readFileSync(work.file('out/midi/scale.sonify.wav'));
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.subarray(8, 12).toString('latin1')).toBe('WAVE');
    expect(wav.length).toBeGreaterThan(SAMPLE_RATE);
  });
});

describe.concurrent('jam help, version and completion', { timeout: TIMEOUT }, () => {
  it('jam --help lists the commands and exits 0', async ({ work }) => {
    const run = await work.jam(['--help']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('jam transcribe');
    expect(run.stdout).toContain('jam completion');
    expect(run.stderr).toBe('');
  });

  it('jam transcribe --help shows the options and Examples, and exits 0', async ({ work }) => {
    const run = await work.jam(['transcribe', '--help']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('--onset-threshold');
    expect(run.stdout).toContain('--out-dir');
    expect(run.stdout).toMatch(/^Examples:$/m);
    expect(run.stdout).toContain('jam transcribe take.wav');
    expect(run.stderr).toBe('');
  });

  it('jam --version prints the version in package.json and exits 0', async ({ work }) => {
    const run = await work.jam(['--version']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(VERSION);
  });

  it('jam completion prints a shell completion script and exits 0', async ({ work }) => {
    const run = await work.jam(['completion']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('###-begin-jam-completions-###');
    expect(run.stdout).toContain('###-end-jam-completions-###');
    expect(run.stdout).toMatch(/complete |compdef /);
  });
});
