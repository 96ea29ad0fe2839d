/**
 * Long WAV files, read a block at a time: PCM or float samples → mono → 22 050 Hz through the streaming
 * resampler, so an hour of 44.1 kHz stereo never sits in memory whole.
 */
import { open } from 'node:fs/promises';
import { JamError } from '../errors.js';
import { Resampler } from './resample.js';

const HEADER_BYTES_READ = 1 << 16;
/** Input frames per block read from disk (about 1.5 s at 44.1 kHz). */
const BLOCK_FRAMES = 1 << 16;
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Streaming writers put these in the data size when they do not know it yet. */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);

export interface WavLayout {
  format: 'pcm' | 'float';
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
  dataOffset: number;
  /** Sample frames in the data chunk. */
  frames: number;
}

function fourCC(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

/**
 * The layout of a plain PCM (8/16/24/32-bit) or float (32/64-bit) WAV file from its first bytes, or null
 * for anything else (other codecs go through the general decoder). `fileSize` bounds the data chunk.
 */
export function wavLayout(head: Uint8Array, fileSize: number): WavLayout | null {
  if (head.length < 12 || fourCC(head, 0) !== 'RIFF' || fourCC(head, 8) !== 'WAVE') return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let fmt: Omit<WavLayout, 'dataOffset' | 'frames'> | null = null;
  for (let offset = 12; offset + 8 <= head.length;) {
    const id = fourCC(head, offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ' && offset + 24 <= head.length) {
      let tag = view.getUint16(offset + 8, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE && offset + 34 <= head.length) tag = view.getUint16(offset + 32, true);
      const bitsPerSample = view.getUint16(offset + 22, true);
      const format = tag === WAVE_FORMAT_PCM ? 'pcm' : tag === WAVE_FORMAT_IEEE_FLOAT ? 'float' : null;
      const plain =
        format === 'pcm'
          ? [8, 16, 24, 32].includes(bitsPerSample)
          : format === 'float' && [32, 64].includes(bitsPerSample);
      if (!format || !plain) return null;
      fmt = {
        format,
        channels: view.getUint16(offset + 10, true),
        sampleRate: view.getUint32(offset + 12, true),
        bitsPerSample,
        blockAlign: view.getUint16(offset + 20, true),
      };
    }
    if (id === 'data') {
      if (!fmt || fmt.channels === 0 || fmt.blockAlign === 0) return null;
      const available = fileSize - offset - 8;
      const bytes = UNKNOWN_SIZES.has(size) ? available : Math.min(size, available);
      return { ...fmt, dataOffset: offset + 8, frames: Math.floor(bytes / fmt.blockAlign) };
    }
    offset += 8 + size + (size % 2);
  }
  return null;
}

/** The first bytes of a file, enough for `wavLayout`. */
export async function readHead(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(HEADER_BYTES_READ);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Mono samples of one block of interleaved frames. */
function blockToMono(bytes: Buffer, layout: WavLayout, frames: number): Float32Array {
  if (layout.format === 'pcm' && layout.bitsPerSample === 16 && layout.blockAlign === 2 * layout.channels)
    return pcm16ToMono(bytes, layout.channels, frames);
  const mono = new Float32Array(frames);
  const bytesPerSample = layout.bitsPerSample / 8;
  const read = sampleReader(bytes, layout);
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
function pcm16ToMono(bytes: Buffer, channels: number, frames: number): Float32Array {
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

function sampleReader(bytes: Buffer, layout: WavLayout): (offset: number) => number {
  if (layout.format === 'float')
    return layout.bitsPerSample === 32 ? (o) => bytes.readFloatLE(o) : (o) => bytes.readDoubleLE(o);
  switch (layout.bitsPerSample) {
    case 8:
      return (o) => (bytes[o] - 128) / 128;
    case 16:
      return (o) => bytes.readInt16LE(o) / 32768;
    case 24:
      return (o) => bytes.readIntLE(o, 3) / 8388608;
    default:
      return (o) => bytes.readInt32LE(o) / 2147483648;
  }
}

/** The 22 050 Hz mono samples of a plain WAV file, a block at a time, resampled as they come. */
export async function* wavChunks(path: string, layout: WavLayout, outRate: number): AsyncGenerator<Float32Array> {
  const file = await open(path, 'r');
  const resampler = layout.sampleRate === outRate ? null : new Resampler(layout.sampleRate, outRate);
  try {
    const block = Buffer.alloc(BLOCK_FRAMES * layout.blockAlign);
    for (let frame = 0; frame < layout.frames; frame += BLOCK_FRAMES) {
      const frames = Math.min(BLOCK_FRAMES, layout.frames - frame);
      const { bytesRead } = await file.read(
        block,
        0,
        frames * layout.blockAlign,
        layout.dataOffset + frame * layout.blockAlign,
      );
      if (bytesRead < frames * layout.blockAlign)
        throw new JamError(`${path}: the file ended early while reading; check that it is whole`);
      const mono = blockToMono(block, layout, frames);
      yield resampler ? resampler.push(mono) : mono;
    }
    if (resampler) yield resampler.end();
  } finally {
    await file.close();
  }
}
