#!/usr/bin/env node
// `npm run bench`: transcription speed, memory and accuracy on a 3-minute polyphonic piano piece of the
// project's own (rendered here with FluidSynth), all measured in one run, medians of several runs:
// the stock @spotify/basic-pitch pipeline, jam --engine tfjs and jam --engine onnx, each a fresh process
// from start to MIDI file written. Options: --runs N (default 3), --onnx-runs N (default 5).
// Needs Debian fluidsynth, fluid-soundfont-gm and time (/usr/bin/time, for peak memory).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Midi, Transcribe } from '../dist/index.js';
import { checkTools, load, median, option, OUT, ROOT, renderPiece, timed, wavSeconds } from './lib/measure.js';

const { midiNotes } = Midi;
const { scoreNotes } = Transcribe;

// Targets from the engine issue, for this 2-core machine.
const TARGET_REAL_TIME = 80;
const TARGET_SPEED_UP = 15;
const TARGET_F1_SPREAD = 0.01;

function measure(label, command, args, midPath, runs, reference) {
  const samples = [];
  for (let run = 0; run < runs; run++) {
    samples.push(timed(command, args));
    process.stderr.write(
      `  ${label}: run ${run + 1}/${runs} ${samples.at(-1).seconds.toFixed(2)} s (load ${load()})\n`,
    );
  }
  const f1 = scoreNotes(reference, midiNotes(fs.readFileSync(midPath), midPath)).f1;
  return { label, seconds: median(samples.map((s) => s.seconds)), rssMb: median(samples.map((s) => s.rssMb)), f1 };
}

function main() {
  checkTools();
  const runs = option('--runs', 3);
  const onnxRuns = option('--onnx-runs', 5);
  const { midPath, wavPath } = renderPiece();
  const duration = wavSeconds(wavPath);
  const reference = midiNotes(fs.readFileSync(midPath), midPath);
  process.stderr.write(
    `bench: ${duration.toFixed(1)} s piece, ${reference.length} notes, rendered to ${path.relative(ROOT, wavPath)}, load ${load()}\n`,
  );

  const out = (name) => path.join(OUT, name);
  const jam = (engine) => [
    'bin/jam.js',
    'transcribe',
    wavPath,
    '-o',
    out(`${engine}.mid`),
    '--engine',
    engine,
    '--force',
    '--quiet',
  ];
  const rows = [
    measure(
      'stock @spotify/basic-pitch (tfjs wasm)',
      process.execPath,
      ['scripts/lib/stock-basic-pitch.js', wavPath, out('stock.mid')],
      out('stock.mid'),
      runs,
      reference,
    ),
    measure('jam --engine tfjs', process.execPath, jam('tfjs'), out('tfjs.mid'), runs, reference),
    measure('jam --engine onnx', process.execPath, jam('onnx'), out('onnx.mid'), onnxRuns, reference),
  ];

  const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], {
    encoding: 'utf8',
  }).trim();
  console.log(
    `\nTranscribing a ${duration.toFixed(0)} s polyphonic piano piece (${reference.length} notes), ${cpu}, medians of ${runs} runs (onnx: ${onnxRuns}), 1-minute load average at the end ${load()}\n`,
  );
  console.log('| pipeline | wall s (start → MIDI written) | × real time | vs stock | peak RSS MB | note F1 |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const stock = rows[0].seconds;
  for (const row of rows) {
    console.log(
      `| ${row.label} | ${row.seconds.toFixed(2)} | ${(duration / row.seconds).toFixed(1)} | ${(stock / row.seconds).toFixed(1)}× | ${row.rssMb.toFixed(0)} | ${row.f1.toFixed(3)} |`,
    );
  }
  const onnx = rows[2];
  const spread = Math.max(...rows.map((r) => r.f1)) - Math.min(...rows.map((r) => r.f1));
  console.log(
    `\nonnx: ${(duration / onnx.seconds).toFixed(1)}× real time (target ≥ ${TARGET_REAL_TIME}×), ${(stock / onnx.seconds).toFixed(1)}× the stock pipeline (target ≥ ${TARGET_SPEED_UP}×); F1 spread ${spread.toFixed(3)} (target ≤ ${TARGET_F1_SPREAD})`,
  );
}

try {
  main();
} catch (error) {
  console.error(`bench: ${error.message}`);
  process.exitCode = 1;
}
