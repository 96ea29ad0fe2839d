#!/usr/bin/env node
// `npm run bench:memory`: peak memory and time of `jam transcribe` on an hour of 44.1 kHz stereo audio, against
// the engine issue's target (peak RSS under 600 MB for a 60-minute WAV). The hour is the 3-minute benchmark
// piece rendered with FluidSynth and repeated, made at bench time in bench-out/ (about 650 MB).
// Options: --runs N (default 1), --mp3 (also the same hour as an MP3, which is decoded whole: minutes, GBs).
// Needs Debian fluidsynth, fluid-soundfont-gm, time (/usr/bin/time) and, for --mp3, ffmpeg.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { checkTools, load, median, option, OUT, renderPiece, repeatWav, timed, wavSeconds } from './lib/measure.js';

const TARGET_PEAK_MB = 600;
const HOUR_SECONDS = 3600;

function measure(label, audioPath, seconds, runs) {
  const samples = [];
  for (let run = 0; run < runs; run++) {
    samples.push(
      timed(process.execPath, [
        'bin/jam.js',
        'transcribe',
        audioPath,
        '-o',
        path.join(OUT, 'hour.mid'),
        '--force',
        '--quiet',
      ]),
    );
    process.stderr.write(
      `  ${label}: run ${run + 1}/${runs} ${samples.at(-1).seconds.toFixed(1)} s, ${samples.at(-1).rssMb.toFixed(0)} MB (load ${load()})\n`,
    );
  }
  const wall = median(samples.map((s) => s.seconds));
  return { label, wall, speed: seconds / wall, rssMb: median(samples.map((s) => s.rssMb)) };
}

function main() {
  const mp3 = process.argv.includes('--mp3');
  checkTools({ ffmpeg: mp3 });
  const runs = option('--runs', 1);
  const { wavPath } = renderPiece();
  const repeats = Math.ceil(HOUR_SECONDS / wavSeconds(wavPath));
  const hourWav = repeatWav(wavPath, repeats, path.join(OUT, 'hour.wav'));
  const seconds = wavSeconds(hourWav);
  process.stderr.write(
    `bench:memory: ${(seconds / 60).toFixed(1)} min of 44.1 kHz stereo WAV (the piece ${repeats} times), load ${load()}\n`,
  );
  const rows = [measure('60-min WAV', hourWav, seconds, runs)];
  if (mp3) {
    const hourMp3 = path.join(OUT, 'hour.mp3');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', hourWav, '-b:a', '192k', hourMp3]);
    rows.push(measure('60-min MP3 (192 kbit/s)', hourMp3, seconds, runs));
  }
  console.log(
    `\njam transcribe (onnx) on ${(seconds / 60).toFixed(1)} minutes of audio, median of ${runs} run(s), load ${load()}\n`,
  );
  console.log(`| input | peak RSS MB | target MB | wall s | × real time |`);
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const row of rows)
    console.log(
      `| ${row.label} | ${row.rssMb.toFixed(0)} | < ${TARGET_PEAK_MB} | ${row.wall.toFixed(1)} | ${row.speed.toFixed(1)} |`,
    );
  const wav = rows[0];
  console.log(
    `\nWAV: peak RSS ${wav.rssMb.toFixed(0)} MB (target < ${TARGET_PEAK_MB} MB): ${wav.rssMb < TARGET_PEAK_MB ? 'met' : 'NOT met'}`,
  );
}

try {
  main();
} catch (error) {
  console.error(`bench:memory: ${error.message}`);
  process.exitCode = 1;
}
