#!/usr/bin/env node
// Key and chord accuracy of `jam analyze`, in one run, side by side:
//   - naive: the baseline of the analysis issue, a few dozen lines: one Krumhansl–Kessler profile over the whole
//     song for the key, major/minor triad templates (the bass weighted) on fixed half-second windows for the chords;
//   - jam before: jam's previous analyser (template scores smoothed on the beats, profiles and cadences for the key),
//     kept selectable inside analyzeNotes for this comparison;
//   - jam: today's analyser (the fitted chord model decoded on the beats, the fitted key model).
// On two kinds of material:
//   - real songs: the 301 POP909 development songs (scripts/lib/pop909.js), each scored against both its label sets
//     (human-corrected labels on the one-track file, the dataset's extracted labels on the three-track file), in two
//     halves: "even" is where every setting and table of jam's models was fitted and chosen, "odd" is never read by
//     the fit scripts;
//   - generated songs: the held-out song generator's arrangements (scripts/songs/heldout.js), as before.
// Scores are MIREX weighted chord symbol recall (root, majmin, sevenths) and the weighted key score; real songs are
// averaged over songs (as the issue reports them), generated songs weighted by duration over all songs (as this
// script reported them before). Last, the chord qualities each system writes most, by time, against the references'.
//
//   node scripts/accuracy-analyze.js [generated songs, default 60]      (after npm run build)
import { readFileSync } from 'node:fs';
import { Analysis, Midi } from '../dist/index.js';
import { HALVES, pop909Songs, POP909_FOLDER } from './lib/pop909.js';
import { songLabels, songMidi } from './songs/common.js';
import { heldOutSongs } from './songs/heldout.js';

const { analyzeMidi, chordScores, keyCorrelations, keyScore, parseKey } = Analysis;
const { midiNotes } = Midi;

const GENERATED = Number(process.argv[2] ?? 60);
const BASELINE_WINDOW = 0.5;
/** How much more the lowest note of a window counts in the naive templates. */
const BASELINE_BASS_WEIGHT = 1;
const PITCH_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'];
const TRIADS = { maj: [0, 4, 7], min: [0, 3, 7] };

/** Duration-weighted pitch classes of the notes between two times, and of the lowest sounding one. */
function chroma(notes, from, to) {
  const weights = new Array(12).fill(0);
  const bass = new Array(12).fill(0);
  let lowest = null;
  for (const note of notes) {
    if (note.start >= to) break;
    const overlap = Math.min(note.end, to) - Math.max(note.start, from);
    if (overlap <= 0) continue;
    weights[note.pitch % 12] += overlap;
    if (!lowest || note.pitch < lowest.pitch) lowest = note;
  }
  if (lowest) bass[lowest.pitch % 12] = Math.min(lowest.end, to) - Math.max(lowest.start, from);
  return { weights, bass };
}

function baselineKey(notes, duration) {
  const correlations = keyCorrelations(chroma(notes, 0, duration).weights, 'krumhansl-kessler');
  let best = 0;
  for (let i = 1; i < 24; i++) if (correlations[i] > correlations[best]) best = i;
  return parseKey(`${PITCH_NAMES[best % 12]} ${best < 12 ? 'major' : 'minor'}`);
}

function baselineChords(notes, duration) {
  const chords = [];
  for (let start = 0; start < duration; start += BASELINE_WINDOW) {
    const end = Math.min(duration, start + BASELINE_WINDOW);
    const { weights, bass } = chroma(notes, start, end);
    const all = weights.map((w, pc) => w + BASELINE_BASS_WEIGHT * bass[pc]);
    const norm = Math.hypot(...all);
    let label = 'N';
    let best = 0;
    if (norm > 0) {
      for (let root = 0; root < 12; root++) {
        for (const [quality, intervals] of Object.entries(TRIADS)) {
          const score =
            intervals.reduce((sum, interval) => sum + all[(root + interval) % 12], 0) / (norm * Math.sqrt(3));
          if (score > best) [best, label] = [score, `${PITCH_NAMES[root]}:${quality}`];
        }
      }
    }
    chords.push({ start, end, label });
  }
  return chords;
}

const SYSTEMS = {
  naive: null,
  'jam before': { decoder: 'legacy', keyModel: false },
  jam: {},
};

/** One file analysed by every system: chord scores against `reference`, key score, and the labels written. */
function scoreFile(bytes, name, reference, key) {
  const results = {};
  for (const [system, options] of Object.entries(SYSTEMS)) {
    let chords;
    let estimatedKey;
    if (options === null) {
      const notes = midiNotes(bytes, name);
      const duration = Math.max(
        reference.at(-1).end,
        notes.reduce((end, note) => Math.max(end, note.end), 0),
      );
      chords = baselineChords(notes, duration);
      estimatedKey = baselineKey(notes, duration);
    } else {
      const analysis = analyzeMidi(bytes, name, options);
      chords = analysis.chords;
      estimatedKey = analysis.key;
    }
    results[system] = {
      ...chordScores(reference, chords),
      key: estimatedKey ? keyScore(key, estimatedKey) : 0,
      chords,
    };
  }
  return results;
}

/** Seconds of each chord quality ("maj", "min7", "5", "N", …) in a timeline, added into `into`. */
function countQualities(chords, into) {
  for (const { start, end, label } of chords) {
    const quality = label === 'N' || label === 'X' ? label : (label.split(':')[1] ?? 'maj').split('/')[0];
    into.set(quality, (into.get(quality) ?? 0) + end - start);
  }
}

const FIGURES = ['root', 'majmin', 'sevenths', 'key'];
const format = (value) => (Number.isFinite(value) ? value.toFixed(3) : '–');

function table(title, rows) {
  console.log(`\n${title}\n`);
  console.log(`| system | ${FIGURES.join(' | ')} |`);
  console.log(`| --- | ${FIGURES.map(() => '---:').join(' | ')} |`);
  for (const [name, figures] of rows)
    console.log(`| ${name} | ${FIGURES.map((f) => format(figures[f])).join(' | ')} |`);
}

const started = performance.now();
// Real songs: per label set, per half, per system, the songs' scores.
const LABEL_SETS = {
  'human-corrected labels (POP909-CL, one-track files)': (song) => [song.clMidi, song.clChords()],
  'extracted labels (POP909, three-track files)': (song) => [song.midi, song.chords()],
};
const real = {};
const qualities = {};
const songs = pop909Songs();
for (const song of songs) {
  const key = parseKey(song.key());
  for (const [set, files] of Object.entries(LABEL_SETS)) {
    const [file, reference] = files(song);
    const results = scoreFile(readFileSync(file), file, reference, key);
    qualities[set] ??= { reference: new Map() };
    countQualities(reference, qualities[set].reference);
    for (const [system, result] of Object.entries(results)) {
      ((real[set] ??= {})[`${system}|${song.half}`] ??= []).push(result);
      countQualities(result.chords, (qualities[set][system] ??= new Map()));
    }
  }
}
const realSeconds = (performance.now() - started) / 1000;

const mean = (list, figure) => list.reduce((sum, r) => sum + r[figure], 0) / list.length;
if (songs.length === 0) console.log(`(no POP909 songs at ${POP909_FOLDER}: real songs skipped)`);
for (const [set, bySystem] of Object.entries(real)) {
  const rows = [];
  for (const half of HALVES) {
    for (const system of Object.keys(SYSTEMS)) {
      const list = bySystem[`${system}|${half}`] ?? [];
      const figures = Object.fromEntries(FIGURES.map((f) => [f, mean(list, f)]));
      if (system === 'naive') Object.assign(figures, { root: NaN, sevenths: NaN });
      rows.push([
        `${system}, ${half} half (${list.length} songs${half === 'even' ? ', fitted on' : ', held out'})`,
        figures,
      ]);
    }
  }
  table(`Real songs, ${set}`, rows);
}

// Generated songs.
const generatedStarted = performance.now();
const generated = {};
const generatedSongs = heldOutSongs(GENERATED);
for (const song of generatedSongs) {
  const reference = songLabels(song);
  const results = scoreFile(songMidi(song), song.name, reference, parseKey(song.key));
  for (const [system, result] of Object.entries(results)) (generated[system] ??= []).push(result);
}
const weighted = (list, figure) =>
  list.reduce((sum, r) => sum + r[figure] * r.duration, 0) / list.reduce((sum, r) => sum + r.duration, 0);
table(
  `Generated songs (${generatedSongs.length} held-out arrangements; chords weighted by duration over all songs)`,
  Object.entries(generated).map(([system, list]) => {
    const figures = {
      ...Object.fromEntries(['root', 'majmin', 'sevenths'].map((f) => [f, weighted(list, f)])),
      key: mean(list, 'key'),
    };
    if (system === 'naive') Object.assign(figures, { root: NaN, sevenths: NaN });
    return [system, figures];
  }),
);

// The qualities written most, by time.
const TOP = 10;
for (const [set, bySystem] of Object.entries(qualities)) {
  console.log(`\nChord qualities by share of time, ${set} (all songs)\n`);
  const columns = ['reference', ...Object.keys(SYSTEMS)];
  console.log(`| rank | ${columns.join(' | ')} |`);
  console.log(`| ---: | ${columns.map(() => '---').join(' | ')} |`);
  const ranked = columns.map((column) => {
    const counts = [...bySystem[column].entries()];
    const sum = counts.reduce((s, [, seconds]) => s + seconds, 0);
    return counts.sort((a, b) => b[1] - a[1]).map(([q, seconds]) => `${q} ${((100 * seconds) / sum).toFixed(1)} %`);
  });
  for (let rank = 0; rank < TOP; rank++)
    console.log(`| ${rank + 1} | ${ranked.map((list) => list[rank] ?? '').join(' | ')} |`);
}
console.log(
  `\n${songs.length} real songs × 2 files in ${realSeconds.toFixed(1)} s, ${generatedSongs.length} generated songs in ${((performance.now() - generatedStarted) / 1000).toFixed(1)} s (three systems each)`,
);
