/** What every format's decoder gives the audio pipeline, and what it gets. */
import type { ByteReader } from './bytes.js';

/** Mono samples at the rate they were recorded at. */
export interface MonoBlock {
  samples: Float32Array;
  sampleRate: number;
}

export interface DecoderInput {
  /** The input's name, for messages. */
  name: string;
  reader: ByteReader;
  /** The file's path (not for standard input or bytes in memory). */
  path?: string;
  warn: (message: string) => void;
}

export interface DecodedStream {
  /** The format's name, for messages. */
  format: string;
  /** Source frames the stream will give, when its header says so (and the file holds them). */
  frames?: number;
  /** Channels in the source (set by the first block for compressed formats). */
  channels?: number;
  /** The source rate, when known before the first block. */
  sampleRate?: number;
  /** Seconds the file is likely to last, when only an estimate is known (it sizes the model's outputs). */
  estimatedSeconds?: number;
  blocks: AsyncIterable<MonoBlock>;
}

/** Sample rates jam accepts from a header: outside them the header is lying (or the file is not audio). */
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 768_000;

export function plausibleRate(rate: number): boolean {
  return Number.isFinite(rate) && rate >= MIN_SAMPLE_RATE && rate <= MAX_SAMPLE_RATE;
}

export function fourCC(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

/** "12.3 s", for messages about how much was read. */
export function seconds(value: number): string {
  return `${value.toFixed(1)} s`;
}

/** The warning for a file that ends before its header says it should. */
export function truncatedWarning(name: string, readSeconds: number, promisedSeconds: number): string {
  const share = promisedSeconds > 0 ? Math.floor((100 * readSeconds) / promisedSeconds) : 0;
  return `${name}: the file is truncated: read ${seconds(readSeconds)} of the ${seconds(promisedSeconds)} its header promises (${share}%); the notes stop there`;
}
