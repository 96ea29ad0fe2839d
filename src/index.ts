/**
 * jam's library API: everything the CLI does, as typed functions. Notes are `NoteEvent`s
 * (`{ pitch, start, end, velocity, bends? }`, seconds and MIDI numbers) everywhere.
 */
export type { NoteEvent } from './types.js';
export { JamError } from './errors.js';

export { transcribe, type AudioInput, type TranscribeOptions, type Transcription } from './transcribe/transcribe.js';
export {
  outputToNotes,
  outputToFrameNotes,
  inferredOnsets,
  onsetPeaks,
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
export { loadEngine, ENGINE_NAMES, DEFAULT_ENGINE, type Engine, type EngineName, type EngineSettings, type WindowOutputs } from './transcribe/engine.js';
export { scoreNotes, type NoteScores, type ScoreOptions } from './transcribe/score.js';
export { notesToCsv } from './transcribe/noteCsv.js';
export { encodeNpz, type NpyArray } from './transcribe/npz.js';
export { outputPathsFor, transcriptionFiles, type OutputChoice, type OutputPaths } from './transcribe/outputs.js';
export * as constants from './transcribe/constants.js';

export { decodeAudio, openAudio, readAudioBytes, downmix, STREAMING_MIN_SECONDS, type AudioStream, type DecodedAudio } from './audio/decode.js';
export { resample, Resampler } from './audio/resample.js';
export { encodeWav, WAV_FORMATS, type WavFormat } from './audio/wav.js';

export { notesToMidi, midiToBytes, bendValue, type Midi, type MidiWriteOptions } from './midi/write.js';
export { midiNotes, midiFromBytes } from './midi/read.js';
export { sonify } from './midi/sonify.js';
