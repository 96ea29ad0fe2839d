#!/usr/bin/env node
// `jam analyze` on audio, beside `jam analyze` on the MIDI the audio was played from: a few POP909 development songs
// of the held-out half (odd numbers), both files of each, rendered with FluidSynth and the FluidR3 GM soundfont,
// then analysed through the real command line (`jam analyze song.wav --format lab`: transcribed with Basic Pitch,
// then analysed on beats found in the notes), and scored against the song's labels as the MIDI analysis is.
// Needs the Debian packages fluidsynth and fluid-soundfont-gm. Run after `npm run build`:
//
//   node scripts/accuracy-audio.js [songs, default 4]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Analysis } from '../dist/index.js';
import { missingTool, SOUNDFONT } from './lib/fluidsynth.js';
import { pop909Songs } from './lib/pop909.js';

const { analyzeMidi, chordScores, keyScore, parseKey, parseLab } = Analysis;
const JAM = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'jam.js');
const COUNT = Number(process.argv[2] ?? 4);
const SAMPLE_RATE = 44100;

const missing = missingTool();
if (missing) {
  console.error(`accuracy-audio: ${missing}`);
  process.exit(1);
}
const songs = pop909Songs('odd').slice(0, COUNT);
if (songs.length === 0) {
  console.error('accuracy-audio: no POP909 songs found (see scripts/lib/pop909.js)');
  process.exit(1);
}

const folder = mkdtempSync(path.join(tmpdir(), 'jam-accuracy-audio-'));
const rows = [];
const started = performance.now();
try {
  for (const song of songs) {
    const key = parseKey(song.key());
    for (const [labels, file, reference] of [
      ['human-corrected', song.clMidi, song.clChords()],
      ['extracted', song.midi, song.chords()],
    ]) {
      const wav = path.join(folder, `${path.basename(file, '.mid')}.wav`);
      execFileSync('fluidsynth', ['-ni', '-q', '-F', wav, '-r', String(SAMPLE_RATE), SOUNDFONT, file], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const fromMidi = analyzeMidi(readFileSync(file), file);
      const audioStarted = performance.now();
      const lab = spawnSync(process.execPath, [JAM, 'analyze', wav, '--format', 'lab'], { encoding: 'utf8' });
      if (lab.status !== 0) throw new Error(`jam analyze ${wav} failed: ${lab.stderr}`);
      const json = spawnSync(process.execPath, [JAM, 'analyze', wav, '--json'], { encoding: 'utf8' });
      const audioKey = json.status === 0 ? JSON.parse(json.stdout).key : null;
      const seconds = (performance.now() - audioStarted) / 1000;
      rows.push({
        song: song.id,
        labels,
        midi: { ...chordScores(reference, fromMidi.chords), key: keyScore(key, fromMidi.key) },
        audio: {
          ...chordScores(reference, parseLab(lab.stdout, wav)),
          key: audioKey ? keyScore(key, parseKey(audioKey.name)) : 0,
        },
        seconds,
      });
      process.stderr.write(`${song.id} (${labels}): ${seconds.toFixed(1)} s\n`);
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const FIGURES = ['root', 'majmin', 'sevenths', 'key'];
console.log(
  `\njam analyze from audio (FluidSynth, FluidR3 GM) beside the same MIDI, ${songs.length} held-out POP909 songs\n`,
);
console.log(`| song | labels | from | ${FIGURES.join(' | ')} |`);
console.log(`| --- | --- | --- | ${FIGURES.map(() => '---:').join(' | ')} |`);
for (const row of rows)
  for (const from of ['midi', 'audio'])
    console.log(
      `| ${row.song} | ${row.labels} | ${from} | ${FIGURES.map((f) => row[from][f].toFixed(3)).join(' | ')} |`,
    );
for (const labels of ['human-corrected', 'extracted']) {
  const some = rows.filter((row) => row.labels === labels);
  for (const from of ['midi', 'audio']) {
    const mean = (f) => some.reduce((sum, row) => sum + row[from][f], 0) / some.length;
    console.log(`| mean | ${labels} | ${from} | ${FIGURES.map((f) => mean(f).toFixed(3)).join(' | ')} |`);
  }
}
console.log(`\n${rows.length} renders analysed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
