/**
 * The whole transcription: audio → model → notes → MIDI, for a file path, `-` (stdin), file bytes or
 * samples already at 22 050 Hz mono.
 */
import { openAudio, readAhead, type AudioStream } from '../audio/decode.js';
import { JamError } from '../errors.js';
import { notesToMidiBytes } from '../midi/write.js';
import type { NoteEvent } from '../types.js';
import { AUDIO_SAMPLE_RATE, DEFAULT_MIDI_TEMPO, DEFAULT_MIN_NOTE_LENGTH_MS } from './constants.js';
import { loadEngine, type Engine, type EngineName } from './engine.js';
import { runModel } from './inference.js';
import type { ModelOutput } from './notes/frames.js';
import { outputToNotes } from './notes/noteCreation.js';
import type { NoteCreationOptions } from './notes/settings.js';
import { checkTranscribeOptions } from './options.js';

export interface TranscribeOptions extends NoteCreationOptions {
  /** An engine by name (loaded once per process), one already loaded or loading; default onnx. */
  engine?: EngineName | Engine | Promise<Engine>;
  /** Threads for the engine; default the machine's cores. */
  threads?: number;
  /** Windows per engine call. */
  batchSize?: number;
  /** Keep the full contour posteriorgram in `modelOutput` (for saving it). */
  keepContour?: boolean;
  /** Tempo written to the MIDI file. */
  midiTempo?: number;
  multiplePitchBends?: boolean;
  /** The input's name in messages, when it is bytes or samples. */
  name?: string;
  onProgress?: (fraction: number) => void;
}

export interface Transcription {
  notes: NoteEvent[];
  /** The Standard MIDI File's bytes. */
  midi: Uint8Array;
  /** The posteriorgrams; their bend peaks are measured only where this transcription's notes can reach. */
  modelOutput: ModelOutput;
  /** Seconds of audio transcribed. */
  duration: number;
  /** Things the user should hear about that are not errors (e.g. silence). */
  warnings: string[];
}

/** Peak level below which a recording counts as silent (about -80 dBFS). */
const SILENCE_PEAK = 1e-4;

/** A path, `-` (standard input), file bytes, a stream of file bytes (a Readable), or 22 050 Hz mono samples. */
export type AudioInput = string | Uint8Array | Float32Array | AsyncIterable<Uint8Array>;

export async function transcribe(input: AudioInput, options: TranscribeOptions = {}): Promise<Transcription> {
  checkTranscribeOptions(options);
  const name = options.name ?? (typeof input === 'string' ? input : 'audio');
  // The engine loads (ONNX Runtime's sessions, in their own threads) while the audio decodes.
  const engineLoaded =
    typeof options.engine === 'object' ? Promise.resolve(options.engine) : loadEngine(options.engine, options.threads);
  const [audio, engine] = await Promise.all([audioOf(input, name), engineLoaded]);
  const minimumSeconds = (options.minNoteLengthMs ?? DEFAULT_MIN_NOTE_LENGTH_MS) / 1000;
  const checkLength = (samples: number): void => {
    const seconds = samples / AUDIO_SAMPLE_RATE;
    if (seconds < minimumSeconds)
      throw new JamError(
        `${name}: only ${seconds.toFixed(3)} s of audio, shorter than the shortest note jam keeps (${minimumSeconds} s); give a longer recording`,
      );
  };
  // A header that gives the length is checked before the model starts; a stream's length is known at its end.
  if (audio.length !== undefined) checkLength(audio.length);
  const level = peakLevel(audio);
  const modelOutput = await runModel(level.audio, engine, {
    batchSize: options.batchSize,
    keepContour: options.keepContour,
    notesFor: options,
    onProgress: options.onProgress,
  });
  checkLength(level.samples());
  const duration = level.samples() / AUDIO_SAMPLE_RATE;
  const notes = outputToNotes(modelOutput, options);
  const midi = notesToMidiBytes(notes, {
    tempo: options.midiTempo ?? DEFAULT_MIDI_TEMPO,
    multiplePitchBends: options.multiplePitchBends,
  });
  const warnings = [...(audio.warnings ?? []), ...warningsFor(name, level.peak(), notes)];
  return { notes, midi, modelOutput, duration, warnings };
}

async function audioOf(input: AudioInput, name: string): Promise<AudioStream> {
  if (input instanceof Float32Array) return { sampleRate: AUDIO_SAMPLE_RATE, length: input.length, chunks: [input] };
  const audio = await openAudio(input, name, AUDIO_SAMPLE_RATE);
  return { ...audio, chunks: readAhead(audio.chunks, READ_AHEAD_SAMPLES) };
}

/** Audio decoded ahead of the model: 30 s (2.6 MB), enough to keep decoding while the engine starts. */
const READ_AHEAD_SAMPLES = 30 * AUDIO_SAMPLE_RATE;

/**
 * Passes the audio through, measuring its peak level on the way (to tell silence from no notes found): each chunk
 * once it has gone on, so that measuring does not hold up the model's first windows.
 */
function peakLevel(audio: AudioStream): { audio: AudioStream; peak: () => number; samples: () => number } {
  let peak = 0;
  let samples = 0;
  async function* measured(): AsyncGenerator<Float32Array> {
    for await (const chunk of audio.chunks) {
      samples += chunk.length;
      yield chunk;
      peak = Math.max(peak, peakOf(chunk));
    }
  }
  return { audio: { ...audio, chunks: measured() }, peak: () => peak, samples: () => samples };
}

/** An indexed loop in a plain function: V8 runs it far faster than a for…of inside the generator above. */
function peakOf(samples: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const level = Math.abs(samples[i]);
    if (level > peak) peak = level;
  }
  return peak;
}

function warningsFor(name: string, peak: number, notes: NoteEvent[]): string[] {
  if (notes.length > 0) return [];
  return peak < SILENCE_PEAK
    ? [`${name}: the audio is silent; the MIDI file has no notes`]
    : [`${name}: no notes found; try a lower --onset-threshold or --frame-threshold`];
}
