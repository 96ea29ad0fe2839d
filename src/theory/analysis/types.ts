/**
 * What an analysis of a piece returns, and what `jam analyze --json` prints: plain data, times in seconds
 * from the start of the piece, bars and beats counted from 1.
 */

/** The key profiles jam offers for key finding (see keyProfiles.ts). */
export type ProfileName = 'krumhansl-kessler' | 'temperley' | 'temperley-de-clercq' | 'albrecht-shanahan';

export type Mode = 'major' | 'minor';

export interface KeyEstimate {
  /** The tonic as tonal spells it, with the fewest accidentals in the key signature: "Gb", "F#". */
  tonic: string;
  mode: Mode;
  /** "Gb major", "F# minor": tonal's key names, also the form mir_eval reads. */
  name: string;
  /** 0–1: how clearly the notes point to this key rather than the next best one. */
  confidence: number;
}

/** A stretch of the piece in one key. The segments of an analysis follow each other without gaps. */
export interface KeySegment {
  start: number;
  end: number;
  /** The bar the key starts in. */
  bar: number;
  key: KeyEstimate;
}

/**
 * The beat grid the chords are segmented on: from the MIDI file's tempo map and time signatures, or
 * estimated from the notes' onsets (audio, note JSON).
 */
/** A MIDI file's tempo map as far as beats need it (what @tonejs/midi's Header gives). */
export interface TempoMap {
  /** Ticks per quarter note. */
  ppq: number;
  tempos: { bpm: number }[];
  timeSignatures: { ticks: number; timeSignature: number[] }[];
  ticksToSeconds(ticks: number): number;
}

export interface BeatGrid {
  /** Every beat, in seconds, ascending; bar lines are beats too. */
  beats: number[];
  /** The bar lines (first beat of each bar), in seconds. */
  bars: number[];
  /** Beats per minute at the start (for estimated grids, the tempo found). */
  tempo: number;
  /** The time signature at the start, e.g. [4, 4]; estimated grids assume 4/4. */
  meter: [number, number];
  /** True when the grid was estimated from the notes rather than read from a MIDI file. */
  estimated: boolean;
}

/** How a chord relates to the key in force. */
export type ChordRole =
  /** Built on the key's own scale (in minor, with the raised 6th and 7th too). */
  | 'diatonic'
  /** A dominant or leading-tone chord of a chord of the key: V7/V, vii°7/ii. */
  | 'secondary'
  /** Taken from the parallel key: bVI or iv in a major key, IV or I in a minor one. */
  | 'borrowed'
  /** None of these. */
  | 'chromatic';

export interface ChordSegment {
  start: number;
  end: number;
  /**
   * Where the chord starts: the bar (0 is a pickup before the first bar line), and the beat in the bar, from 1 (2.5 is
   * halfway through beat 2, where a chord is struck off the beat).
   */
  bar: number;
  beat: number;
  /** A lead-sheet symbol tonal reads: "C", "Am7", "F/A", "Bbmaj7"; "N" where nothing sounds. */
  symbol: string;
  /** The same chord in Harte syntax, as MIREX .lab files and mir_eval write it: "C:maj", "F:maj/3", "N". */
  label: string;
  /** Root and bass as note names spelled for the key; `bass` only when it is not the root (an inversion). */
  root: string | null;
  /** The chord's quality, a name from the chord vocabulary ("maj", "min7", "add9", …); null for N. */
  quality: string | null;
  bass: string | null;
  /** The Roman numeral in the key in force: "IV", "ii7", "V7/V", "bVII", "vii°7"; null for N. */
  numeral: string | null;
  role: ChordRole | null;
  /** The name of the key in force, e.g. "C major"; null when the piece has no key (no notes). */
  key: string | null;
}

export interface Analysis {
  /** Seconds from 0 to the end of the last note. */
  duration: number;
  /** The piece's key; null when there are no notes to tell it from. */
  key: KeyEstimate | null;
  /** The keys in force over time; a single segment when the piece does not modulate. */
  keyChanges: KeySegment[];
  /** The chord timeline from 0 to `duration`, without gaps; "N" segments where nothing sounds. */
  chords: ChordSegment[];
  grid: BeatGrid;
  /** The key profile used. */
  profile: ProfileName;
  /** How many notes were analysed (drums left out). */
  notes: number;
}
