#!/usr/bin/env node
// `jam analyze --json` over 1 000 MIDI files of pop-song length (about 3 1/2 minutes each: melody, chords,
// bass and drums, from the development song generator), through the real command line in one process,
// against the target of 1 000 files in 30 s. Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { songMidi } from './songs/common.js';
import { devSong } from './songs/dev.js';

const FILES = 1000;
const TARGET_SECONDS = 30;
/** Twelve eight-bar sections: about 3 1/2 minutes at the generator's 80-140 bpm. */
const SECTIONS = 12;
const JAM = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'jam.js');

const folder = mkdtempSync(path.join(tmpdir(), 'jam-bench-analyze-'));
try {
  let notes = 0;
  let seconds = 0;
  const files = [];
  for (let i = 0; i < FILES; i++) {
    const song = devSong(100_000 + i, `song-${i}`, SECTIONS);
    notes += song.parts.reduce((sum, part) => sum + part.notes.length, 0);
    seconds += (song.length * 60) / song.bpm;
    const file = path.join(folder, `song-${String(i).padStart(4, '0')}.mid`);
    writeFileSync(file, songMidi(song));
    files.push(file);
  }
  process.stderr.write(
    `${FILES} MIDI files written (${(seconds / FILES / 60).toFixed(1)} min and ${Math.round(notes / FILES)} notes on average); analysing…\n`,
  );
  const started = performance.now();
  const run = spawnSync(process.execPath, [JAM, 'analyze', ...files, '--json'], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const elapsed = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`jam analyze failed (exit ${run.status}): ${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  const analysed = lines.filter((line) => JSON.parse(line).chords).length;
  console.log(
    `jam analyze --json: ${analysed} of ${FILES} files in ${elapsed.toFixed(1)} s: ${(analysed / elapsed).toFixed(0)} files/s (target: ${FILES} in ${TARGET_SECONDS} s, ${(FILES / TARGET_SECONDS).toFixed(0)} files/s) ${elapsed <= TARGET_SECONDS ? 'MET' : 'MISSED'}`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}
