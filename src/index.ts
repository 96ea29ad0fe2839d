/**
 * jam's library API: everything the CLI does, as typed functions. Notes are `NoteEvent`s
 * (`{ pitch, start, end, velocity, bends? }`, seconds and MIDI numbers) everywhere.
 */
export type { NoteEvent, LiveEvent } from './types.js';
export { JamError } from './errors.js';

export { transcribe, type AudioInput, type TranscribeOptions, type Transcription } from './transcribe/transcribe.js';
export {
  outputToNotes,
  outputToFrameNotes,
  inferredOnsets,
  onsetPeaks,
  inferredOnsetStrength,
  type OnsetStrength,
  constrainFrequency,
  pitchBendsOf,
  bendPeaksOf,
  frameToTime,
  minNoteLengthFrames,
  amplitudeToVelocity,
  type ModelOutput,
  type NoteCreationOptions,
  type FrameNote,
} from './transcribe/noteCreation.js';
export { runModel, windowCount, type InferenceOptions } from './transcribe/inference.js';
export {
  loadEngine,
  closeEngine,
  ENGINE_NAMES,
  DEFAULT_ENGINE,
  type Engine,
  type EngineName,
  type EngineSettings,
  type WindowOutputs,
} from './transcribe/engine.js';
export { scoreNotes, type NoteScores, type ScoreOptions } from './transcribe/score.js';
export {
  StreamingTranscriber,
  LATENCY_SETTINGS,
  LATENCY_TUNINGS,
  DEFAULT_LATENCY,
  type LatencySetting,
  type LatencyTuning,
  type StreamingOptions,
} from './transcribe/streaming.js';
export { StreamingNoteTracker, type ModelFrame, type NoteTrackerOptions } from './transcribe/streamingNotes.js';
export { notesToCsv } from './transcribe/noteCsv.js';
export { encodeNpz, type NpyArray } from './transcribe/npz.js';
export { outputPathsFor, transcriptionFiles, type OutputChoice, type OutputPaths } from './app/outputs.js';

export {
  expandInputs,
  parsePathList,
  AUDIO_EXTENSIONS,
  PIECE_EXTENSIONS,
  type BatchInput,
  type Expansion,
  type Extensions,
} from './batch/inputs.js';
export { parseShard, shardOf, inShard, type Shard } from './batch/shard.js';
export { planBatch, outputFolder, shardItems } from './batch/plan.js';
export {
  runBatch,
  threadsPerJob,
  type BatchItem,
  type Work,
  type WorkContext,
  type WorkResult,
  type Counts,
  type RunOptions,
  type RunResult,
} from './batch/run.js';
export {
  summarize,
  mergeReports,
  parseReport,
  REPORT_FORMAT,
  type BatchReport,
  type FileRecord,
  type FileStatus,
  type Summary,
} from './batch/report.js';
export {
  reportFile,
  earlierReport,
  REPORT_INTERVAL_MS,
  type ReportFile,
  type ReportHeader,
} from './batch/reportFile.js';
export { transcribeFile, type FileTranscription, type TranscribeFileOptions } from './app/transcribeFile.js';
export * as constants from './transcribe/constants.js';

export {
  decodeAudio,
  openAudio,
  readAudioBytes,
  downmix,
  STREAMING_MIN_SECONDS,
  type AudioStream,
  type DecodedAudio,
} from './audio/decode.js';
export { resample, Resampler } from './audio/resample.js';
export { encodeWav, WAV_FORMATS, type WavFormat } from './audio/wav.js';

export {
  notesToMidi,
  notesToMidiBytes,
  midiToBytes,
  bendValue,
  type Midi,
  type MidiWriteOptions,
} from './midi/write.js';
export { midiNotes, midiFromBytes } from './midi/read.js';
export { sonify } from './render/sonify.js';

export {
  runLive,
  type LiveSource,
  type LiveTranscriber,
  type LiveSink,
  type LiveOptions,
  type LiveSummary,
} from './live/pipeline.js';
export { pcmSource, openFileSource, type FileSourceOptions } from './live/sources.js';
export { PcmDecoder, PCM_FORMATS, type PcmFormat, type PcmLayout } from './live/pcm.js';
export { listInputDevices, findInputDevice, inputSource, contextSource, type InputDevice } from './live/input.js';
export { portSink, type PortSinkOptions } from './live/portSink.js';
export { PITCH_BEND_RANGE_SEMITONES } from './midi/constants.js';
export { recordSink, type RecordSink, type RecordOptions } from './live/recordSink.js';
export { eventsSink, eventsFileSink } from './live/eventsSink.js';
export { NoteCollector } from './live/noteCollector.js';
export { systemClock, type Clock } from './clock.js';
export {
  listPorts,
  openOutput,
  openOutputs,
  openVirtualOutput,
  openInput,
  findPort,
  missingMidiSystem,
  type MidiOutputPort,
  type PortList,
} from './midi/ports.js';
export { midiTimeline, type TimedMessage } from './midi/timeline.js';
export { playTimeline, type PlayOptions, type PlaySummary } from './midi/player.js';
export { InputEventReader } from './midi/inputEvents.js';
export { recordPort, type MidiInputPort, type RecordPortOptions } from './live/recorder.js';

export type {
  Analysis,
  BeatGrid,
  ChordRole,
  ChordSegment,
  KeyEstimate,
  KeySegment,
  Mode,
  ProfileName,
} from './theory/analysis/types.js';
export { analyzeNotes, type AnalyzeOptions } from './theory/analysis/analyze.js';
export { analyzeFile, analyzeMidi, analyzePiece } from './app/analyze.js';
export { loadPiece, pieceFromBytes, pieceFromMidi, type Piece, type PieceKind } from './app/load.js';
export { KEY_PROFILES, PROFILE_NAMES, DEFAULT_PROFILE, type KeyProfile } from './theory/analysis/keyProfiles.js';
export { keyCorrelations, parseKey } from './theory/analysis/key.js';
export { beatGridFromMidi, estimateBeatGrid } from './theory/analysis/beats.js';
export { CHORD_VOCABULARY, type ChordQuality } from './theory/chordVocabulary.js';
export { romanNumeral, type Numeral } from './theory/analysis/roman.js';
export { parseHarte, type HarteChord } from './theory/analysis/harte.js';
export { parseLab, formatLab, type LabeledInterval } from './theory/analysis/lab.js';
export { chordScores, keyScore, type ChordScores } from './theory/analysis/evaluate.js';
export { annotateMidi, annotatedMidiBytes } from './app/annotate.js';

export {
  pianoRollSvg,
  overlayFromAnalysis,
  velocityColour,
  noteName,
  type RollOverlay,
  type RollOptions,
  type LabelledSpan,
  type ChordSpan,
} from './render/pianoRoll.js';
export { svgToPng, canDrawText, PNG_SCALE } from './render/rasterize.js';
export { notesFromJson } from './app/noteJson.js';
export { withMidiBends, bendsDuring, type PitchBendEvent } from './midi/bends.js';
export { checkMidiIsWhole } from './midi/wholeFile.js';

export {
  parseProgression,
  parseMusicalKey,
  keyName,
  keySignatureOf,
  scaleOf,
  chordsFileName,
  MODES,
  type Progression,
  type ProgressionChord,
  type MusicalKey,
  type ModeName,
  type ParseOptions,
  type KeySignature,
} from './theory/progression/parse.js';
export {
  voiceChords,
  voicingShapes,
  smoothestVoiceLeading,
  bassPitch,
  VOICING_STYLES,
  type VoicingStyle,
  type VoicingOptions,
  type Voiced,
  type ChordToVoice,
} from './theory/progression/voicing.js';
export {
  playChords,
  RHYTHM_STYLES,
  type RhythmStyle,
  type RhythmOptions,
  type TimedChord,
  type PlayedChords,
} from './theory/progression/rhythm.js';
export {
  arrangeProgression,
  layOutProgression,
  playArrangement,
  type Arrangement,
  type ArrangedChord,
  type ArrangeOptions,
} from './theory/progression/arrange.js';
export {
  listProgressions,
  findProgression,
  TAGS,
  type LibraryProgression,
  type LibraryFilter,
} from './theory/progression/library.js';
export { packPlan, packKeyPairs, type PackEntry, type PackOptions, type KeyPair } from './theory/progression/pack.js';
export { arrangementToMidi, arrangementToMidiBytes } from './app/progressionFile.js';
export { writePack, packRenderer, type WritePackOptions } from './app/packWrite.js';
