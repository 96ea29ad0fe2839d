#!/usr/bin/env node
// `npm run bench:batch`: a batch of 20 one-minute piano recordings (the project's benchmark piece with
// several seeds, rendered here with FluidSynth and cut into minutes) through `jam transcribe <folder>`,
// each run a fresh process from start to the last MIDI file written, with --jobs 1 and the other settings
// side by side in the same run, runs interleaved so a busy spell on this shared machine hits all alike;
// medians. It is the measurement behind DEFAULT_JOBS. Options: --runs N (default 3).
// Needs Debian fluidsynth, fluid-soundfont-gm, sox and time (/usr/bin/time).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_JOBS } from '../dist/cli/batch.js';
import { renderWav } from './lib/fluidsynth.js';
import { checkTools, load, median, option, OUT, RENDER_RATE, ROOT, timed } from './lib/measure.js';
import { pieceMidi } from './lib/piece.js';

const FILES = 20;
const FILE_SECONDS = 60;
const PIECE_SECONDS = 180;
/**
 * The settings compared, --jobs 1 (one file at a time, all cores to the engine) first as the reference. By
 * default each job's engine gets the cores shared among the jobs; the last row gives two jobs all cores each.
 */
const SETTINGS = [
  { label: '--jobs 1', args: ['--jobs', '1'] },
  { label: '--jobs 2', args: ['--jobs', '2'] },
  {
    label: `--jobs 2 --threads ${os.availableParallelism()}`,
    args: ['--jobs', '2', '--threads', String(os.availableParallelism())],
  },
];

/** 20 one-minute WAV files in bench-out/batch/takes/, cut from renderings of the piece with different seeds. */
function makeTakes() {
  const folder = path.join(OUT, 'batch');
  const takes = path.join(folder, 'takes');
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(takes, { recursive: true });
  const perPiece = PIECE_SECONDS / FILE_SECONDS;
  for (let seed = 1; seed * perPiece < FILES + perPiece; seed++) {
    const midPath = path.join(folder, `piece-${seed}.mid`);
    const wavPath = path.join(folder, `piece-${seed}.wav`);
    fs.writeFileSync(midPath, pieceMidi(seed).toArray());
    renderWav(midPath, wavPath, { gain: 1, sampleRate: RENDER_RATE });
    for (let part = 0; part < perPiece; part++) {
      const index = (seed - 1) * perPiece + part;
      if (index >= FILES) break;
      const take = path.join(takes, `take-${String(index + 1).padStart(2, '0')}.wav`);
      execFileSync('sox', [wavPath, take, 'trim', String(part * FILE_SECONDS), String(FILE_SECONDS)]);
    }
  }
  return { folder, takes };
}

function main() {
  checkTools();
  execFileSync('sox', ['--version'], { stdio: 'ignore' });
  const runs = option('--runs', 3);
  const { folder, takes } = makeTakes();
  const files = fs.readdirSync(takes).length;
  process.stderr.write(
    `bench:batch: ${files} files of ${FILE_SECONDS} s in ${path.relative(ROOT, takes)}, load ${load()}\n`,
  );

  const samples = SETTINGS.map(() => []);
  for (let run = 0; run < runs; run++) {
    SETTINGS.forEach((setting, i) => {
      const out = path.join(folder, 'midi');
      fs.rmSync(out, { recursive: true, force: true });
      const { seconds } = timed(process.execPath, [
        'bin/jam.js',
        'transcribe',
        takes,
        '--out-dir',
        out,
        '--quiet',
        ...setting.args,
      ]);
      const written = fs.readdirSync(out).filter((name) => name.endsWith('.mid')).length;
      if (written !== files) throw new Error(`${setting.label}: ${written} of ${files} MIDI files written`);
      samples[i].push(seconds);
      process.stderr.write(`  ${setting.label}: run ${run + 1}/${runs} ${seconds.toFixed(1)} s (load ${load()})\n`);
    });
  }

  const audioSeconds = files * FILE_SECONDS;
  const cpu = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
  console.log(
    `\n${files} files × ${FILE_SECONDS} s through jam transcribe <folder>, ${cpu}, medians of ${runs} runs, load ${load()}\n`,
  );
  const rows = [['setting', 'files', 'wall s', 'files/min', '× real time', 'vs --jobs 1']];
  const reference = median(samples[0]);
  SETTINGS.forEach((setting, i) => {
    const wall = median(samples[i]);
    const label = `${setting.label}${setting.args.join(' ') === `--jobs ${DEFAULT_JOBS}` ? ' (default)' : ''}`;
    rows.push([
      label,
      String(files),
      wall.toFixed(1),
      ((files * 60) / wall).toFixed(1),
      (audioSeconds / wall).toFixed(1),
      `${(reference / wall).toFixed(2)}×`,
    ]);
  });
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows)
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  fs.rmSync(folder, { recursive: true, force: true });
}

main();
