/**
 * Voicings: which octave each note of a chord sounds in. A style (close, open, drop-2, drop-3, spread) gives
 * the shape of each inversion; tonal's `Voicing.search` places those shapes in a register, and a tonal
 * voice-leading function picks, chord by chord, the placement that moves the voices least from the chord
 * before (what `Voicing.get` does), so the inversions come from smooth voice leading, not a fixed rule.
 */
import { Interval, Note, Voicing, type VoiceLeading } from 'tonal';
import { INVERSION_DEGREES } from '../chordVocabulary.js';

export const VOICING_STYLES = ['close', 'open', 'drop-2', 'drop-3', 'spread'] as const;
export type VoicingStyle = (typeof VOICING_STYLES)[number];

/** What a voicing needs to know of a chord: its root, its intervals above the root, and its lowest note. */
export interface ChordToVoice {
  root: string;
  intervals: string[];
  /** The bass pitch class: the root, or the slash bass of `C/E`. */
  bass: string;
}

export interface VoicingOptions {
  voicing?: VoicingStyle;
  /** The octave the first chord's root sits in (4: middle C). */
  octave?: number;
  /** Choose each chord's inversion by smooth voice leading (default), or play every chord in root position. */
  voiceLead?: boolean;
}

export interface Voiced {
  /** Note names with octaves, lowest first: `E4 G4 C5`. */
  notes: string[];
  /** The same as MIDI numbers. */
  pitches: number[];
}

export const DEFAULT_OCTAVE = 4;
export const MIN_OCTAVE = 2;
export const MAX_OCTAVE = 6;
/** The bass line sounds this many octaves below the chords. */
const BASS_OCTAVES_BELOW = 2;
/**
 * The register voicings are placed in, in semitones around the root positions whose roots lie in --octave:
 * this far below the lowest of them, this far above the highest.
 */
const REGISTER_BELOW = 7;
const REGISTER_ABOVE = 7;
const OCTAVE = '8P';
const SEMITONES_PER_OCTAVE = 12;

type Shape = string[];

function semitones(interval: string): number {
  return Interval.semitones(interval) ?? 0;
}

function ascending(shape: Shape): Shape {
  return [...shape].sort((a, b) => semitones(a) - semitones(b));
}

const up = (interval: string): string => Interval.add(interval, OCTAVE) ?? interval;
const down = (interval: string): string => Interval.subtract(interval, OCTAVE) ?? interval;

/** Root position and every inversion in close position: the lowest note moved up an octave, time after time. */
export function closeInversions(intervals: string[]): Shape[] {
  const inversions: Shape[] = [ascending(intervals)];
  for (let i = 1; i < intervals.length; i++) {
    const [lowest, ...rest] = inversions[i - 1];
    inversions.push(ascending([...rest, up(lowest)]));
  }
  return inversions;
}

/** Drop voicings need four voices: a triad doubles its lowest note an octave up. */
function fourVoices(shape: Shape): Shape {
  return shape.length >= 4 ? shape : [...shape, up(shape[0])];
}

/** The note `fromTop` places below the top (1 = second from the top) dropped an octave. */
function drop(shape: Shape, fromTop: number): Shape {
  const voices = fourVoices(shape);
  const index = voices.length - 1 - fromTop;
  return ascending(voices.map((interval, i) => (i === index ? down(interval) : interval)));
}

/** Every other note of the close position raised an octave: the chord spread over about two octaves. */
function open(shape: Shape): Shape {
  return ascending(shape.map((interval, i) => (i % 2 === 1 ? up(interval) : interval)));
}

/** The open position over its own lowest note doubled an octave below, as a pianist's two hands play it. */
function spread(shape: Shape): Shape {
  const opened = open(shape);
  return [down(opened[0]), ...opened];
}

const STYLE_SHAPES: Readonly<Record<VoicingStyle, (close: Shape) => Shape>> = {
  close: (shape) => shape,
  open,
  'drop-2': (shape) => drop(shape, 1),
  'drop-3': (shape) => drop(shape, 2),
  spread,
};

/** A slash bass (`C/E`) goes below the whole shape. */
function withSlashBass(shape: Shape, chord: ChordToVoice): Shape {
  if (Note.chroma(chord.bass) === Note.chroma(chord.root)) return shape;
  let bass = Interval.distance(chord.root, chord.bass);
  const lowest = semitones(shape[0]);
  while (semitones(bass) >= lowest) bass = down(bass);
  while (semitones(bass) < lowest - SEMITONES_PER_OCTAVE) bass = up(bass);
  return [bass, ...shape];
}

const DEGREES_PER_OCTAVE = 7;

/**
 * Whether an inversion keeps the chord's sound: its lowest note is the third, fifth or seventh. A sixth,
 * ninth, eleventh or thirteenth in the bass makes another chord (C6 over A is Am7, C6/9 over D is D9sus4),
 * and a power chord turned over is a fourth.
 */
function keepsItsSound(inversion: Shape, chord: ChordToVoice): boolean {
  const { num } = Interval.get(inversion[0]);
  return chord.intervals.length > 2 && INVERSION_DEGREES.includes(((num - 1) % DEGREES_PER_OCTAVE) + 1);
}

/**
 * Root position and the inversions that keep the chord's sound, in `style`, as tonal's voicing dictionaries hold them
 * (`"3M 5P 8P"`).
 */
export function voicingShapes(chord: ChordToVoice, style: VoicingStyle): Shape[] {
  const [root, ...inversions] = closeInversions(chord.intervals);
  return [root, ...inversions.filter((inversion) => keepsItsSound(inversion, chord))].map((close) =>
    withSlashBass(STYLE_SHAPES[style](close), chord),
  );
}

/** Semitones the voices move from one voicing to the next; voicings of different sizes compare note by nearest note. */
export function voiceMovement(from: number[], to: number[]): number {
  if (from.length === to.length) return from.reduce((sum, pitch, i) => sum + Math.abs(pitch - to[i]), 0);
  const nearest = (pitch: number, others: number[]): number =>
    Math.min(...others.map((other) => Math.abs(other - pitch)));
  return (
    from.reduce((sum, pitch) => sum + nearest(pitch, to), 0) + to.reduce((sum, pitch) => sum + nearest(pitch, from), 0)
  );
}

/** MIDI numbers of note names, remembered: voice leading compares the same few dozen notes again and again. */
const midiNumbers = new Map<string, number>();
function midiOf(notes: string[]): number[] {
  return notes.map((note) => {
    let midi = midiNumbers.get(note);
    if (midi === undefined) {
      midi = Note.midi(note) ?? 0;
      midiNumbers.set(note, midi);
    }
    return midi;
  });
}

/** A tonal voice-leading function: the candidate that moves the voices least (the first one on a tie). */
export const smoothestVoiceLeading: VoiceLeading.VoiceLeadingFunction = (voicings, lastVoicing) => {
  const last = midiOf(lastVoicing);
  let best = voicings[0];
  let bestMovement = Infinity;
  for (const voicing of voicings) {
    const movement = voiceMovement(last, midiOf(voicing));
    if (movement < bestMovement) {
      best = voicing;
      bestMovement = movement;
    }
  }
  return best;
};

function voiced(notes: string[]): Voiced {
  return { notes, pitches: midiOf(notes) };
}

/** `chord` in root position with its root in `octave`. */
function rootPosition(chord: ChordToVoice, style: VoicingStyle, octave: number): string[] {
  const root = `${chord.root}${octave}`;
  return voicingShapes(chord, style)[0].map((interval) => Note.transpose(root, interval));
}

/** The notes a chord's voicings may use: a little below and above its root positions with the root in `octave`. */
function registerFor(chord: ChordToVoice, style: VoicingStyle, octave: number): [string, string] {
  const shape = voicingShapes(chord, style)[0];
  const c = Note.midi(`C${octave}`) ?? 0;
  const low = c + semitones(shape[0]) - REGISTER_BELOW;
  const high = c + SEMITONES_PER_OCTAVE - 1 + semitones(shape[shape.length - 1]) + REGISTER_ABOVE;
  return [Note.fromMidi(low), Note.fromMidi(high)];
}

/**
 * Every placement of every inversion of `chord` in the register, as tonal's `Voicing.search` finds them.
 * A pack voices the same chords thousands of times, so each chord's placements are found once.
 */
const placements = new Map<string, string[][]>();
function placementsOf(chord: ChordToVoice, style: VoicingStyle, octave: number): string[][] {
  const id = [chord.root, chord.intervals.join(' '), chord.bass, style, octave].join('|');
  let found = placements.get(id);
  if (!found) {
    // A dictionary for this chord alone, under the empty type that the bare root (`Voicing.search("Bb")`) looks up.
    const dictionary = { '': voicingShapes(chord, style).map((shape) => shape.join(' ')) };
    found = Voicing.search(chord.root, registerFor(chord, style, octave), dictionary);
    placements.set(id, found);
  }
  return found;
}

/**
 * Voices a progression: the first chord in root position in `octave`, then (with voice leading) each chord
 * in the inversion and octave closest to the one before, or (without) every chord in root position.
 */
export function voiceChords(chords: ChordToVoice[], options: VoicingOptions = {}): Voiced[] {
  const style = options.voicing ?? 'close';
  const octave = options.octave ?? DEFAULT_OCTAVE;
  if (options.voiceLead === false) return chords.map((chord) => voiced(rootPosition(chord, style, octave)));
  const result: Voiced[] = [];
  let last = chords.length > 0 ? rootPosition(chords[0], style, octave) : [];
  for (const chord of chords) {
    last = smoothestVoiceLeading(placementsOf(chord, style, octave), last);
    result.push(voiced(last));
  }
  return result;
}

/** The bass line's note for a chord: its bass pitch class, two octaves below the chords' octave. */
export function bassPitch(chord: ChordToVoice, octave = DEFAULT_OCTAVE): number {
  return Note.midi(`${chord.bass}${octave - BASS_OCTAVES_BELOW}`) ?? 0;
}
