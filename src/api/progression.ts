/** Chord progressions: parsing numerals and symbols, voicing, rhythm, the named library, MIDI files and packs. */
export {
  parseProgression,
  parseMusicalKey,
  keyName,
  MODES,
  type Progression,
  type ProgressionChord,
  type MusicalKey,
  type ModeName,
  type ParseOptions,
} from '../theory/progression/parse.js';
export {
  voiceChords,
  VOICING_STYLES,
  type VoicingStyle,
  type VoicingOptions,
  type Voiced,
  type ChordToVoice,
} from '../theory/progression/voicing.js';
export {
  playChords,
  RHYTHM_STYLES,
  type RhythmStyle,
  type RhythmOptions,
  type TimedChord,
  type PlayedChords,
} from '../theory/progression/rhythm.js';
export {
  arrangeProgression,
  type Arrangement,
  type ArrangedChord,
  type ArrangeOptions,
} from '../theory/progression/arrange.js';
export {
  listProgressions,
  findProgression,
  TAGS,
  type LibraryProgression,
  type LibraryFilter,
} from '../theory/progression/library.js';
export { packPlan, type PackEntry, type PackOptions } from '../theory/progression/pack.js';
export { arrangementToMidi, arrangementToMidiBytes } from '../app/progressionFile.js';
export { writePack, type WritePackOptions } from '../app/packWrite.js';
