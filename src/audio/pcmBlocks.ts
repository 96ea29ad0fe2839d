/**
 * Interleaved PCM or float frames (WAV's and AIFF's data) → mono, a block at a time, for any number of channels.
 */
import type { ByteReader } from './bytes.js';

/** Input frames per block (about 1.5 s at 44.1 kHz). */
const BLOCK_FRAMES = 1 << 16;

export interface PcmFrames {
  encoding: 'int' | 'uint8' | 'float';
  bitsPerSample: number;
  bigEndian: boolean;
  channels: number;
  /** Bytes per frame. */
  blockAlign: number;
}

/** Whether jam reads this encoding itself. */
export function isPlainPcm({ encoding, bitsPerSample }: Pick<PcmFrames, 'encoding' | 'bitsPerSample'>): boolean {
  if (encoding === 'float') return bitsPerSample === 32 || bitsPerSample === 64;
  if (encoding === 'uint8') return bitsPerSample === 8;
  return [8, 16, 24, 32].includes(bitsPerSample);
}

/**
 * Mono blocks of at most `frames` frames read from `reader` (all of it for undefined); `onEnd` hears how many
 * frames there were.
 */
export async function* pcmBlocks(
  reader: ByteReader,
  layout: PcmFrames,
  frames: number | undefined,
  onEnd: (framesRead: number) => void,
): AsyncGenerator<Float32Array> {
  let read = 0;
  try {
    while (frames === undefined || read < frames) {
      const want = Math.min(BLOCK_FRAMES, frames === undefined ? BLOCK_FRAMES : frames - read);
      const bytes = await reader.take(want * layout.blockAlign);
      const got = Math.floor(bytes.length / layout.blockAlign);
      if (got > 0) {
        read += got;
        yield blockToMono(bytes, layout, got);
      }
      if (got < want) break;
    }
  } finally {
    await reader.close();
  }
  onEnd(read);
}

/** Mono samples of one block of interleaved frames. */
export function blockToMono(bytes: Uint8Array, layout: PcmFrames, frames: number): Float32Array {
  if (
    layout.encoding === 'int' &&
    layout.bitsPerSample === 16 &&
    !layout.bigEndian &&
    layout.blockAlign === 2 * layout.channels &&
    bytes.byteOffset % 2 === 0
  )
    return pcm16ToMono(bytes, layout.channels, frames);
  if (
    layout.encoding === 'float' &&
    layout.bitsPerSample === 32 &&
    !layout.bigEndian &&
    layout.blockAlign === 4 * layout.channels &&
    bytes.byteOffset % 4 === 0
  )
    return float32ToMono(new Float32Array(bytes.buffer, bytes.byteOffset, frames * layout.channels), layout.channels);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mono = new Float32Array(frames);
  const bytesPerSample = layout.bitsPerSample / 8;
  const read = sampleReader(buffer, layout);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < layout.channels; c++) sum += read(f * layout.blockAlign + c * bytesPerSample);
    mono[f] = sum / layout.channels;
  }
  return mono;
}

/**
 * 16-bit PCM, the common case, read as integers rather than by a reader call per sample, and the same
 * values, since dividing the integers' sum by 32 768 × channels rounds once as a per-sample sum would.
 */
function pcm16ToMono(bytes: Uint8Array, channels: number, frames: number): Float32Array {
  const samples = new Int16Array(bytes.buffer, bytes.byteOffset, frames * channels);
  const mono = new Float32Array(frames);
  const scale = 32768 * channels;
  if (channels === 2) {
    for (let f = 0; f < frames; f++) mono[f] = (samples[2 * f] + samples[2 * f + 1]) / scale;
    return mono;
  }
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[f * channels + c];
    mono[f] = sum / scale;
  }
  return mono;
}

/** 32-bit float (ffmpeg's output, float WAVs) read as floats: the same sums as a reader call per sample. */
function float32ToMono(samples: Float32Array, channels: number): Float32Array {
  const frames = samples.length / channels;
  const mono = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[f * channels + c];
    mono[f] = sum / channels;
  }
  return mono;
}

function sampleReader(bytes: Buffer, layout: PcmFrames): (offset: number) => number {
  const { bigEndian: be } = layout;
  if (layout.encoding === 'float') {
    if (layout.bitsPerSample === 32) return be ? (o) => bytes.readFloatBE(o) : (o) => bytes.readFloatLE(o);
    return be ? (o) => bytes.readDoubleBE(o) : (o) => bytes.readDoubleLE(o);
  }
  if (layout.encoding === 'uint8') return (o) => (bytes[o] - 128) / 128;
  switch (layout.bitsPerSample) {
    case 8:
      return (o) => ((bytes[o] << 24) >> 24) / 128;
    case 16:
      return be ? (o) => bytes.readInt16BE(o) / 32768 : (o) => bytes.readInt16LE(o) / 32768;
    case 24:
      return be ? (o) => bytes.readIntBE(o, 3) / 8388608 : (o) => bytes.readIntLE(o, 3) / 8388608;
    default:
      return be ? (o) => bytes.readInt32BE(o) / 2147483648 : (o) => bytes.readInt32LE(o) / 2147483648;
  }
}
