// Shared by the transcription benchmarks: the 3-minute piece rendered at bench time, runs timed under
// /usr/bin/time (wall seconds from process start to exit, peak RSS), medians.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingTool, renderWav } from './fluidsynth.js';
import { pieceMidi } from './piece.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT = path.join(ROOT, 'bench-out');
export const RENDER_RATE = 44100;
const RENDER_GAIN = 1;
/** FluidSynth writes a canonical 44-byte header: 16-bit stereo at RENDER_RATE. */
const WAV_HEADER_BYTES = 44;
const FRAME_BYTES = 4;

export function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Stops with a message naming what to install when FluidSynth, the soundfont or /usr/bin/time is missing. */
export function checkTools(options) {
  const missing = missingTool(options);
  if (missing) throw new Error(missing);
  if (!fs.existsSync('/usr/bin/time')) throw new Error('/usr/bin/time not found: apt-get install time');
}

/**
 * The piece as MIDI and as a 44.1 kHz stereo WAV rendered by FluidSynth, in bench-out/. Each is written under
 * a private name and renamed, so a benchmark running at the same time never reads half a file.
 */
export function renderPiece() {
  fs.mkdirSync(OUT, { recursive: true });
  const midPath = path.join(OUT, 'piece.mid');
  const wavPath = path.join(OUT, 'piece.wav');
  const partial = (file) => `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial(midPath), pieceMidi().toArray());
  renderWav(partial(midPath), partial(wavPath), { gain: RENDER_GAIN, sampleRate: RENDER_RATE });
  fs.renameSync(partial(midPath), midPath);
  fs.renameSync(partial(wavPath), wavPath);
  return { midPath, wavPath };
}

export function wavSeconds(wavPath) {
  return (fs.statSync(wavPath).size - WAV_HEADER_BYTES) / (RENDER_RATE * FRAME_BYTES);
}

/** A canonical WAV holding `times` repeats of another's samples, written a copy at a time. */
export function repeatWav(wavPath, times, outPath) {
  const bytes = fs.readFileSync(wavPath);
  const data = bytes.subarray(WAV_HEADER_BYTES);
  const header = Buffer.from(bytes.subarray(0, WAV_HEADER_BYTES));
  header.writeUInt32LE(WAV_HEADER_BYTES - 8 + data.length * times, 4);
  header.writeUInt32LE(data.length * times, WAV_HEADER_BYTES - 4);
  const fd = fs.openSync(outPath, 'w');
  fs.writeSync(fd, header);
  for (let i = 0; i < times; i++) fs.writeSync(fd, data);
  fs.closeSync(fd);
  return outPath;
}

/**
 * Runs a command under /usr/bin/time: wall seconds from process start to exit, peak RSS in MB, and the CPU seconds
 * (user + system) it used, which a shared machine's load changes far less than the wall time.
 */
export function timed(command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', command, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  const [seconds, kilobytes, user, system] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { seconds, rssMb: kilobytes / 1024, cpuSeconds: user + system };
}

/** The machine's 1-minute load average, to read timings on a shared machine by. */
export function load() {
  return os.loadavg()[0].toFixed(1);
}
