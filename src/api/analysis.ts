/** Keys, chords and Roman numerals of a piece, and how well an analysis or a transcription scores. */
export type {
  Analysis,
  BeatGrid,
  ChordRole,
  ChordSegment,
  KeyEstimate,
  KeySegment,
  Mode,
  ProfileName,
} from '../theory/analysis/types.js';
export { analyzeNotes, type AnalyzeOptions } from '../theory/analysis/analyze.js';
export { analyzeFile, analyzeMidi, analyzePiece } from '../app/analyze.js';
export { loadPiece, pieceFromBytes, pieceFromMidi, type Piece, type PieceKind } from '../app/load.js';
export { annotateMidi, annotatedMidiBytes } from '../app/annotate.js';
export { KEY_PROFILES, PROFILE_NAMES, DEFAULT_PROFILE, type KeyProfile } from '../theory/analysis/keyProfiles.js';
export { keyCorrelations, parseKey } from '../theory/analysis/key.js';
export { beatGridFromMidi, estimateBeatGrid } from '../theory/analysis/beats.js';
export { CHORD_VOCABULARY, type ChordQuality } from '../theory/chordVocabulary.js';
export { romanNumeral, type Numeral } from '../theory/analysis/roman.js';
export { parseHarte, type HarteChord } from '../theory/analysis/harte.js';
export { parseLab, formatLab, type LabeledInterval } from '../theory/analysis/lab.js';
export { chordScores, keyScore, type ChordScores } from '../theory/analysis/evaluate.js';
