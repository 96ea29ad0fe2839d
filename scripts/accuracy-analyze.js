#!/usr/bin/env node
// Key and chord accuracy of `jam analyze` on generated pop-song arrangements (melody, piano or guitar,
// bass, drums), side by side with the naive baseline the analysis issue describes: one Krumhansl–Kessler
// profile over the whole song for the key, major/minor triad templates on fixed half-second windows for
// the chords. Both read the same MIDI files and are scored the same way (MIREX weighted key score; chord
// symbol recall weighted by duration over all songs, as mir_eval compares root, majmin and sevenths).
//
//   node scripts/accuracy-analyze.js [heldout|dev] [songs]     (after npm run build)
//
// "heldout" (the default) is material the analyser was never tuned on; "dev" is what it was tuned on.
import { Analysis, Midi } from '../dist/index.js';
import { songLabels, songMidi } from './songs/common.js';
import { devSongs } from './songs/dev.js';
import { heldOutSongs } from './songs/heldout.js';

const { analyzeMidi, chordScores, keyCorrelations, keyScore, parseKey, PROFILE_NAMES } = Analysis;
const { midiNotes } = Midi;

const set = process.argv[2] ?? 'heldout';
const count = Number(process.argv[3] ?? 60);
const songs = set === 'dev' ? devSongs(count) : set === 'heldout' ? heldOutSongs(count) : null;
if (!songs) {
  console.error('usage: node scripts/accuracy-analyze.js [heldout|dev] [songs]');
  process.exit(2);
}

const BASELINE_WINDOW = 0.5;
const PITCH_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'];
const TRIADS = { maj: [0, 4, 7], min: [0, 3, 7] };

/** Duration-weighted pitch classes of the notes between two times. */
function chroma(notes, from, to) {
  const weights = new Array(12).fill(0);
  for (const note of notes) {
    const overlap = Math.min(note.end, to) - Math.max(note.start, from);
    if (overlap > 0) weights[note.pitch % 12] += overlap;
  }
  return weights;
}

function baselineKey(notes, duration) {
  const correlations = keyCorrelations(chroma(notes, 0, duration), 'krumhansl-kessler');
  let best = 0;
  for (let i = 1; i < 24; i++) if (correlations[i] > correlations[best]) best = i;
  return parseKey(`${PITCH_NAMES[best % 12]} ${best < 12 ? 'major' : 'minor'}`);
}

function baselineChords(notes, duration) {
  const chords = [];
  for (let start = 0; start < duration; start += BASELINE_WINDOW) {
    const end = Math.min(duration, start + BASELINE_WINDOW);
    const weights = chroma(notes, start, end);
    const norm = Math.hypot(...weights);
    let label = 'N';
    let best = 0;
    if (norm > 0) {
      for (let root = 0; root < 12; root++) {
        for (const [quality, intervals] of Object.entries(TRIADS)) {
          const score =
            intervals.reduce((sum, interval) => sum + weights[(root + interval) % 12], 0) / (norm * Math.sqrt(3));
          if (score > best) [best, label] = [score, `${PITCH_NAMES[root]}:${quality}`];
        }
      }
    }
    chords.push({ start, end, label });
  }
  return chords;
}

function summarise(results) {
  const seconds = results.reduce((sum, r) => sum + r.chords.duration, 0);
  const weighted = (name) => results.reduce((sum, r) => sum + r.chords[name] * r.chords.duration, 0) / seconds;
  return {
    key: results.reduce((sum, r) => sum + r.key, 0) / results.length,
    root: weighted('root'),
    majmin: weighted('majmin'),
    sevenths: weighted('sevenths'),
  };
}

const systems = { 'naive baseline (KK profile, triads on 0.5 s windows)': [] };
for (const profile of PROFILE_NAMES) systems[`jam analyze --profile ${profile}`] = [];
const started = performance.now();
for (const song of songs) {
  const bytes = songMidi(song);
  const reference = songLabels(song);
  const key = parseKey(song.key);
  const notes = midiNotes(bytes, song.name);
  const duration = reference[reference.length - 1].end;
  systems['naive baseline (KK profile, triads on 0.5 s windows)'].push({
    key: keyScore(key, baselineKey(notes, duration)),
    chords: chordScores(reference, baselineChords(notes, duration)),
  });
  for (const profile of PROFILE_NAMES) {
    const analysis = analyzeMidi(bytes, song.name, { profile });
    systems[`jam analyze --profile ${profile}`].push({
      key: analysis.key ? keyScore(key, analysis.key) : 0,
      chords: chordScores(reference, analysis.chords),
    });
  }
}
const minutes = songs.reduce((sum, song) => sum + songLabels(song).at(-1).end, 0) / 60;
console.log(
  `${songs.length} ${set} songs (${minutes.toFixed(0)} minutes), scored in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log('| system | key score | root | majmin | sevenths |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, results] of Object.entries(systems)) {
  const s = summarise(results);
  console.log(
    `| ${name} | ${s.key.toFixed(3)} | ${s.root.toFixed(3)} | ${s.majmin.toFixed(3)} | ${s.sevenths.toFixed(3)} |`,
  );
}
