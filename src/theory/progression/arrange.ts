/**
 * A progression made playable: its chords voiced (voicing.ts), placed in time and played in a rhythm
 * (rhythm.ts), with an optional bass line. The result is plain data that MIDI files and --json are made from.
 */
import type { NoteEvent } from '../../types.js';
import type { MusicalKey, Progression } from './parse.js';
import { DEFAULT_BPM, playChords, secondsPerBeat, type RhythmOptions } from './rhythm.js';
import { bassPitch, DEFAULT_OCTAVE, voiceChords, type VoicingOptions } from './voicing.js';

export interface ArrangeOptions extends VoicingOptions, RhythmOptions {
  /** Add a bass line on the chords' bass notes. */
  bass?: boolean;
  /** Play the progression this many times (voice leading carries on across the repeats). */
  loop?: number;
}

export interface ArrangedChord {
  numeral?: string;
  symbol: string;
  /** Pitch classes of the chord. */
  notes: string[];
  startBeat: number;
  beats: number;
  /** Seconds. */
  start: number;
  end: number;
  /** The voicing, as note names and MIDI numbers, lowest first. */
  voicing: string[];
  pitches: number[];
  /** The bass line's MIDI note, with --bass. */
  bassPitch?: number;
}

export interface Arrangement {
  key: MusicalKey;
  bpm: number;
  /** Length in beats. */
  beats: number;
  chords: ArrangedChord[];
  /** The chord notes, and the bass line's notes (empty without --bass). */
  notes: NoteEvent[];
  bass: NoteEvent[];
}

export const DEFAULT_LOOP = 1;

/** Layout options: everything but the rhythm, which `playArrangement` adds. */
export type LayoutOptions = Omit<ArrangeOptions, 'rhythm' | 'humanize' | 'seed'>;

/** The chords voiced and placed in time, not yet played: `notes` and `bass` are empty. */
export function layOutProgression(progression: Progression, options: LayoutOptions = {}): Arrangement {
  const bpm = options.bpm ?? DEFAULT_BPM;
  const beatSeconds = secondsPerBeat(bpm);
  const loop = options.loop ?? DEFAULT_LOOP;
  const chords = Array.from({ length: loop }, () => progression.chords).flat();
  const voicings = voiceChords(chords, options);
  let beat = 0;
  const arranged = chords.map((chord, i): ArrangedChord => {
    const startBeat = beat;
    beat += chord.beats;
    return {
      ...(chord.numeral === undefined ? {} : { numeral: chord.numeral }),
      symbol: chord.symbol,
      notes: chord.notes,
      startBeat,
      beats: chord.beats,
      start: startBeat * beatSeconds,
      end: beat * beatSeconds,
      voicing: voicings[i].notes,
      pitches: voicings[i].pitches,
      ...(options.bass ? { bassPitch: bassPitch(chord, options.octave ?? DEFAULT_OCTAVE) } : {}),
    };
  });
  return { key: progression.key, bpm, beats: beat, chords: arranged, notes: [], bass: [] };
}

/** A laid-out progression played in a rhythm: one layout can be played in every style. */
export function playArrangement(layout: Arrangement, options: RhythmOptions = {}): Arrangement {
  const played = playChords(
    layout.chords.map((chord) => ({
      startBeat: chord.startBeat,
      beats: chord.beats,
      pitches: chord.pitches,
      bass: chord.bassPitch,
    })),
    { ...options, bpm: layout.bpm },
  );
  return { ...layout, notes: played.chords, bass: played.bass };
}

export function arrangeProgression(progression: Progression, options: ArrangeOptions = {}): Arrangement {
  return playArrangement(layOutProgression(progression, options), options);
}
