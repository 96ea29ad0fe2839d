/**
 * Audio files → 22 050 Hz mono samples, the model's input. node-web-audio-api decodes WAV, MP3, FLAC and
 * OGG Vorbis and resamples to the context's rate as it decodes; channels are averaged to mono.
 */
import { stat } from 'node:fs/promises';
import type { AudioBuffer } from 'node-web-audio-api';
import { JamError } from '../errors.js';
import { readWholeFile } from '../files.js';
import { Resampler } from './resample.js';
import { checkWavIsWhole } from './wavHeader.js';
import { readHead, wavChunks, wavLayout } from './wavStream.js';

export const SUPPORTED_FORMATS = 'WAV, MP3, FLAC or OGG Vorbis';

export interface DecodedAudio {
  /** Mono samples at `sampleRate`. */
  samples: Float32Array;
  sampleRate: number;
  /** Channels in the source, before the downmix. */
  channels: number;
  duration: number;
}

/**
 * Recordings at least this long are read from disk a block at a time when they are plain WAV, so memory does
 * not grow with their length; shorter ones (and other formats) are decoded whole, which is faster: jam's
 * JavaScript reader overlaps decoding with inference but competes with the engine's threads for the CPU
 * (figures in docs/engines.md).
 */
export const STREAMING_MIN_SECONDS = 600;

/** Mono audio at the model's rate, as chunks in order, with its length known before the first one. */
export interface AudioStream {
  sampleRate: number;
  /** Samples in all the chunks together. */
  length: number;
  chunks: AsyncIterable<Float32Array> | Iterable<Float32Array>;
}

/**
 * Opens a file, `-` or file bytes as a stream of mono samples at `sampleRate`. Plain WAV files of at least
 * `streamingMinSeconds` are streamed from disk.
 */
export async function openAudio(
  input: string | Uint8Array,
  name: string,
  sampleRate: number,
  streamingMinSeconds = STREAMING_MIN_SECONDS,
): Promise<AudioStream> {
  if (typeof input === 'string' && input !== '-') {
    const size = await checkedFileSize(input);
    const head = await readHead(input);
    checkWavIsWhole(head, name, size);
    const layout = wavLayout(head, size);
    if (layout && layout.frames / layout.sampleRate >= streamingMinSeconds) {
      const length =
        layout.sampleRate === sampleRate
          ? layout.frames
          : Resampler.outputLength(layout.frames, layout.sampleRate, sampleRate);
      return { sampleRate, length, chunks: wavChunks(input, layout, sampleRate) };
    }
  }
  const bytes = typeof input === 'string' ? await readAudioBytes(input) : input;
  const decoded = await decodeBuffer(bytes, name, sampleRate);
  return { sampleRate, length: decoded.length, chunks: downmixedBlocks(decoded) };
}

/** Samples mixed to mono at a time: the model's first windows need not wait for the whole recording's mix. */
const MIX_BLOCK = 1 << 17;

/**
 * The decoded channels' average, a block at a time (the buffer, which owns the channels' memory, kept until the end).
 */
function* downmixedBlocks(buffer: AudioBuffer): Generator<Float32Array> {
  const channels = channelsOf(buffer);
  for (let start = 0; start < buffer.length; start += MIX_BLOCK)
    yield downmix(channels.map((channel) => channel.subarray(start, start + MIX_BLOCK)));
}

/** Reads a file, or all of standard input for `-`, naming the input in every error. */
export async function readAudioBytes(input: string): Promise<Uint8Array> {
  if (input === '-') return readStdin();
  await checkedFileSize(input);
  return readWholeFile(input);
}

/** The size of an audio file that exists, is a file and is not empty; a JamError otherwise. */
async function checkedFileSize(input: string): Promise<number> {
  const info = await stat(input).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new JamError(`${input}: no such file; check the path`);
    if (error.code === 'EACCES') throw new JamError(`${input}: permission denied; check the file's permissions`);
    throw error;
  });
  if (info.isDirectory()) throw new JamError(`${input}: is a directory; give an audio file (${SUPPORTED_FORMATS})`);
  if (info.size === 0) throw new JamError(`${input}: the file is empty; give an audio file (${SUPPORTED_FORMATS})`);
  return info.size;
}

async function readStdin(): Promise<Uint8Array> {
  if (process.stdin.isTTY)
    throw new JamError(`-: standard input is a terminal; pipe audio into jam (e.g. cat take.wav | jam transcribe -)`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  if (bytes.length === 0)
    throw new JamError(`-: standard input was empty; pipe an audio file (${SUPPORTED_FORMATS}) into jam`);
  return bytes;
}

/** Decodes and resamples to `sampleRate` mono. `name` is only for messages. */
export async function decodeAudio(bytes: Uint8Array, name: string, sampleRate: number): Promise<DecodedAudio> {
  const buffer = await decodeBuffer(bytes, name, sampleRate);
  const channels = channelsOf(buffer);
  return {
    samples: downmix(channels),
    sampleRate: buffer.sampleRate,
    channels: channels.length,
    duration: buffer.duration,
  };
}

function channelsOf(buffer: AudioBuffer): Float32Array[] {
  return Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
}

async function decodeBuffer(bytes: Uint8Array, name: string, sampleRate: number): Promise<AudioBuffer> {
  checkWavIsWhole(bytes, name);
  // Loaded when first needed: a transcription starts its engine first, so the two load side by side.
  const { OfflineAudioContext } = await import('node-web-audio-api');
  const context = new OfflineAudioContext(1, 1, sampleRate);
  // node-web-audio-api reads the bytes without taking them: a file's own buffer goes as it is, not copied.
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const data = (
    whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  ) as ArrayBuffer;
  return context.decodeAudioData(data).catch((error: Error) => {
    throw decodeError(name, error);
  });
}

/**
 * Averages the channels into a new array. Always a copy: node-web-audio-api's channel data lives in
 * native memory that is freed with its AudioBuffer, so a view of it would turn to garbage later.
 */
export function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0].slice();
  const mono = new Float32Array(channels[0].length);
  // Stereo, the common case, in one pass: a float sum rounded from a double is the float sum.
  if (channels.length === 2) {
    const [left, right] = channels;
    for (let i = 0; i < mono.length; i++) mono[i] = (left[i] + right[i]) / 2;
    return mono;
  }
  for (const channel of channels) for (let i = 0; i < mono.length; i++) mono[i] += channel[i];
  for (let i = 0; i < mono.length; i++) mono[i] /= channels.length;
  return mono;
}

function decodeError(name: string, error: Error): JamError {
  const reason = error.message;
  if (/unsupported codec/i.test(reason)) {
    return new JamError(
      `${name}: its audio codec is not supported; convert it to ${SUPPORTED_FORMATS} (e.g. ffmpeg -i "${name}" out.wav)`,
    );
  }
  if (/no suitable format reader|probe|moov/i.test(reason)) {
    return new JamError(
      `${name}: not an audio file jam can read; give ${SUPPORTED_FORMATS} (convert others with ffmpeg -i "${name}" out.wav)`,
    );
  }
  return new JamError(
    `${name}: the audio could not be decoded (${reason}); check that the file is whole, or convert it to WAV`,
  );
}
