/**
 * The whole analysis of a piece: beat grid → chords on the beats → key and key changes → Roman numerals.
 */
import type { NoteEvent } from '../../types.js';
import { estimateBeatGrid } from './beats.js';
import { MAJOR_THIRD, MINOR_THIRD, PITCH_CLASSES, spanChroma, sumSpans, total, type SpanChroma } from './chroma.js';
import {
  chordName,
  chordOfNotes,
  chordState,
  inversionBass,
  NO_CHORD,
  recognizeChords,
  statePitchClasses,
  stateQuality,
  stateRoot,
  stateTriad,
  withAddedNotes,
} from './chords.js';
import {
  homeKeyScores,
  keyCorrelations,
  keyFromScores,
  keyIndex,
  keyOf,
  keyPath,
  keyPitchClass,
  type HarmonyEvent,
} from './key.js';
import { DEFAULT_PROFILE } from './keyProfiles.js';
import { romanNumeral } from './roman.js';
import { decodeChords, MODEL_BAR, OFF_BEAT, type ChordFeatures } from './chordModel.js';
import { CHORD_MODEL } from './data/chordModel.js';
import { KEY_MODEL } from './data/keyModel.js';
import { alignedGrid } from './meter.js';
import { keyModelScores } from './keyModel.js';
import { splitTopVoice } from './voices.js';
import { changeCost, pieceSpans, TIME_EPSILON, type Spans } from './spans.js';
import type { Analysis, BeatGrid, ChordSegment, KeyEstimate, KeySegment, ProfileName } from './types.js';
import { round } from '../../numbers.js';

export interface AnalyzeOptions {
  profile?: ProfileName;
  /**
   * Notes known to carry the tune (a MIDI track named for it), given apart from the notes to analyse, which are then
   * the accompaniment. Without them, the top voice of the notes is taken for the tune.
   */
  melody?: NoteEvent[];
  /**
   * @internal How chords are decoded: 'model' (the fitted chord model, the default) or 'legacy' (the template
   * smoothing jam used before it, kept for scripts/accuracy-analyze.js to compare against).
   */
  decoder?: 'model' | 'legacy';
  /** @internal Whether a song's key is judged by the fitted key model (else by profiles and cadences, as before). */
  keyModel?: boolean;
  /** @internal Receives what the key is judged on (for scripts/fit-key-model.js). */
  keyEvidence?: (evidence: KeyEvidence) => void;
  /** @internal Whether richer chords (sevenths, sixths, ninths) are read from held notes after decoding. */
  addedNotes?: boolean;
  /** The beat grid (from a MIDI file); estimated from the notes' onsets when absent. */
  grid?: BeatGrid;
  /** The piece's length in seconds, when it runs on past its last note. */
  duration?: number;
}

/** A third with no more than this share of all the notes' weight over the whole of a chord is absent. */
const ABSENT_THIRD_SHARE = 0;
const POWER_CHORD = '5';
/**
 * Pieces of more than this many chords are songs, whose key the fitted key model judges; shorter ones are
 * progressions and loops (a pack's files, repeated a few times), whose key is heard from their ends (see key.ts).
 */
const SONG_CHORDS = 16;
/** How much more the bass counts than other notes when weighing pitch classes for the key. */
const BASS_KEY_EMPHASIS = 1;

export function analyzeNotes(input: NoteEvent[], options: AnalyzeOptions = {}): Analysis {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const playable = (list: NoteEvent[]) =>
    list.filter((note) => note.end > note.start).sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  const given = playable(input);
  const tune = options.melody ? playable(options.melody) : null;
  const notes = tune ? playable([...given, ...tune]) : given;
  const duration = notes.reduce((end, note) => Math.max(end, note.end), options.duration ?? 0);
  if (options.decoder === 'legacy') {
    const grid = options.grid ?? estimateBeatGrid(notes, duration);
    const spans = pieceSpans(grid, notes, duration);
    const chroma = spanChroma(notes, spans.edges);
    const states = recognizeChords(chroma, spans.weight, (span) => changeCost(spans, span));
    return finish(notes, withAddedNotesByBar(states, chroma, spans), chroma, spans, grid, duration, profile);
  }
  const frames = chordFrames(notes, given, tune, duration, options.grid);
  const states = decodeChords(frames.features, frames.positions);
  // All the notes' weights are the two streams' together; the bass is the accompaniment's.
  const chroma = {
    ...frames.chords,
    notes: frames.chords.notes.map((weight, i) => weight + frames.features.melody[i]),
  };
  const decided = options.addedNotes === false ? states : refineByBar(states, frames.chords, chroma, frames.spans);
  if (options.keyEvidence) {
    const harmony = harmonyOf(chordRuns(decided), frames.spans.edges);
    options.keyEvidence({
      harmony,
      weights: sumSpans(chroma.notes, 0, chroma.notes.length / PITCH_CLASSES),
      profileScores: pieceKeyScores(chroma, harmony, profile),
    });
  }
  return finish(notes, decided, chroma, frames.spans, frames.grid, duration, profile, options.keyModel !== false);
}

/** Suspended chords, which the model may choose where the third is quiet; a held third makes them triads again. */
const SUSPENDED = new Set(['sus2', 'sus4', '7sus4']);
const TRIADS = ['maj', 'min'];

/**
 * The decoded chords made precise bar by bar from the notes the accompaniment holds (see withAddedNotes). The model
 * tells apart the chords pop charts use, and its choice stands, except: a suspended chord whose third is held is the
 * triad (Csus2 with E held is Cadd9); a chord one of whose notes is not heard at all is the chord of the notes that
 * are (Bm7b5 without A is Bdim); the same notes over a clear bass are named from the bass (C E G A over C is C6, not
 * Am7/C); and chords beyond the model's vocabulary (ninths, 6/9, power chords) are read from held notes alone, a
 * power chord only where no third sounds anywhere in the chord's run, in the tune either.
 */
function refineByBar(states: Int32Array, accompaniment: SpanChroma, all: SpanChroma, spans: Spans): Int32Array {
  const decided = Int32Array.from(states);
  for (const run of chordRuns(states)) {
    if (run.state === NO_CHORD) continue;
    const near = sumSpans(all.notes, run.from, run.to);
    let from = run.from;
    for (let span = run.from + 1; span <= run.to; span++) {
      if (span < run.to && spans.beat[span] !== 1) continue;
      decided.fill(refined(run.state, accompaniment, spans.weight, from, span, near), from, span);
      from = span;
    }
  }
  return decided;
}

function refined(
  state: number,
  chroma: SpanChroma,
  weights: Float64Array,
  from: number,
  to: number,
  near: Float64Array,
): number {
  const bass = sumSpans(chroma.bass, from, to);
  return namedFromBass(richerChord(state, chroma, weights, from, to, near), bass);
}

function richerChord(
  state: number,
  chroma: SpanChroma,
  weights: Float64Array,
  from: number,
  to: number,
  near: Float64Array,
): number {
  const root = stateRoot(state);
  const mask = pitchClassMask(state);
  if (SUSPENDED.has(stateQuality(state).name)) {
    for (const triad of TRIADS) {
      const candidate = withAddedNotes(chordState(root, triad), chroma, weights, from, to);
      const keepsThird = candidate !== NO_CHORD && stateTriad(candidate) !== null && stateRoot(candidate) === root;
      if (keepsThird && (pitchClassMask(candidate) & mask) === mask) return candidate;
    }
  }
  const richer = withAddedNotes(state, chroma, weights, from, to);
  if (richer === state) return state;
  const richerMask = pitchClassMask(richer);
  const quality = stateQuality(richer).name;
  if (CHORD_MODEL.qualities.includes(quality)) {
    if ((richerMask & mask) === richerMask) return richer;
    return stateRoot(richer) === root && (richerMask & mask) === mask ? richer : state;
  }
  if (quality !== POWER_CHORD) return richer;
  const third = near[(root + MINOR_THIRD) % PITCH_CLASSES] + near[(root + MAJOR_THIRD) % PITCH_CLASSES];
  return stateRoot(richer) === root && third <= ABSENT_THIRD_SHARE * total(near) ? richer : state;
}

/** The chord of the same notes rooted on the bass, when the bass is on one of them but not on this chord's root. */
function namedFromBass(state: number, bass: Float64Array): number {
  const named = chordOfNotes(pitchClassMask(state), bass);
  const lowest = bass.indexOf(Math.max(...bass));
  return named !== null && bass[lowest] > 0 && stateRoot(named) === lowest && stateRoot(state) !== lowest
    ? named
    : state;
}

function pitchClassMask(state: number): number {
  return statePitchClasses(state).reduce((mask, pc) => mask | (1 << pc), 0);
}

/** What the chord model reads of a piece: its beats as frames, where each falls in the bar, and each one's notes. */
export interface ChordFrames {
  grid: BeatGrid;
  spans: Spans;
  /** The accompaniment's chroma over the frames. */
  chords: SpanChroma;
  features: ChordFeatures;
  /** Each frame's beat in the bar, from 0 (as the chord model counts, MODEL_BAR to a bar), or OFF_BEAT. */
  positions: Int32Array;
}

/**
 * @internal The frames of a piece (all its notes, sorted; those given as accompaniment; the tune when known), also
 * what scripts/fit-chord-model.js fits the model on.
 */
export function chordFrames(
  notes: NoteEvent[],
  given: NoteEvent[],
  tune: NoteEvent[] | null,
  duration: number,
  fileGrid?: BeatGrid,
): ChordFrames {
  const { melody, accompaniment } = tune ? { melody: tune, accompaniment: given } : splitTopVoice(notes);
  const grid = fileGrid ? alignedGrid(fileGrid, notes, duration) : estimateBeatGrid(notes, duration);
  const spans = pieceSpans(grid, accompaniment, duration);
  const chords = spanChroma(accompaniment, spans.edges);
  const features = {
    accompaniment: chords.notes,
    melody: spanChroma(melody, spans.edges, false).notes,
    bass: chords.bass,
  };
  const positions = Int32Array.from(spans.beat, (beat) =>
    Number.isInteger(beat) ? (beat - 1 + MODEL_BAR) % MODEL_BAR : OFF_BEAT,
  );
  return { grid, spans, chords, features, positions };
}

function finish(
  notes: NoteEvent[],
  states: Int32Array,
  chroma: SpanChroma,
  spans: Spans,
  grid: BeatGrid,
  duration: number,
  profile: ProfileName,
  keyFromModel = false,
): Analysis {
  const boundaries = spans.edges;
  const runs = chordRuns(states);
  const harmony = harmonyOf(runs, boundaries);
  const key =
    notes.length === 0
      ? null
      : keyFromModel && harmony.length > SONG_CHORDS
        ? keyFromScores(songKeyScores(chroma, harmony, profile))
        : keyFromScores(pieceKeyScores(chroma, harmony, profile));
  const keyChanges = key ? keySegments(notes, runs, boundaries, barSpans(grid, duration), key, profile) : [];

  const chords = runs.map((run, i): ChordSegment => {
    const start = boundaries[run.from];
    const inForce = keyChanges.find((segment) => segment.start <= start && start < segment.end)?.key ?? key;
    const bassPc = inversionBass(run.state, sumSpans(chroma.bass, run.from, run.to));
    const numeral =
      run.state === NO_CHORD || !inForce ? null : romanNumeral(run.state, inForce, runs[i + 1]?.state ?? null);
    const name = chordName(run.state, bassPc, numeral?.root ?? '');
    return {
      start: round(start, 4),
      end: round(boundaries[run.to], 4),
      bar: spans.bar[run.from],
      beat: spans.beat[run.from],
      symbol: name.symbol,
      label: name.label,
      root: name.root,
      quality: run.state === NO_CHORD ? null : stateQuality(run.state).name,
      bass: name.bass,
      numeral: numeral?.numeral ?? null,
      role: numeral?.role ?? null,
      key: inForce?.name ?? null,
    };
  });
  return { duration: round(duration, 4), key, keyChanges, chords, grid, profile, notes: notes.length };
}

interface ChordRun {
  state: number;
  /** First span, and the span after the last. */
  from: number;
  to: number;
}

/**
 * The chords with their added notes decided bar by bar: within a run of one triad, each bar's part gets
 * its own sevenths and sixths (Cmaj7 | C6 are two chords on a chart, though one triad).
 */
function withAddedNotesByBar(states: Int32Array, chroma: SpanChroma, spans: Spans): Int32Array {
  const decided = Int32Array.from(states);
  for (const run of chordRuns(states)) {
    let from = run.from;
    for (let span = run.from + 1; span <= run.to; span++) {
      if (span < run.to && spans.beat[span] !== 1) continue;
      decided.fill(withAddedNotes(run.state, chroma, spans.weight, from, span), from, span);
      from = span;
    }
  }
  return decided;
}

function chordRuns(states: Int32Array): ChordRun[] {
  const runs: ChordRun[] = [];
  states.forEach((state, span) => {
    const last = runs[runs.length - 1];
    if (last && last.state === state) last.to = span + 1;
    else runs.push({ state, from: span, to: span + 1 });
  });
  return runs;
}

/** What a song's key is judged on: its chords, its notes' pitch-class weights, and the profile and cadence scores. */
export interface KeyEvidence {
  harmony: HarmonyEvent[];
  weights: Float64Array;
  profileScores: Float64Array;
}

/** Key scores of the whole piece from all its notes (the bass counted more) and its chords. */
function pieceKeyScores(chroma: SpanChroma, harmony: HarmonyEvent[], profile: ProfileName): Float64Array {
  const spans = chroma.notes.length / PITCH_CLASSES;
  const weights = sumSpans(chroma.notes, 0, spans);
  const bass = sumSpans(chroma.bass, 0, spans);
  for (let pc = 0; pc < PITCH_CLASSES; pc++) weights[pc] += BASS_KEY_EMPHASIS * bass[pc];
  return homeKeyScores(keyCorrelations(weights, profile), harmony);
}

/**
 * A song's key scores: the fitted key model's (chords, first and last chords, notes), plus the profile correlation
 * and cadence evidence of pieceKeyScores, weighted as the model was fitted with.
 */
function songKeyScores(chroma: SpanChroma, harmony: HarmonyEvent[], profile: ProfileName): Float64Array {
  const scores = keyModelScores(harmony, sumSpans(chroma.notes, 0, chroma.notes.length / PITCH_CLASSES));
  const profiles = pieceKeyScores(chroma, harmony, profile);
  return scores.map((score, key) => score + KEY_MODEL.weights.profiles * profiles[key]);
}

/** The chords that start in each bar. */
function harmonyByBar(runs: ChordRun[], boundaries: number[], bars: BarSpans): HarmonyEvent[][] {
  const byBar: HarmonyEvent[][] = Array.from({ length: bars.boundaries.length - 1 }, () => []);
  let bar = 0;
  runs.forEach((run) => {
    while (bar + 1 < byBar.length && bars.boundaries[bar + 1] <= boundaries[run.from] + TIME_EPSILON) bar++;
    byBar[bar].push(...harmonyOf([run], boundaries));
  });
  return byBar;
}

function harmonyOf(runs: ChordRun[], boundaries: number[]): HarmonyEvent[] {
  return runs
    .filter((run) => run.state !== NO_CHORD)
    .map((run) => ({
      root: stateRoot(run.state),
      triad: stateTriad(run.state),
      pitchClasses: statePitchClasses(run.state),
      duration: boundaries[run.to] - boundaries[run.from],
    }));
}

/** The bars as spans: their edges from 0 to the end, and the number of the first (0 when it is a pickup). */
interface BarSpans {
  boundaries: number[];
  firstBar: number;
}

function barSpans(grid: BeatGrid, duration: number): BarSpans {
  const boundaries = grid.bars.filter((time) => time < duration);
  const pickup = boundaries.length > 0 && boundaries[0] > TIME_EPSILON;
  if (boundaries.length === 0 || pickup) boundaries.unshift(0);
  boundaries.push(duration);
  return { boundaries, firstBar: pickup ? 0 : 1 };
}

function keySegments(
  notes: NoteEvent[],
  runs: ChordRun[],
  boundaries: number[],
  bars: BarSpans,
  home: KeyEstimate,
  profile: ProfileName,
): KeySegment[] {
  const chroma = spanChroma(notes, bars.boundaries);
  const weights = chroma.notes.map((value, i) => value + BASS_KEY_EMPHASIS * chroma.bass[i]);
  const homeIndex = keyIndex(keyPitchClass(home), home.mode);
  const path = keyPath(weights, harmonyByBar(runs, boundaries, bars), profile, homeIndex);
  const segments: Array<KeySegment & { index: number }> = [];
  path.forEach((index, bar) => {
    const last = segments[segments.length - 1];
    const end = round(bars.boundaries[bar + 1], 4);
    if (last && last.index === index) last.end = end;
    else
      segments.push({
        index,
        start: round(bars.boundaries[bar], 4),
        end,
        bar: bars.firstBar + bar,
        key: index === homeIndex ? home : keyOf(index),
      });
  });
  return segments.map(({ index: _, ...segment }) => segment);
}
