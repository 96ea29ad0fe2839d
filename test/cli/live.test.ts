/**
 * `jam live`, `play`, `record`, `ports` and `devices` end to end, through the real command line (bin/jam.js over
 * dist/) in child processes: PCM piped from sox and files played in real time through the real streaming
 * transcriber into NDJSON and --record files, Ctrl-C, SIGTERM and a crash in the middle of a take, and the one-line
 * errors of a machine with no MIDI system and no sound card (this one). A run costs about 3 s, mostly the model.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { requireTool } from '../helpers/tools.js';
import { decodeAudio } from '../../src/audio/decode.js';
import { encodeWav } from '../../src/audio/wav.js';
import { missingMidiSystem } from '../../src/midi/ports.js';
import { midiNotes } from '../../src/midi/read.js';
import { scoreNotes } from '../../src/transcribe/score.js';
import type { LiveEvent, NoteEvent } from '../../src/types.js';
import {
  checkCompiledCli,
  expectOneLineError,
  FIXTURES,
  JAM,
  lines,
  listFiles,
  runJam,
  type JamRun,
} from '../helpers/cli.js';

const HAS_SOX = spawnSync('sox', ['--version'], { stdio: 'ignore' }).status === 0;
const NO_MIDI = missingMidiSystem();
const SAMPLE_RATE = 22050;
/** Streamed notes against the offline transcription of the same audio: the benchmark (npm run bench:live) measures the real figure. */
const MIN_F1_AGAINST_OFFLINE = 0.7;

beforeAll(checkCompiledCli);

const it = test.extend<{ work: string }>({
  work: async ({}, use) => {
    const folder = mkdtempSync(join(tmpdir(), 'jam-live-'));
    try {
      await use(folder);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
});

function events(ndjson: string): LiveEvent[] {
  return lines(ndjson).map((line) => JSON.parse(line) as LiveEvent);
}

/** Pairs note-ons with note-offs as a listener would hear them; fails on a note-off that ends nothing. */
function notesOf(stream: LiveEvent[]): { notes: NoteEvent[]; sounding: number } {
  const open = new Map<number, LiveEvent[]>();
  const notes: NoteEvent[] = [];
  for (const event of stream) {
    if (event.type === 'on') open.set(event.pitch, [...(open.get(event.pitch) ?? []), event]);
    if (event.type !== 'off') continue;
    const on = open.get(event.pitch)?.shift();
    expect(on, `note-off without a note-on: ${JSON.stringify(event)}`).toBeDefined();
    notes.push({
      pitch: event.pitch,
      start: on!.time,
      end: event.time,
      velocity: on!.type === 'on' ? on!.velocity : 0,
    });
  }
  return { notes, sounding: [...open.values()].reduce((sum, list) => sum + list.length, 0) };
}

function recorded(file: string): NoteEvent[] {
  return midiNotes(readFileSync(file), file);
}

/** A MIDI file's tick (1/960 s at its 120 BPM and 480 ticks per beat), with room for rounding. */
const TICK_SECONDS = 1 / 960;

/** The record file holds the notes of the NDJSON stream, to the MIDI file's tick. */
function expectSameNotes(file: NoteEvent[], stream: NoteEvent[]): void {
  const order = (notes: NoteEvent[]) => [...notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  const [kept, heard] = [order(file), order(stream)];
  expect(kept.map((note) => note.pitch)).toEqual(heard.map((note) => note.pitch));
  kept.forEach((note, i) => {
    expect(Math.abs(note.start - heard[i].start)).toBeLessThanOrEqual(TICK_SECONDS);
    expect(Math.abs(note.end - heard[i].end)).toBeLessThanOrEqual(TICK_SECONDS);
  });
}

async function offlineNotes(work: string, audio: string): Promise<NoteEvent[]> {
  const run = await runJam(['transcribe', audio, '-o', join(work, 'offline.mid'), '--json'], { cwd: work });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(lines(run.stdout)[0]).notes;
}

/** A PCM rendering of an audio file by sox: raw samples, no header. */
function soxPcm(audio: string, args: string[]): Buffer {
  const result = spawnSync('sox', [audio, '-t', 'raw', ...args, '-'], { maxBuffer: 64 * 1024 * 1024 });
  expect(result.status, String(result.stderr)).toBe(0);
  return result.stdout;
}

/**
 * Starts jam and calls `stop` once it has printed `afterLines` NDJSON lines on stdout (so the take is under way);
 * resolves with the run (what it printed before and after) once it has exited.
 */
function runAndStop(
  args: string[],
  cwd: string,
  afterLines: number,
  stop: (child: ChildProcess) => void,
): Promise<JamRun & { stopped: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JAM, ...args], {
      cwd,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let stopped = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      if (!stopped && lines(Buffer.concat(out).toString()).length >= afterLines) {
        stopped = true;
        stop(child);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, stdout: stdoutBytes.toString(), stdoutBytes, stderr: Buffer.concat(err).toString(), stopped });
    });
  });
}

describe('jam live, the real pipeline', () => {
  it('transcribes float and 16-bit PCM piped from sox into NDJSON and a MIDI file, like the offline transcription', async ({
    work,
  }) => {
    requireTool(HAS_SOX, 'sox', 'sox');
    const audio = join(FIXTURES, 'scale.wav');
    const [float, int16, offline] = await Promise.all([
      runJam(['live', '--stdin', '--rate', '48000', '--channels', '2', '--events', '-', '--record', 'take.mid'], {
        cwd: work,
        input: soxPcm(audio, ['-e', 'floating-point', '-b', '32', '-c', '2', '-r', '48000']),
      }),
      runJam(['live', '--stdin', '--format', 's16le', '--rate', '22050', '--events', '-'], {
        cwd: work,
        input: soxPcm(audio, ['-e', 'signed', '-b', '16', '-c', '1', '-r', '22050']),
      }),
      offlineNotes(work, audio),
    ]);
    for (const run of [float, int16]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
    }
    const { notes, sounding } = notesOf(events(float.stdout));
    expect(sounding).toBe(0);
    expectSameNotes(recorded(join(work, 'take.mid')), notes);
    expect(scoreNotes(offline, notes).f1).toBeGreaterThanOrEqual(MIN_F1_AGAINST_OFFLINE);
    expect(scoreNotes(offline, notesOf(events(int16.stdout)).notes).f1).toBeGreaterThanOrEqual(MIN_F1_AGAINST_OFFLINE);
    expect(listFiles(work).filter((file) => file.endsWith('.partial'))).toEqual([]);
  });

  it('plays a file in real time into an NDJSON file and a MIDI file: the same events as without pacing, every note ended', async ({
    work,
  }) => {
    const scale = await decodeAudio(readFileSync(join(FIXTURES, 'scale.wav')), 'scale.wav', SAMPLE_RATE);
    // The first four notes of the scale: two seconds.
    writeFileSync(join(work, 'clip.wav'), encodeWav([scale.samples.subarray(0, 2 * SAMPLE_RATE)], SAMPLE_RATE));
    const [realtime, fast] = await Promise.all([
      runJam(['live', 'clip.wav', '--realtime', '--events', 'take.ndjson', '--record', 'take.mid'], { cwd: work }),
      runJam(['live', 'clip.wav', '--events', '-'], { cwd: work }),
    ]);
    expect(realtime.code, realtime.stderr).toBe(0);
    expect(realtime.stdout).toBe('');
    expect(fast.code, fast.stderr).toBe(0);
    const stream = events(readFileSync(join(work, 'take.ndjson'), 'utf8'));
    // Times are on the audio clock, so pacing changes when events are sent, not what they say.
    expect(stream).toEqual(events(fast.stdout));
    const { notes, sounding } = notesOf(stream);
    expect(notes.length).toBeGreaterThanOrEqual(2);
    expect(sounding).toBe(0);
    expectSameNotes(recorded(join(work, 'take.mid')), notes);
  });

  it("--melodia-trick adds the notes offline traces from leftover energy, as accurate does: scale.wav's first note", async ({
    work,
  }) => {
    const scale = join(FIXTURES, 'scale.wav');
    const [plain, traced] = await Promise.all([
      runJam(['live', scale, '--events', '-'], { cwd: work }),
      runJam(['live', scale, '--events', '-', '--melodia-trick'], { cwd: work }),
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(traced.code, traced.stderr).toBe(0);
    // Its onset peaks in frame 0, where no onset can start a note: only the trick finds it, at its first frame.
    const opening = (run: JamRun) =>
      events(run.stdout)
        .filter((event) => event.type === 'on' && event.time < 0.05)
        .map((event) => event.pitch);
    expect(opening(plain)).toEqual([]);
    expect(opening(traced)).toEqual([60]);
  });

  it('one NaN, Inf or 1e30 sample (a float WAV, or raw PCM on stdin) silences only itself, with a warning', async ({
    work,
  }) => {
    const scale = await decodeAudio(readFileSync(join(FIXTURES, 'scale.wav')), 'scale.wav', SAMPLE_RATE);
    const wav = encodeWav([scale.samples], SAMPLE_RATE, 'float32');
    const data = wav.indexOf('data') + 8;
    wav.writeFloatLE(NaN, data + 4 * 1000);
    wav.writeFloatLE(Infinity, data + 4 * 2000);
    wav.writeFloatLE(1e30, data + 4 * 3000);
    writeFileSync(join(work, 'bad.wav'), wav);
    const clean = Buffer.from(scale.samples.buffer, scale.samples.byteOffset, scale.samples.byteLength);
    const pcm = Buffer.from(clean);
    pcm.writeFloatLE(NaN, 4 * 1000);
    const [fromFile, fromStdin, reference] = await Promise.all([
      runJam(['live', 'bad.wav', '--events', '-'], { cwd: work }),
      runJam(['live', '--stdin', '--rate', String(SAMPLE_RATE), '--events', '-'], { cwd: work, input: pcm }),
      runJam(['live', '--stdin', '--rate', String(SAMPLE_RATE), '--events', '-'], { cwd: work, input: clean }),
    ]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromFile.stderr).toMatch(
      /bad\.wav: 3 samples not a number, infinite or absurdly loud .* replaced by silence/,
    );
    expect(fromStdin.stderr).toMatch(/standard input: 1 sample not a number, infinite or absurdly loud/);
    const notes = (run: JamRun) => notesOf(events(run.stdout)).notes;
    expect(notes(reference).length).toBeGreaterThanOrEqual(6);
    expect(scoreNotes(notes(reference), notes(fromFile)).f1).toBeGreaterThanOrEqual(0.9);
    expect(scoreNotes(notes(reference), notes(fromStdin)).f1).toBeGreaterThanOrEqual(0.9);
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`on ${signal} in the middle of a take ends every note, finishes the MIDI file and exits ${code}`, async ({
      work,
    }) => {
      const run = await runAndStop(
        ['live', join(FIXTURES, 'chords.wav'), '--realtime', '--events', '-', '--record', 'take.mid'],
        work,
        1,
        (child) => child.kill(signal),
      );
      expect(run.stopped).toBe(true);
      expect(run.code, run.stderr).toBe(code);
      const stream = events(run.stdout);
      const { notes, sounding } = notesOf(stream);
      expect(sounding).toBe(0);
      expect(stream.at(-1)?.type).toBe('off');
      // Stopped before the end of the 6.5 s clip, with what was played kept.
      expect(Math.max(...stream.map((event) => event.time))).toBeLessThan(6);
      expectSameNotes(recorded(join(work, 'take.mid')), notes);
      expect(listFiles(work)).toEqual(['take.mid']);
    });
  }

  it('when the reader of --events - goes away (jam live … | head), ends the take cleanly and exits 0', async ({
    work,
  }) => {
    const run = await runAndStop(
      ['live', join(FIXTURES, 'chords.wav'), '--realtime', '--events', '-', '--record', 'take.mid'],
      work,
      1,
      (child) => child.stdout!.destroy(),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const kept = recorded(join(work, 'take.mid'));
    expect(kept.length).toBeGreaterThan(0);
    expect(Math.max(...kept.map((note) => note.end))).toBeLessThan(6);
    expect(listFiles(work)).toEqual(['take.mid']);
  });

  it('killed outright (a crash), still leaves a whole MIDI file of the notes that had ended', async ({ work }) => {
    const run = await runAndStop(
      ['live', join(FIXTURES, 'chords.wav'), '--realtime', '--events', '-', '--record', 'take.mid'],
      work,
      16,
      (child) => child.kill('SIGKILL'),
    );
    expect(run.code).toBeNull();
    // The kill may cut the last line short.
    const ended = notesOf(events(run.stdout.slice(0, run.stdout.lastIndexOf('\n') + 1))).notes;
    const kept = recorded(join(work, 'take.mid'));
    // Rewritten a quarter of a second after note-offs: the first chord, long ended, is there; the last notes may not be.
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(ended.length);
    expectSameNotes(kept, ended.slice(0, kept.length));
  });
});

describe('jam live, play, record, ports, devices: what the user did wrong, in one line', () => {
  it('needs somewhere for the notes to go', async ({ work }) => {
    expectOneLineError(
      await runJam(['live', join(FIXTURES, 'scale.wav')], { cwd: work }),
      2,
      '--record FILE',
      /give somewhere for the notes to go/,
    );
  });

  it('needs exactly one source, and --realtime only for a file', async ({ work }) => {
    const [none, two, realtime] = await Promise.all([
      runJam(['live', '--events', '-'], { cwd: work }),
      runJam(['live', 'a.wav', '--stdin', '--events', '-'], { cwd: work }),
      runJam(['live', '--stdin', '--realtime', '--events', '-'], { cwd: work }),
    ]);
    expectOneLineError(none, 2, '--stdin', /give a source/);
    expectOneLineError(two, 2, '--input', /only one source/);
    expectOneLineError(realtime, 2, '--realtime', /live already/);
  });

  it('checks MIDI options and an existing --record file before any work', async ({ work }) => {
    writeFileSync(join(work, 'take.mid'), 'mine');
    const [channel, program, existing] = await Promise.all([
      runJam(['live', '--stdin', '--events', '-', '--channel', '17'], { cwd: work }),
      runJam(['live', '--stdin', '--events', '-', '--program', '0'], { cwd: work }),
      runJam(['live', '--stdin', '--record', 'take.mid'], { cwd: work }),
    ]);
    expectOneLineError(channel, 2, '--channel 17', /1 to 16/);
    expectOneLineError(program, 2, '--program 0', /1 to 128/);
    expectOneLineError(existing, 1, 'take.mid', /--force/);
    expect(readFileSync(join(work, 'take.mid'), 'utf8')).toBe('mine');
  });

  it.skipIf(!NO_MIDI)(
    'says in one line that there is no MIDI system, for live --to, play, record and ports',
    async ({ work }) => {
      const runs = await Promise.all([
        runJam(['live', join(FIXTURES, 'scale.wav'), '--to', 'Synth'], { cwd: work }),
        runJam(['play', join(FIXTURES, 'scale.mid'), '--to', '0'], { cwd: work }),
        runJam(['record', '--from', '0', '-o', 'take.mid'], { cwd: work }),
        runJam(['ports'], { cwd: work }),
      ]);
      for (const run of runs)
        expectOneLineError(run, 1, '/dev/snd/seq', /^jam: no MIDI system: .*use --record or --events instead$/);
      expect(existsSync(join(work, 'take.mid'))).toBe(false);
    },
  );

  it('play needs a port to play to, record a port and a file', async ({ work }) => {
    const [play, record] = await Promise.all([
      runJam(['play', join(FIXTURES, 'scale.mid')], { cwd: work }),
      runJam(['record', '-o', 'take.mid'], { cwd: work }),
    ]);
    expectOneLineError(play, 2, '--to PORT', /jam ports lists them/);
    expectOneLineError(record, 2, '--from', /^jam: --from is needed/);
  });

  it.skipIf(existsSync('/dev/snd'))(
    'says in one line that there is no audio input, for devices and live --input; devices --json is empty',
    async ({ work }) => {
      const [devices, live, json] = await Promise.all([
        runJam(['devices'], { cwd: work }),
        runJam(['live', '--input', '0', '--events', '-'], { cwd: work }),
        runJam(['devices', '--json'], { cwd: work }),
      ]);
      expectOneLineError(devices, 1, 'no audio input devices found', /--stdin/);
      expectOneLineError(live, 1, 'no audio input devices found', /--stdin/);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual([]);
    },
  );
});
