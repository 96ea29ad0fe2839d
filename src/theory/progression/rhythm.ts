/**
 * Rhythm: voiced chords → notes in time. Block chords, arpeggios, or a groove from `data/grooves.ts`, with an
 * optional bass line, and an optional human feel (small timing and velocity changes from a seeded random
 * generator, so the same seed always gives the same file). Every note stays inside its chord's time span,
 * so what sounds between two chord changes is exactly that chord.
 */
import { MAX_VELOCITY, MIN_VELOCITY } from '../../notes.js';
import type { NoteEvent } from '../../types.js';
import { GROOVE_BAR_BEATS, GROOVE_NAMES, GROOVES, type GrooveName, type Hit } from './data/grooves.js';
import { seededRandom } from '../../random.js';

export const RHYTHM_STYLES = ['block', 'arp-up', 'arp-down', 'arp-up-down', ...GROOVE_NAMES] as const;
export type RhythmStyle = (typeof RHYTHM_STYLES)[number];

/** A chord placed in time, in beats, with the MIDI pitches it sounds and its bass note. */
export interface TimedChord {
  startBeat: number;
  beats: number;
  pitches: number[];
  bass?: number;
}

export interface RhythmOptions {
  rhythm?: RhythmStyle;
  bpm?: number;
  humanize?: boolean;
  /** Seed for --humanize: the same seed gives the same performance. */
  seed?: number;
}

export interface PlayedChords {
  chords: NoteEvent[];
  bass: NoteEvent[];
}

export const DEFAULT_BPM = 120;
export const DEFAULT_SEED = 1;
const SECONDS_PER_MINUTE = 60;
const BLOCK_VELOCITY = 100;
/** Arpeggios move in eighth notes, faster when a chord is too short for all its notes at that pace. */
const ARPEGGIO_STEP_BEATS = 0.5;
const ARPEGGIO_ACCENT = 100;
const ARPEGGIO_VELOCITY = 84;
/** --humanize moves each note up to this far in time (seconds) and velocity. */
const HUMANIZE_SECONDS = 0.012;
const HUMANIZE_VELOCITY = 10;
/** Beats are compared with this tolerance, so a 1.5-beat chord holds three eighth-note steps. */
const EPSILON = 1e-9;

export function secondsPerBeat(bpm: number): number {
  return SECONDS_PER_MINUTE / bpm;
}

/** A hit of some notes, in beats from the chord's start. */
interface Strike {
  at: number;
  length: number;
  velocity: number;
  pitches: number[];
}

function blockStrikes(chord: TimedChord): Strike[] {
  return [{ at: 0, length: chord.beats, velocity: BLOCK_VELOCITY, pitches: chord.pitches }];
}

/** The order an arpeggio walks the chord: up, down, or up and back down without repeating the ends. */
function arpeggioOrder(pitches: number[], style: 'arp-up' | 'arp-down' | 'arp-up-down'): number[] {
  const up = [...pitches].sort((a, b) => a - b);
  if (style === 'arp-up') return up;
  if (style === 'arp-down') return up.reverse();
  return [...up, ...up.slice(1, -1).reverse()];
}

function arpeggioStrikes(chord: TimedChord, style: 'arp-up' | 'arp-down' | 'arp-up-down'): Strike[] {
  const order = arpeggioOrder(chord.pitches, style);
  const step = Math.min(ARPEGGIO_STEP_BEATS, chord.beats / chord.pitches.length);
  const strikes: Strike[] = [];
  for (let i = 0; i * step < chord.beats - EPSILON; i++) {
    const at = i * step;
    strikes.push({
      at,
      length: Math.min(step, chord.beats - at),
      velocity: i === 0 ? ARPEGGIO_ACCENT : ARPEGGIO_VELOCITY,
      pitches: [order[i % order.length]],
    });
  }
  return strikes;
}

/** A one-bar pattern repeated over the chord, cut where the chord ends. */
function patternStrikes(pattern: Hit[], beats: number, pitches: number[]): Strike[] {
  const strikes: Strike[] = [];
  for (let bar = 0; bar < beats - EPSILON; bar += GROOVE_BAR_BEATS) {
    for (const hit of pattern) {
      const at = bar + hit.at;
      if (at >= beats - EPSILON) break;
      strikes.push({ at, length: Math.min(hit.length, beats - at), velocity: hit.velocity, pitches });
    }
  }
  return strikes;
}

function chordStrikes(chord: TimedChord, style: RhythmStyle): Strike[] {
  if (style === 'block') return blockStrikes(chord);
  if (style === 'arp-up' || style === 'arp-down' || style === 'arp-up-down') return arpeggioStrikes(chord, style);
  return patternStrikes(GROOVES[style].chord, chord.beats, chord.pitches);
}

/** Grooves have their own bass figure; block chords and arpeggios hold the bass for the whole chord. */
function bassStrikes(chord: TimedChord, style: RhythmStyle): Strike[] {
  if (chord.bass === undefined) return [];
  const groove = (GROOVE_NAMES as readonly string[]).includes(style) ? GROOVES[style as GrooveName] : undefined;
  if (!groove) return [{ at: 0, length: chord.beats, velocity: BLOCK_VELOCITY, pitches: [chord.bass] }];
  return patternStrikes(groove.bass, chord.beats, [chord.bass]);
}

type Feel = (note: NoteEvent, spanStart: number, spanEnd: number) => NoteEvent;

const exact: Feel = (note) => note;

/** Nudges a note's time and velocity a little, keeping it inside its chord's span and its length. */
function humanFeel(seed: number): Feel {
  const random = seededRandom(seed);
  const spread = (amount: number): number => (random() * 2 - 1) * amount;
  return (note, spanStart, spanEnd) => {
    const length = note.end - note.start;
    const start = Math.min(Math.max(note.start + spread(HUMANIZE_SECONDS), spanStart), spanEnd - length);
    const velocity = Math.round(
      Math.min(MAX_VELOCITY, Math.max(MIN_VELOCITY, note.velocity + spread(HUMANIZE_VELOCITY))),
    );
    return { ...note, start: Math.max(start, spanStart), end: Math.min(start + length, spanEnd), velocity };
  };
}

function notesOf(strikes: Strike[], chord: TimedChord, beatSeconds: number, feel: Feel): NoteEvent[] {
  const spanStart = chord.startBeat * beatSeconds;
  const spanEnd = (chord.startBeat + chord.beats) * beatSeconds;
  return strikes.flatMap((strike) =>
    strike.pitches.map((pitch) => {
      const start = (chord.startBeat + strike.at) * beatSeconds;
      return feel(
        { pitch, start, end: start + strike.length * beatSeconds, velocity: strike.velocity },
        spanStart,
        spanEnd,
      );
    }),
  );
}

function inTimeOrder(notes: NoteEvent[]): NoteEvent[] {
  return notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
}

/** Plays the chords in a rhythm style: the chord notes and the bass notes, in seconds at `bpm`. */
export function playChords(chords: TimedChord[], options: RhythmOptions = {}): PlayedChords {
  const style = options.rhythm ?? 'block';
  const beatSeconds = secondsPerBeat(options.bpm ?? DEFAULT_BPM);
  const feel = options.humanize ? humanFeel(options.seed ?? DEFAULT_SEED) : exact;
  return {
    chords: inTimeOrder(chords.flatMap((chord) => notesOf(chordStrikes(chord, style), chord, beatSeconds, feel))),
    bass: inTimeOrder(chords.flatMap((chord) => notesOf(bassStrikes(chord, style), chord, beatSeconds, feel))),
  };
}
