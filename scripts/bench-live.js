#!/usr/bin/env node
// The live path at real-time pace: the fixtures (and the first PIECE_SECONDS of the 3-minute benchmark piece) are
// fed as 22 050 Hz audio in small blocks on the wall clock, as a sound card would deliver them, and every note-on
// is timed as it arrives. Prints, per --latency setting: onset-to-note-on latency p50/p95 (wall-clock arrival
// against the MIDI file's true onset, for the notes that match one), note F1 of the streamed notes against the
// offline transcription of the same audio and against the ground-truth MIDI, and CPU use (fraction of one core).
//
// Once `jam live` exists it is driven as a subprocess (raw PCM on stdin at real-time pace, NDJSON events on
// stdout, so the bench knows exactly when the audio started); until then StreamingTranscriber runs in-process.
// Options: --latency low|balanced|accurate (default: all three), --in-process, --piece-seconds N (0: fixtures only).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Audio, Midi, Transcribe } from '../dist/index.js';
import { missingTool } from './lib/fluidsynth.js';
import { ROOT, load, median, renderPiece } from './lib/measure.js';

const { DEFAULT_LATENCY, LATENCY_SETTINGS, StreamingTranscriber, constants, loadEngine, scoreNotes, transcribe } =
  Transcribe;
const { decodeAudio } = Audio;
const { midiNotes } = Midi;

const FIXTURES = ['scale.wav', 'chords.wav', 'bass.flac', 'bend.ogg'];
const RATE = constants.AUDIO_SAMPLE_RATE;
/** Samples per block fed to the live path: 512 at 22 050 Hz is 23 ms, a usual audio buffer. */
const BLOCK = 512;
/** Threads for the model: the live path runs one small window at a time, where a second thread does not pay. */
const THREADS = 1;
/** Goals with the default setting (issue 7). */
/** Time given to `jam live` to start and load the model before the audio starts (more than it needs under load). */
const CLI_START_MS = 3000;
const GOALS = { p50: 150, p95: 250, f1Offline: 0.9, cpu: 0.5 };

function argument(name) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] : NaN;
}

/** Pairs note-ons with their note-offs into notes (the streamed notes, to score). */
function eventsToNotes(events) {
  const sounding = new Map();
  const notes = [];
  for (const event of events) {
    if (event.type === 'on') sounding.set(event.pitch, event);
    if (event.type === 'off' && sounding.has(event.pitch)) {
      const on = sounding.get(event.pitch);
      sounding.delete(event.pitch);
      notes.push({ pitch: event.pitch, start: on.time, end: event.time, velocity: on.velocity });
    }
  }
  return notes;
}

/** Each clip: its 22 050 Hz samples, ground-truth notes and offline transcription. */
async function clips(engine, pieceSeconds) {
  const list = [];
  for (const name of FIXTURES) {
    const file = path.join(ROOT, 'fixtures', name);
    const samples = (await decodeAudio(readFileSync(file), name, RATE)).samples;
    list.push({ name, samples, truth: midiNotes(readFileSync(file.replace(/\.\w+$/, '.mid')), name) });
  }
  if (pieceSeconds > 0) {
    if (missingTool()) {
      process.stderr.write(`bench-live: ${missingTool()}; the piece is left out\n`);
    } else {
      const { midPath, wavPath } = renderPiece();
      const samples = (await decodeAudio(readFileSync(wavPath), 'piece.wav', RATE)).samples.subarray(
        0,
        pieceSeconds * RATE,
      );
      const truth = midiNotes(readFileSync(midPath), 'piece.mid').filter((note) => note.start < pieceSeconds);
      list.push({ name: `piece.wav (first ${pieceSeconds} s)`, samples, truth });
    }
  }
  for (const clip of list) {
    clip.offline = (await transcribe(clip.samples, { engine })).notes;
    // The offline rules the stream follows: everything but the melodia trick, which needs the whole recording.
    clip.offlineRules = (await transcribe(clip.samples, { engine, melodiaTrick: false })).notes;
  }
  return list;
}

/** Feeds `samples` block by block on the wall clock; `send(block)` returns events, timed on arrival. */
async function feedInRealTime(samples, send) {
  const arrivals = [];
  const started = performance.now();
  const pending = [];
  for (let offset = 0, block = 0; offset < samples.length; offset += BLOCK, block++) {
    const due = started + ((offset + BLOCK) / RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(
      send(samples.subarray(offset, offset + BLOCK)).then((events) =>
        arrivals.push(...events.map((event) => ({ event, at: performance.now() - started }))),
      ),
    );
  }
  await Promise.all(pending);
  return arrivals;
}

/** In-process: StreamingTranscriber with the ONNX engine; pushes are chained so they run in order. */
async function runInProcess(clip, engine, latency) {
  const streamer = new StreamingTranscriber(engine, { latency });
  let chain = Promise.resolve();
  const cpuBefore = process.cpuUsage();
  const arrivals = await feedInRealTime(clip.samples, (block) => (chain = chain.then(() => streamer.push(block))));
  const started = performance.now();
  const rest = await streamer.end();
  arrivals.push(...rest.map((event) => ({ event, at: performance.now() - started })));
  const cpu = process.cpuUsage(cpuBefore);
  return { arrivals, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function cliArgs(latency) {
  const live = [
    'live',
    '--stdin',
    '--rate',
    String(RATE),
    '--format',
    'f32le',
    '--channels',
    '1',
    '--events',
    '-',
    '--latency',
    latency,
  ];
  return ['-f', '%U %S', process.execPath, path.join(ROOT, 'bin/jam.js'), ...live];
}

const cpuOf = (timeOutput) =>
  timeOutput
    .trim()
    .split('\n')
    .pop()
    .split(' ')
    .map(Number)
    .reduce((sum, seconds) => sum + seconds, 0);

/**
 * CPU seconds `jam live` spends starting, loading the model and ending on one block of silence (a run of the model,
 * as every take ends with): left out of the live CPU figure.
 */
function cliStartupCpu(latency) {
  const silence = Buffer.alloc(BLOCK * Float32Array.BYTES_PER_ELEMENT);
  const runs = Array.from({ length: 3 }, () =>
    cpuOf(spawnSync('/usr/bin/time', cliArgs(latency), { cwd: ROOT, input: silence, encoding: 'utf8' }).stderr),
  );
  return median(runs);
}

/** Subprocess: `jam live --stdin … --events -`, PCM written on the wall clock, each NDJSON line timed as it arrives. */
async function runCli(clip, latency, startupCpu) {
  const child = spawn('/usr/bin/time', cliArgs(latency), { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let started = performance.now();
  const arrivals = [];
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text) => {
    const at = performance.now() - started;
    buffered += text;
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) if (line.trim()) arrivals.push({ event: JSON.parse(line), at });
  });
  let stderr = '';
  child.stderr.on('data', (text) => (stderr += text));
  const exited = new Promise((resolve) => child.on('close', resolve));
  // The model loads before the first block is read; a short pause keeps that out of the latency.
  await sleep(CLI_START_MS);
  started = performance.now();
  await feedInRealTime(clip.samples, async (block) => {
    child.stdin.write(Buffer.from(block.buffer, block.byteOffset, block.byteLength));
    return [];
  });
  child.stdin.end();
  const status = await exited;
  if (status !== 0) throw new Error(`jam live exited with ${status}:\n${stderr}`);
  return { arrivals, cpuSeconds: cpuOf(stderr) - startupCpu };
}

function cliAvailable() {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin/jam.js'), 'live', '--help'], { cwd: ROOT }).status === 0;
}

/** Latencies of the note-ons that match a true note (same pitch, onset within 50 ms), in ms. */
function latencies(arrivals, truth) {
  const values = [];
  for (const { event, at } of arrivals) {
    if (event.type !== 'on') continue;
    const match = truth.find((note) => note.pitch === event.pitch && Math.abs(note.start - event.time) <= 0.05);
    if (match) values.push(at - match.start * 1000);
  }
  return values;
}

async function main() {
  const only = argument('--latency');
  const settings = only ? [only] : [...LATENCY_SETTINGS];
  const pieceSeconds = Number(argument('--piece-seconds') ?? 30);
  const viaCli = !process.argv.includes('--in-process') && cliAvailable();
  const engine = await loadEngine('onnx', THREADS);
  const list = await clips(engine, pieceSeconds);
  const audioSeconds = list.reduce((sum, clip) => sum + clip.samples.length / RATE, 0);
  const truthNotes = list.reduce((sum, clip) => sum + clip.truth.length, 0);
  console.log(
    `bench-live: ${list.length} clips, ${audioSeconds.toFixed(1)} s of audio, ${truthNotes} true notes, fed at real-time pace in ${BLOCK}-sample blocks`,
  );
  const route = viaCli
    ? 'jam live --stdin … --events - (subprocess; CPU without its start-up and model loading)'
    : 'StreamingTranscriber in-process';
  console.log(`path: ${route}; engine onnx, ${THREADS} thread; load ${load()} at start`);
  console.log('');
  console.log(
    '| --latency | note-on latency p50 | p95 | F1 vs offline | F1 vs offline without melodia | F1 vs truth (offline vs truth) | CPU (of one core) | notes streamed / offline / true |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const rows = {};
  for (const latency of settings) {
    const delays = [];
    const scores = { offline: [0, 0, 0], offlineRules: [0, 0, 0], truth: [0, 0, 0], offlineTruth: [0, 0, 0] };
    let cpuSeconds = 0;
    const startupCpu = viaCli ? cliStartupCpu(latency) : 0;
    for (const clip of list) {
      const run = viaCli ? await runCli(clip, latency, startupCpu) : await runInProcess(clip, engine, latency);
      cpuSeconds += run.cpuSeconds;
      delays.push(...latencies(run.arrivals, clip.truth));
      const streamed = eventsToNotes(run.arrivals.map(({ event }) => event));
      for (const [key, reference, estimate] of [
        ['offline', clip.offline, streamed],
        ['offlineRules', clip.offlineRules, streamed],
        ['truth', clip.truth, streamed],
        ['offlineTruth', clip.truth, clip.offline],
      ]) {
        const score = scoreNotes(reference, estimate);
        scores[key][0] += score.matched;
        scores[key][1] += score.reference;
        scores[key][2] += score.estimate;
      }
    }
    const f1 = ([matched, reference, estimate]) => (2 * matched) / (reference + estimate);
    const row = {
      p50: percentile(delays, 0.5),
      p95: percentile(delays, 0.95),
      f1Offline: f1(scores.offline),
      cpu: cpuSeconds / audioSeconds,
    };
    rows[latency] = row;
    const mark = latency === DEFAULT_LATENCY ? ' (default)' : '';
    console.log(
      `| ${latency}${mark} | ${row.p50.toFixed(0)} ms | ${row.p95.toFixed(0)} ms | ${row.f1Offline.toFixed(3)} | ${f1(scores.offlineRules).toFixed(3)} | ${f1(scores.truth).toFixed(3)} (${f1(scores.offlineTruth).toFixed(3)}) | ${row.cpu.toFixed(2)} | ${scores.offline[2]} / ${scores.offline[1]} / ${scores.truth[1]} |`,
    );
  }
  const chosen = rows[DEFAULT_LATENCY];
  if (chosen) {
    const verdict = (ok) => (ok ? 'met' : 'NOT met');
    console.log('');
    console.log(
      `goals with --latency ${DEFAULT_LATENCY}: p50 ${chosen.p50.toFixed(0)} ms ≤ ${GOALS.p50} ${verdict(chosen.p50 <= GOALS.p50)}; p95 ${chosen.p95.toFixed(0)} ms ≤ ${GOALS.p95} ${verdict(chosen.p95 <= GOALS.p95)}; F1 vs offline ${chosen.f1Offline.toFixed(3)} ≥ ${GOALS.f1Offline} ${verdict(chosen.f1Offline >= GOALS.f1Offline)}; CPU ${chosen.cpu.toFixed(2)} < ${GOALS.cpu} ${verdict(chosen.cpu < GOALS.cpu)}`,
    );
  }
  console.log(`load ${load()} at end (2 cores, shared)`);
}

await main();
