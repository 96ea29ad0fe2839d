/**
 * Raw PCM bytes (as `arecord`, `sox -t raw` and `ffmpeg -f f32le` write them) → mono samples at the model's rate,
 * chunk by chunk. Reads split sample frames anywhere, so the bytes of a frame may arrive in two reads.
 */
import { downmix, sanitize } from '../audio/downmix.js';
import { Resampler } from '../audio/resample.js';
import { usageError } from '../errors.js';

export const PCM_FORMATS = ['f32le', 's16le'] as const;
export type PcmFormat = (typeof PCM_FORMATS)[number];

const BYTES_PER_SAMPLE: Record<PcmFormat, number> = { f32le: 4, s16le: 2 };
/** Signed 16-bit full scale. */
const S16_SCALE = 32768;
const MAX_CHANNELS = 65_535;
const MIN_RATE = 1000;
const MAX_RATE = 768_000;

export interface PcmLayout {
  /** Frames per second of the input. */
  rate: number;
  format: PcmFormat;
  channels: number;
}

/** A usage error naming the option, for layouts no PCM stream has. */
export function checkPcmLayout({ rate, channels }: PcmLayout): void {
  if (!Number.isInteger(rate) || rate < MIN_RATE || rate > MAX_RATE)
    throw usageError(`--rate ${rate}: give the input's sample rate in Hz, e.g. --rate 48000`);
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS)
    throw usageError(`--channels ${channels}: give the number of interleaved channels, 1 to ${MAX_CHANNELS}`);
}

/** Whole frames of interleaved `format` samples → one Float32Array per channel. */
export function deinterleave(bytes: Uint8Array, { format, channels }: PcmLayout): Float32Array[] {
  const size = BYTES_PER_SAMPLE[format];
  const frames = Math.floor(bytes.length / (size * channels));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  for (let frame = 0; frame < frames; frame++) {
    for (let channel = 0; channel < channels; channel++) {
      const offset = (frame * channels + channel) * size;
      out[channel][frame] =
        format === 'f32le' ? view.getFloat32(offset, true) : view.getInt16(offset, true) / S16_SCALE;
    }
  }
  return out;
}

/** Turns a stream of PCM reads into mono chunks at `outRate`, keeping a partial frame for the next read. */
export class PcmDecoder {
  private readonly frameBytes: number;
  private leftover = new Uint8Array(0);
  private readonly resampler: Resampler | undefined;
  /** Samples that were not a number, infinite or absurdly loud, replaced by silence so far. */
  damaged = 0;

  constructor(
    private readonly layout: PcmLayout,
    outRate: number,
  ) {
    this.frameBytes = BYTES_PER_SAMPLE[layout.format] * layout.channels;
    this.resampler = layout.rate === outRate ? undefined : new Resampler(layout.rate, outRate);
  }

  push(bytes: Uint8Array): Float32Array {
    const joined = this.leftover.length === 0 ? bytes : concatBytes(this.leftover, bytes);
    const whole = joined.length - (joined.length % this.frameBytes);
    // A copy: the reader may reuse its buffer for the next read.
    this.leftover = joined.slice(whole);
    const mono = downmix(deinterleave(joined.subarray(0, whole), this.layout));
    this.damaged += sanitize(mono);
    return this.resampler ? this.resampler.push(mono) : mono;
  }

  /** The rest of the resampled signal; a trailing partial frame is dropped. */
  end(): Float32Array {
    return this.resampler ? this.resampler.end() : new Float32Array(0);
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
