/**
 * WAV (RIFF/WAVE) encoding of float audio: integer PCM at 8, 16, 24 or 32 bits, or 32-bit IEEE float.
 */

export const WAV_FORMATS = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32'] as const;
export type WavFormat = (typeof WAV_FORMATS)[number];

const FORMAT_TAG_PCM = 1;
const FORMAT_TAG_IEEE_FLOAT = 3;
const BITS_PER_SAMPLE: Record<WavFormat, number> = {
  pcm8: 8,
  pcm16: 16,
  pcm24: 24,
  pcm32: 32,
  float32: 32,
};
/** 8-bit WAV is unsigned: silence is 128. */
const PCM8_OFFSET = 128;
const CHUNK_HEADER_BYTES = 8;
const PCM_FMT_BYTES = 16;
/** Non-PCM formats carry a cbSize field (0 here) after the 16 PCM bytes, and must have a fact chunk. */
const FLOAT_FMT_BYTES = 18;
const FACT_BYTES = 4;

/**
 * Encode channels of samples in [-1, 1] (louder samples are clipped) as an interleaved WAV file.
 * All channels must have the same length.
 */
export function encodeWav(channels: Float32Array[], sampleRate: number, format: WavFormat = 'pcm16'): Buffer {
  checkInput(channels, sampleRate, format);
  const isFloat = format === 'float32';
  const channelCount = channels.length;
  const frames = channels[0].length;
  const bytesPerSample = BITS_PER_SAMPLE[format] / 8;
  const blockAlign = channelCount * bytesPerSample;
  const dataBytes = frames * blockAlign;
  const fmtBytes = isFloat ? FLOAT_FMT_BYTES : PCM_FMT_BYTES;
  // RIFF chunks are word-aligned: an odd-sized data chunk (8- or 24-bit audio) is followed by a pad byte.
  const dataPad = dataBytes % 2;
  const chunksBytes =
    CHUNK_HEADER_BYTES +
    fmtBytes +
    (isFloat ? CHUNK_HEADER_BYTES + FACT_BYTES : 0) +
    CHUNK_HEADER_BYTES +
    dataBytes +
    dataPad;

  const buffer = Buffer.alloc(CHUNK_HEADER_BYTES + 4 + chunksBytes);
  let offset = 0;
  offset = writeId(buffer, 'RIFF', offset);
  offset = buffer.writeUInt32LE(4 + chunksBytes, offset);
  offset = writeId(buffer, 'WAVE', offset);

  offset = writeId(buffer, 'fmt ', offset);
  offset = buffer.writeUInt32LE(fmtBytes, offset);
  offset = buffer.writeUInt16LE(isFloat ? FORMAT_TAG_IEEE_FLOAT : FORMAT_TAG_PCM, offset);
  offset = buffer.writeUInt16LE(channelCount, offset);
  offset = buffer.writeUInt32LE(sampleRate, offset);
  offset = buffer.writeUInt32LE(sampleRate * blockAlign, offset);
  offset = buffer.writeUInt16LE(blockAlign, offset);
  offset = buffer.writeUInt16LE(BITS_PER_SAMPLE[format], offset);
  if (isFloat) {
    offset = buffer.writeUInt16LE(0, offset); // cbSize: no extension
    offset = writeId(buffer, 'fact', offset);
    offset = buffer.writeUInt32LE(FACT_BYTES, offset);
    offset = buffer.writeUInt32LE(frames, offset);
  }

  offset = writeId(buffer, 'data', offset);
  offset = buffer.writeUInt32LE(dataBytes, offset);
  writeSamples(buffer, offset, channels, format);
  return buffer;
}

/** Buffer.write returns the byte count, not the next offset as the writeUInt* methods do. */
function writeId(buffer: Buffer, id: string, offset: number): number {
  return offset + buffer.write(id, offset, 'ascii');
}

function checkInput(channels: Float32Array[], sampleRate: number, format: WavFormat): void {
  if (channels.length === 0) throw new RangeError('encodeWav: need at least one channel');
  if (channels.some((channel) => channel.length !== channels[0].length)) {
    throw new RangeError('encodeWav: all channels must have the same length');
  }
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
    throw new RangeError(`encodeWav: sample rate must be a positive integer, got ${sampleRate}`);
  }
  if (!WAV_FORMATS.includes(format)) {
    throw new RangeError(`encodeWav: unknown format '${format}', expected one of ${WAV_FORMATS.join(', ')}`);
  }
}

function writeSamples(buffer: Buffer, start: number, channels: Float32Array[], format: WavFormat): void {
  const write = SAMPLE_WRITERS[format];
  const bytesPerSample = BITS_PER_SAMPLE[format] / 8;
  let offset = start;
  for (let frame = 0; frame < channels[0].length; frame++) {
    for (const channel of channels) {
      write(buffer, offset, clip(channel[frame]));
      offset += bytesPerSample;
    }
  }
}

/** Integer formats scale by the largest positive value, so +1 and -1 map symmetrically and never overflow. */
const SAMPLE_WRITERS: Record<WavFormat, (buffer: Buffer, offset: number, sample: number) => void> = {
  pcm8: (buffer, offset, sample) => buffer.writeUInt8(PCM8_OFFSET + Math.round(sample * 127), offset),
  pcm16: (buffer, offset, sample) => buffer.writeInt16LE(Math.round(sample * 0x7fff), offset),
  pcm24: (buffer, offset, sample) => buffer.writeIntLE(Math.round(sample * 0x7fffff), offset, 3),
  pcm32: (buffer, offset, sample) => buffer.writeInt32LE(Math.round(sample * 0x7fffffff), offset),
  float32: (buffer, offset, sample) => buffer.writeFloatLE(sample, offset),
};

/** Clip to [-1, 1]; NaN becomes silence rather than an undefined integer. */
function clip(sample: number): number {
  if (Number.isNaN(sample)) return 0;
  return Math.max(-1, Math.min(1, sample));
}
