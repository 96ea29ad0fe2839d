#!/usr/bin/env node
// `npm run bench:memory`: peak memory and time of `jam transcribe` on an hour of audio in every format jam streams
// (WAV, MP3, FLAC, Ogg Vorbis, Opus, M4A/AAC), against the targets (peak RSS under 600 MB for every format; MP3 at
// least as fast as the path jam had before, which decoded the whole file with node-web-audio-api: measured here
// beside it, in the same run). Also the 3-minute piece as MP3, both ways.
// The hour is the 3-minute benchmark piece rendered with FluidSynth and repeated, made at bench time in bench-out/
// (about 650 MB, plus each format's encoding, kept for later runs).
// Options: --runs N (default 1), --formats wav,mp3,flac,ogg,opus,m4a (default all), --no-reference.
// Needs Debian fluidsynth, fluid-soundfont-gm, time (/usr/bin/time) and ffmpeg.
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { checkTools, load, median, option, OUT, renderPiece, repeatWav, timed, wavSeconds } from './lib/measure.js';

const TARGET_PEAK_MB = 600;
const HOUR_SECONDS = 3600;

const FORMATS = {
  wav: { label: 'WAV (16-bit, 44.1 kHz stereo)', ext: 'wav' },
  mp3: { label: 'MP3 (192 kbit/s)', ext: 'mp3', args: ['-c:a', 'libmp3lame', '-b:a', '192k'] },
  flac: { label: 'FLAC', ext: 'flac', args: ['-c:a', 'flac'] },
  ogg: { label: 'Ogg Vorbis (q4)', ext: 'ogg', args: ['-c:a', 'libvorbis', '-q:a', '4'] },
  opus: { label: 'Opus (128 kbit/s, Ogg)', ext: 'opus', args: ['-c:a', 'libopus', '-b:a', '128k', '-f', 'ogg'] },
  m4a: { label: 'M4A/AAC (192 kbit/s, ffmpeg)', ext: 'm4a', args: ['-c:a', 'aac', '-b:a', '192k', '-f', 'ipod'] },
};

/** The WAV encoded once into bench-out/ (kept: encoding an hour takes a minute or more). */
function encoded(wavPath, name, format) {
  if (!format.args) return wavPath;
  const out = path.join(OUT, `${name}.${format.ext}`);
  if (existsSync(out)) return out;
  const partial = `${out}.partial.${format.ext}`;
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', wavPath, ...format.args, partial]);
  renameSync(partial, out);
  return out;
}

/**
 * Runs each of `commands` ([label, args]) `runs` times, interleaved (a, b, a, b, …) so that the machine's load
 * falls on them alike; a row each, with median figures.
 */
function measure(commands, seconds, runs) {
  const samples = commands.map(() => []);
  for (let run = 0; run < runs; run++)
    commands.forEach(([label, args], i) => {
      const sample = timed(process.execPath, args);
      samples[i].push(sample);
      process.stderr.write(
        `  ${label}: run ${run + 1}/${runs} ${sample.seconds.toFixed(1)} s, CPU ${sample.cpuSeconds.toFixed(1)} s, ${sample.rssMb.toFixed(0)} MB (load ${load()})\n`,
      );
    });
  return commands.map(([label], i) => {
    const wall = median(samples[i].map((s) => s.seconds));
    return {
      label,
      wall,
      speed: seconds / wall,
      rssMb: median(samples[i].map((s) => s.rssMb)),
      cpu: median(samples[i].map((s) => s.cpuSeconds)),
    };
  });
}

const jam = (input) => ['bin/jam.js', 'transcribe', input, '-o', path.join(OUT, 'memory.mid'), '--force', '--quiet'];
const whole = (input) => ['scripts/lib/decode-whole.js', input, path.join(OUT, 'memory-whole.mid')];

function main() {
  checkTools({ ffmpeg: true });
  const runs = option('--runs', 1);
  const formatsAt = process.argv.indexOf('--formats');
  const chosen = (formatsAt >= 0 ? process.argv[formatsAt + 1] : Object.keys(FORMATS).join(',')).split(',');
  const reference = !process.argv.includes('--no-reference');
  const { wavPath } = renderPiece();
  const pieceSeconds = wavSeconds(wavPath);
  const repeats = Math.ceil(HOUR_SECONDS / pieceSeconds);
  const hourWav = repeatWav(wavPath, repeats, path.join(OUT, 'hour.wav'));
  const seconds = wavSeconds(hourWav);
  process.stderr.write(
    `bench:memory: ${(seconds / 60).toFixed(1)} min of audio (the piece ${repeats} times), load ${load()}\n`,
  );
  const rows = [];
  for (const key of chosen) {
    const format = FORMATS[key];
    if (!format) throw new Error(`unknown format ${key}; give some of ${Object.keys(FORMATS).join(',')}`);
    process.stderr.write(`  encoding the hour as ${format.label}…\n`);
    const file = encoded(hourWav, 'hour', format);
    const commands = [[`60-min ${format.label}`, jam(file)]];
    if (key === 'mp3' && reference)
      commands.push(['60-min MP3, decoded whole by node-web-audio-api (the old path)', whole(file)]);
    const [row, ...others] = measure(commands, seconds, runs);
    rows.push({ ...row, goal: true }, ...others);
  }
  const pieceMp3 = encoded(wavPath, 'piece', FORMATS.mp3);
  const pieceRuns = Math.max(3, runs);
  const pieceCommands = [['3-min piece, MP3', jam(pieceMp3)]];
  if (reference) pieceCommands.push(['3-min piece, MP3, decoded whole (the old path)', whole(pieceMp3)]);
  rows.push(...measure(pieceCommands, pieceSeconds, pieceRuns));
  console.log(`\njam transcribe (onnx), median of ${runs} run(s) (the piece: ${pieceRuns}), load ${load()}\n`);
  console.log(`| input | peak RSS MB | target MB | wall s | × real time | CPU s |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows)
    console.log(
      `| ${row.label} | ${row.rssMb.toFixed(0)} | ${row.goal ? `< ${TARGET_PEAK_MB}` : ''} | ${row.wall.toFixed(1)} | ${row.speed.toFixed(1)} | ${row.cpu.toFixed(1)} |`,
    );
  const over = rows.filter((row) => row.goal && row.rssMb >= TARGET_PEAK_MB);
  console.log(
    `\nPeak RSS < ${TARGET_PEAK_MB} MB for every format: ${over.length === 0 ? 'met' : `NOT met (${over.map((row) => row.label).join(', ')})`}`,
  );
}

try {
  main();
} catch (error) {
  console.error(`bench:memory: ${error.message}`);
  process.exitCode = 1;
}
