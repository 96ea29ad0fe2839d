#!/usr/bin/env node
// Fits jam's chord model (src/theory/analysis/chordModel.ts) on the "fit" half of the POP909 development songs
// (even song numbers, scripts/lib/pop909.js) and writes src/theory/analysis/data/chordModel.ts. Run after
// `npm run build`, then build again:
//
//   node scripts/fit-chord-model.js [--no-search]
//
// What it counts, beat by beat on jam's own beat frames (the same frames `jam analyze` decodes), with the label in
// force at each frame's middle:
// - emissions: for each quality, how the beat's accompaniment, melody and bass weight spreads over the 12 pitch
//   classes above the root (shares of the beat's weight, summed, plus a prior that puts most weight on the
//   quality's own notes, so rare qualities have sensible profiles);
// - transitions: how often the chord stays into each beat of the bar, and, when it changes, to which quality and how
//   far the root moves.
// Both label sets teach it: the human-corrected labels of the one-track files and the dataset's extracted labels of
// the three-track files. Then the streams' weights and the cost of "no chord" are chosen by coordinate ascent on the
// same half, scored frame by frame (majmin and sevenths). The other half ("check") is never read here.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pieceFromMidi } from '../dist/app/load.js';
import { chordFrames } from '../dist/theory/analysis/analyze.js';
import { decodeChords } from '../dist/theory/analysis/chordModel.js';
import { parseHarte } from '../dist/theory/analysis/harte.js';
import { chordState, NO_CHORD } from '../dist/theory/analysis/chords.js';
import { pop909Songs } from './lib/pop909.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = path.join(ROOT, 'src', 'theory', 'analysis', 'data', 'chordModel.ts');
const PC = 12;
const BAR = 4;
/** Positions: the beats of the bar, then off the beat. */
const POSITIONS = BAR + 1;

/** The qualities the model tells apart, with their notes above the root. */
export const MODEL_QUALITIES = {
  maj: [0, 4, 7],
  min: [0, 3, 7],
  7: [0, 4, 7, 10],
  maj7: [0, 4, 7, 11],
  min7: [0, 3, 7, 10],
  dim: [0, 3, 6],
  hdim7: [0, 3, 6, 10],
  aug: [0, 4, 8],
  sus2: [0, 2, 7],
  sus4: [0, 5, 7],
  maj6: [0, 4, 7, 9],
  min6: [0, 3, 7, 9],
  '7sus4': [0, 5, 7, 10],
};
const QUALITIES = Object.keys(MODEL_QUALITIES);
const Q = QUALITIES.length;
const N = Q;
/** Prior: this many beats' worth of weight, shared by the quality's notes (most) and all twelve. */
const PRIOR_BEATS = 20;
const PRIOR_ON_CHORD = 0.8;
const TRANSITION_PRIOR = 0.5;

const bitmapKey = (steps) => steps.reduce((mask, step) => mask | (1 << step), 0);
const QUALITY_BY_MASK = new Map(QUALITIES.map((name, q) => [bitmapKey(MODEL_QUALITIES[name]), q]));

/** A label as [quality index, root] (N: [N, 0]); null when the model has no such quality (X, power chords). */
export function labelClass(label) {
  if (label === 'N') return [N, 0];
  let chord;
  try {
    chord = parseHarte(label);
  } catch {
    return null;
  }
  if (chord.root < 0) return null;
  const mask = chord.bitmap.reduce((m, bit, step) => (bit ? m | (1 << step) : m), 0);
  const q = QUALITY_BY_MASK.get(mask);
  return q === undefined ? null : [q, chord.root];
}

/** The label in force at `time`. */
export function labelAt(labels, time) {
  let low = 0;
  let high = labels.length - 1;
  if (labels.length === 0 || time < labels[0].start || time >= labels[high].end) return 'N';
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (labels[middle].start <= time) low = middle;
    else high = middle - 1;
  }
  return time < labels[low].end ? labels[low].label : 'N';
}

/** A song file's frames, as analyzeNotes makes them, and the reference class of each. */
export function songFrames(file, labels) {
  const piece = pieceFromMidi(readFileSync(file), file);
  const sort = (list) => [...list].sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  const notes = sort(piece.notes);
  const frames = piece.parts
    ? chordFrames(notes, sort(piece.parts.accompaniment), sort(piece.parts.melody), piece.duration, piece.grid)
    : chordFrames(notes, notes, null, piece.duration, piece.grid);
  const edges = frames.spans.edges;
  const classes = [];
  const lengths = [];
  for (let f = 0; f + 1 < edges.length; f++) {
    classes.push(labelClass(labelAt(labels, (edges[f] + edges[f + 1]) / 2)));
    lengths.push(edges[f + 1] - edges[f]);
  }
  return { ...frames, classes, lengths };
}

function rotatedShares(stream, frame, root, into) {
  let sum = 0;
  for (let pc = 0; pc < PC; pc++) sum += stream[frame * PC + pc];
  if (sum === 0) return false;
  for (let pc = 0; pc < PC; pc++) into[(pc - root + PC) % PC] += stream[frame * PC + pc] / sum;
  return true;
}

function fit(songs) {
  const profiles = ['accompaniment', 'melody', 'bass'].map(() =>
    Array.from({ length: Q + 1 }, () => new Array(PC).fill(0)),
  );
  const stays = new Array(POSITIONS).fill(0);
  const moves = new Array(POSITIONS).fill(0);
  const changes = Array.from({ length: Q + 1 }, () => Array.from({ length: Q + 1 }, () => new Array(PC).fill(0)));
  for (const song of songs) {
    const { features, classes, positions } = song;
    const streams = [features.accompaniment, features.melody, features.bass];
    classes.forEach((cls, f) => {
      if (!cls) return;
      streams.forEach((stream, s) => rotatedShares(stream, f, cls[1], profiles[s][cls[0]]));
      const before = classes[f - 1];
      if (f === 0 || !before) return;
      const same = before[0] === cls[0] && before[1] === cls[1];
      if (same) stays[positions[f]]++;
      else {
        moves[positions[f]]++;
        if (cls[0] === N) changes[before[0]][N][0]++;
        else if (before[0] === N) for (let step = 0; step < PC; step++) changes[N][cls[0]][step] += 1 / PC;
        else changes[before[0]][cls[0]][(cls[1] - before[1] + PC) % PC]++;
      }
    });
  }
  const emission = profiles.map((rows) =>
    rows.map((row, q) => {
      const steps = q === N ? [] : MODEL_QUALITIES[QUALITIES[q]];
      const prior = row.map(
        (_, step) =>
          PRIOR_BEATS * ((1 - PRIOR_ON_CHORD) / PC + (steps.includes(step) ? PRIOR_ON_CHORD / steps.length : 0)) +
          (q === N ? PRIOR_BEATS * (PRIOR_ON_CHORD / PC) : 0),
      );
      const sum = row.reduce((a, b, i) => a + b + prior[i], 0);
      return row.map((value, i) => round((value + prior[i]) / sum));
    }),
  );
  const transitions = changes.map((rows, q1) => {
    const smoothed = rows.map((row, q2) =>
      row.map((count, step) => {
        if (q2 === N) return step === 0 ? count + TRANSITION_PRIOR : 0;
        if (q1 === q2 && step === 0) return 0;
        return count + TRANSITION_PRIOR / PC;
      }),
    );
    const sum = smoothed.flat().reduce((a, b) => a + b, 0);
    return smoothed.map((row) => row.map((value) => round(value / sum)));
  });
  return {
    qualities: QUALITIES,
    accompaniment: emission[0],
    melody: emission[1],
    bass: emission[2],
    stay: stays.map((count, p) => round((count + 1) / (count + moves[p] + 2))),
    transitions,
  };
}

function round(value) {
  return Math.max(Number(value.toPrecision(4)), 1e-6);
}

/** Frame-level majmin and sevenths of the model's decoding of `songs` (time-weighted, mean over songs). */
export function frameScores(songs, model) {
  const stateClass = new Map();
  for (let q = 0; q < Q; q++)
    for (let root = 0; root < PC; root++) stateClass.set(chordState(root, QUALITIES[q]), [q, root]);
  stateClass.set(NO_CHORD, [N, 0]);
  const triad = (q) => (q === N ? 'N' : MODEL_QUALITIES[QUALITIES[q]].slice(0, 3).join());
  const seventhSet = new Set([0, 1, 2, 3, 4, N]);
  let majmin = 0;
  let sevenths = 0;
  for (const song of songs) {
    const path = decodeChords(song.features, song.positions, model);
    let mm = [0, 0];
    let sv = [0, 0];
    song.classes.forEach((cls, f) => {
      if (!cls) return;
      const est = stateClass.get(path[f]) ?? [-1, -1];
      const w = song.lengths[f];
      if (cls[0] <= 1 || cls[0] === N) {
        mm[1] += w;
        if (est[1] === cls[1] && triad(est[0]) === triad(cls[0]) && (cls[0] === N) === (est[0] === N)) mm[0] += w;
      }
      if (seventhSet.has(cls[0])) {
        sv[1] += w;
        if (est[1] === cls[1] && est[0] === cls[0]) sv[0] += w;
      }
    });
    majmin += mm[1] ? mm[0] / mm[1] : 0;
    sevenths += sv[1] ? sv[0] / sv[1] : 0;
  }
  return { majmin: majmin / songs.length, sevenths: sevenths / songs.length };
}

function modelSource(model) {
  const json = JSON.stringify(model);
  return `/**
 * jam's chord model (see chordModel.ts): fitted by scripts/fit-chord-model.js on the POP909 development songs of even
 * number, both label sets. Do not edit by hand; fit again.
 */
export interface ChordModel {
  /** Chord qualities (names of the chord vocabulary) the model tells apart; "no chord" follows them in every table. */
  qualities: string[];
  /** For each quality, then no chord: how its weight spreads over the 12 pitch classes above the root, per stream. */
  accompaniment: number[][];
  melody: number[][];
  bass: number[][];
  /** How likely the chord is to stay the same into each beat of the bar (0 the downbeat). */
  stay: number[];
  /** Given a change, from quality q1 to q2 with the root \`step\` semitones up: [q1][q2][step] (no chord: step 0). */
  transitions: number[][][];
  /** How much each stream counts, and what "no chord" costs where something sounds. */
  weights: { accompaniment: number; melody: number; bass: number; noChord: number };
}

export const CHORD_MODEL: ChordModel = ${json};
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const songs = [];
  for (const song of pop909Songs('even')) {
    songs.push(songFrames(song.clMidi, song.clChords()));
    songs.push(songFrames(song.midi, song.chords()));
  }
  process.stderr.write(`${songs.length} files read in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  // The tables do not depend on the weights; the weights are chosen one at a time (coordinate ascent), twice round.
  const tables = fit(songs);
  let weights = { accompaniment: 6, melody: 1, bass: 2, noChord: 3 };
  const evaluate = (candidate) => {
    const s = frameScores(songs, { ...tables, weights: candidate });
    return { ...s, total: s.majmin + s.sevenths };
  };
  if (!process.argv.includes('--no-search')) {
    let best = evaluate(weights);
    const factors = [0.5, 0.7, 1.4, 2];
    for (let round = 0; round < 2; round++)
      for (const name of Object.keys(weights))
        for (const factor of factors) {
          const candidate = { ...weights, [name]: Number((weights[name] * factor).toPrecision(3)) };
          const s = evaluate(candidate);
          if (s.total > best.total) {
            best = s;
            weights = candidate;
            process.stderr.write(
              `${JSON.stringify(weights)} majmin ${s.majmin.toFixed(4)} sevenths ${s.sevenths.toFixed(4)}\n`,
            );
          }
        }
  }
  writeFileSync(TARGET, modelSource({ ...tables, weights }));
  process.stderr.write(`wrote ${path.relative(ROOT, TARGET)} with ${JSON.stringify(weights)}\n`);
}
