/** Audio to notes: the whole-file and streaming transcribers, their engines, the files they write, and scoring. */
export { transcribe, type AudioInput, type TranscribeOptions, type Transcription } from '../transcribe/transcribe.js';
export { transcribeFile, type FileTranscription, type TranscribeFileOptions } from '../app/transcribeFile.js';
export { outputPathsFor, transcriptionFiles, type OutputChoice, type OutputPaths } from '../app/outputs.js';
export {
  loadEngine,
  closeEngine,
  ENGINE_NAMES,
  DEFAULT_ENGINE,
  type Engine,
  type EngineName,
  type EngineSettings,
} from '../transcribe/engine.js';
export { runModel, type InferenceOptions } from '../transcribe/inference.js';
export type { ModelOutput } from '../transcribe/notes/frames.js';
export { outputToNotes } from '../transcribe/notes/noteCreation.js';
export { noteSettings, type NoteCreationOptions, type NoteSettings } from '../transcribe/notes/settings.js';
export {
  StreamingTranscriber,
  LATENCY_SETTINGS,
  DEFAULT_LATENCY,
  type LatencySetting,
  type StreamingOptions,
} from '../transcribe/streaming.js';
export { scoreNotes, type NoteScores, type ScoreOptions } from '../transcribe/score.js';
export { notesToCsv } from '../transcribe/noteCsv.js';
export { encodeNpz, type NpyArray } from '../transcribe/npz.js';
export * as constants from '../transcribe/constants.js';
