/**
 * The one audio path: an input's bytes → its format, sniffed from the bytes → that format's streaming decoder →
 * mono → damaged samples silenced → resampled to the model's rate, a block at a time. `jam transcribe`, `jam live`'s
 * file source and the library all read audio through `openAudio`, so memory does not grow with a file's length.
 */
import { JamError } from '../errors.js';
import { decodeAiff } from './aiffDecoder.js';
import { openBytes, SUPPORTED_FORMATS, type AudioBytes } from './bytes.js';
import { decodeCompressed } from './compressedDecoders.js';
import { sanitize, sanitizedWarning } from './downmix.js';
import { decodeWithFfmpeg } from './ffmpeg.js';
import type { DecodedStream, DecoderInput, MonoBlock } from './format.js';
import { Resampler } from './resample.js';
import { sniff, SNIFF_BYTES } from './sniff.js';
import { decodeWav } from './wavDecoder.js';

export { SUPPORTED_FORMATS, type AudioBytes } from './bytes.js';
export { downmix } from './downmix.js';

export interface DecodedAudio {
  /** Mono samples at `sampleRate`. */
  samples: Float32Array;
  sampleRate: number;
  /** Channels in the source, before the downmix. */
  channels: number;
  duration: number;
  /** What the reading found that is not an error (a truncated file, damaged samples). */
  warnings: string[];
}

/** Mono audio at the model's rate, as chunks in order. */
export interface AudioStream {
  sampleRate: number;
  /** Samples in all the chunks together, when the header says so before the first chunk. */
  length?: number;
  /** Samples the recording likely holds, when `length` is not known (it sizes the model's outputs). */
  estimatedLength?: number;
  chunks: AsyncIterable<Float32Array> | Iterable<Float32Array>;
  /** Warnings found while reading (a truncated file, damaged samples); complete once the chunks have ended. */
  warnings?: string[];
  /** The format read, e.g. "WAV", "Opus". */
  format?: string;
  /** Channels in the source, once known. */
  channels?: number;
}

export interface OpenAudioOptions {
  /** Hears each warning as it is found (they are also kept in the stream's `warnings`). */
  onWarning?: (message: string) => void;
}

/** Opens a file, `-` (standard input) or file bytes as a stream of mono samples at `sampleRate`. */
export async function openAudio(
  input: AudioBytes,
  name: string,
  sampleRate: number,
  options: OpenAudioOptions = {},
): Promise<AudioStream> {
  const reader = await openBytes(input);
  const head = await reader.peek(SNIFF_BYTES);
  if (head.length === 0) throw new JamError(`${name}: the input is empty; give an audio file (${SUPPORTED_FORMATS})`);
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const path = typeof input === 'string' && input !== '-' ? input : undefined;
  const decoderInput: DecoderInput = { name, reader, path, warn };
  const format = sniff(head);
  const viaFfmpeg = (what: string) => (): Promise<DecodedStream> => {
    if (!path)
      throw new JamError(
        `${name}: ${what} can be read only from a file (through ffmpeg); save it to a file or convert it to WAV`,
      );
    return decodeWithFfmpeg(what, { ...decoderInput, path });
  };
  let decoded: DecodedStream;
  try {
    switch (format) {
      case 'WAV':
        decoded = await decodeWav(decoderInput, (tag) => viaFfmpeg(`WAV (format tag ${tag})`)());
        break;
      case 'AIFF':
        decoded = await decodeAiff(decoderInput, (compression) => viaFfmpeg(`AIFF-C (${compression.trim()})`)());
        break;
      case 'MP3':
      case 'FLAC':
      case 'Ogg Vorbis':
      case 'Opus':
        decoded = await decodeCompressed(format, decoderInput);
        break;
      case 'unknown':
        throw new JamError(
          `${name}: not an audio file jam can read; give ${SUPPORTED_FORMATS} (convert others with ffmpeg -i "${name}" out.wav)`,
        );
      default:
        decoded = await decodeWithFfmpeg(format, decoderInput);
    }
  } catch (error) {
    await reader.close();
    throw error;
  }
  const length =
    decoded.frames !== undefined && decoded.sampleRate !== undefined
      ? decoded.sampleRate === sampleRate
        ? decoded.frames
        : Resampler.outputLength(decoded.frames, decoded.sampleRate, sampleRate)
      : undefined;
  const estimatedLength =
    decoded.estimatedSeconds !== undefined ? Math.ceil(decoded.estimatedSeconds * sampleRate) : undefined;
  return {
    sampleRate,
    get channels() {
      return decoded.channels;
    },
    length,
    estimatedLength,
    chunks: atRate(decoded.blocks, sampleRate, (count) => warn(sanitizedWarning(name, count))),
    warnings,
    format: decoded.format,
  };
}

/** Damaged samples silenced (counted once, at the end), then resampled to `outRate`. */
async function* atRate(
  blocks: AsyncIterable<MonoBlock>,
  outRate: number,
  onSanitized: (count: number) => void,
): AsyncGenerator<Float32Array> {
  let resampler: Resampler | undefined;
  let rate = outRate;
  let damaged = 0;
  for await (const { samples, sampleRate } of blocks) {
    damaged += sanitize(samples);
    if (sampleRate !== rate) {
      // A stream whose rate changes (an MP3 joined from two) is resampled piece by piece.
      if (resampler) yield resampler.end();
      rate = sampleRate;
      resampler = rate === outRate ? undefined : new Resampler(rate, outRate);
    }
    const out = resampler ? resampler.push(samples) : samples;
    if (out.length > 0) yield out;
  }
  if (resampler) {
    const tail = resampler.end();
    if (tail.length > 0) yield tail;
  }
  if (damaged > 0) onSanitized(damaged);
}

/** Decodes a whole input to `sampleRate` mono at once. `name` is only for messages. */
export async function decodeAudio(input: AudioBytes, name: string, sampleRate: number): Promise<DecodedAudio> {
  const stream = await openAudio(input, name, sampleRate);
  const chunks: Float32Array[] = [];
  for await (const chunk of stream.chunks) chunks.push(chunk);
  const samples = new Float32Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    samples.set(chunk, offset);
    offset += chunk.length;
  }
  return {
    samples,
    sampleRate,
    channels: stream.channels ?? 1,
    duration: samples.length / sampleRate,
    warnings: stream.warnings ?? [],
  };
}

/**
 * Decodes ahead of the consumer, up to `limit` samples, from the moment it is called: a transcription's decoding
 * then runs while the engine starts, as the whole-file decoding did before, and whenever the model waits.
 */
export function readAhead(
  chunks: AsyncIterable<Float32Array> | Iterable<Float32Array>,
  limit: number,
): AsyncIterable<Float32Array> {
  const iterator =
    Symbol.asyncIterator in chunks
      ? chunks[Symbol.asyncIterator]()
      : (chunks as Iterable<Float32Array>)[Symbol.iterator]();
  const queue: Float32Array[] = [];
  let queued = 0;
  let done = false;
  let failure: { error: unknown } | undefined;
  let pumping = false;
  let wake: (() => void) | undefined;
  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      while (!done && queued < limit) {
        const next = await iterator.next();
        if (next.done) done = true;
        else {
          queue.push(next.value);
          queued += next.value.length;
        }
        wake?.();
      }
    } catch (error) {
      failure = { error };
      done = true;
    } finally {
      pumping = false;
      wake?.();
    }
  };
  void pump();
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const chunk = queue.shift();
        if (chunk) {
          queued -= chunk.length;
          void pump();
          yield chunk;
          continue;
        }
        if (failure) throw failure.error;
        if (done) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
  };
}
