/**
 * WAV (RIFF/WAVE, WAVE_FORMAT_EXTENSIBLE, and RF64/BW64 for files over 4 GB), read a block at a time: integer
 * PCM of 8–32 bits or float of 32/64 bits, any number of channels.
 */
import { JamError } from '../errors.js';
import type { ByteReader } from './bytes.js';
import { fourCC, plausibleRate, truncatedWarning, type DecodedStream, type DecoderInput } from './format.js';
import { isPlainPcm, pcmBlocks, type PcmFrames } from './pcmBlocks.js';

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Streaming writers put these in the data size when they do not know it yet. */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);
/** A fmt or ds64 chunk larger than this is a lie. */
const MAX_HEADER_CHUNK = 1 << 16;

interface Fmt {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

/** The smallest 'fmt ' (PCM's 16 bytes) or 'ds64' chunk (its two sizes) that holds what is read from it. */
const MIN_FORMAT_CHUNK = 16;

/** What the WAV header says, read up to the first byte of audio; null for a codec jam does not read itself. */
export async function readWavHeader(
  reader: ByteReader,
  name: string,
): Promise<{ fmt: Fmt; layout: PcmFrames | null; dataBytes: number | undefined; dataOffset: number }> {
  const riff = await reader.take(12);
  const kind = fourCC(riff, 0);
  if (riff.length < 12) throw new JamError(`${name}: the WAV file is truncated in its header; export or copy it again`);
  const large = kind === 'RF64' || kind === 'BW64';
  let fmt: Fmt | undefined;
  let dataSize64: number | undefined;
  for (;;) {
    const header = await reader.take(8);
    if (header.length < 8) {
      if (!fmt) throw new JamError(`${name}: the WAV file is truncated in its header; export or copy it again`);
      throw new JamError(`${name}: the WAV file has no audio data (no data chunk); export it again`);
    }
    const id = fourCC(header, 0);
    const size = new DataView(header.buffer, header.byteOffset, 8).getUint32(4, true);
    if (id === 'fmt ' || id === 'ds64') {
      if (size > MAX_HEADER_CHUNK)
        throw new JamError(`${name}: the WAV header is damaged (a ${size}-byte '${id}' chunk); export it again`);
      if (size < MIN_FORMAT_CHUNK)
        throw new JamError(`${name}: the WAV header is damaged (a ${size}-byte '${id}' chunk); export it again`);
      const body = await reader.take(size + (size % 2));
      if (body.length < MIN_FORMAT_CHUNK)
        throw new JamError(`${name}: the WAV file is truncated in its header; export or copy it again`);
      const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
      if (id === 'ds64') dataSize64 = view.getUint32(8, true) + view.getUint32(12, true) * 2 ** 32;
      else fmt = parseFmt(view, name);
      continue;
    }
    if (id === 'data') {
      if (!fmt)
        throw new JamError(`${name}: the WAV header is damaged (audio data before its format); export it again`);
      const dataBytes = large && size === 0xffffffff ? dataSize64 : UNKNOWN_SIZES.has(size) ? undefined : size;
      const layout = pcmLayout(fmt);
      return { fmt, layout, dataBytes, dataOffset: reader.consumed };
    }
    const skipped = await reader.skip(size + (size % 2));
    if (skipped < size) throw new JamError(`${name}: the WAV file has no audio data (no data chunk); export it again`);
  }
}

function parseFmt(view: DataView, name: string): Fmt {
  let tag = view.getUint16(0, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE && view.byteLength >= 26) tag = view.getUint16(24, true);
  const fmt = {
    tag,
    channels: view.getUint16(2, true),
    sampleRate: view.getUint32(4, true),
    blockAlign: view.getUint16(12, true),
    bitsPerSample: view.getUint16(14, true),
  };
  if (fmt.channels === 0) throw new JamError(`${name}: the WAV header says the audio has 0 channels; export it again`);
  if (!plausibleRate(fmt.sampleRate))
    throw new JamError(
      `${name}: the WAV header says the sample rate is ${fmt.sampleRate} Hz, which no recording has (jam reads 1000 Hz to 768 kHz); the file is damaged, export it again`,
    );
  return fmt;
}

function pcmLayout(fmt: Fmt): PcmFrames | null {
  const encoding =
    fmt.tag === WAVE_FORMAT_IEEE_FLOAT
      ? 'float'
      : fmt.tag === WAVE_FORMAT_PCM
        ? fmt.bitsPerSample === 8
          ? 'uint8'
          : 'int'
        : null;
  if (!encoding || !isPlainPcm({ encoding, bitsPerSample: fmt.bitsPerSample })) return null;
  // Computed rather than trusted: a block align of 16 bits cannot describe every channel count.
  const blockAlign = fmt.channels * (fmt.bitsPerSample / 8);
  return { encoding, bitsPerSample: fmt.bitsPerSample, bigEndian: false, channels: fmt.channels, blockAlign };
}

/** A WAV stream of plain PCM or float; `unsupported` is called for other codecs (ADPCM, µ-law, …). */
export async function decodeWav(
  { name, reader, warn }: DecoderInput,
  unsupported: (tag: number) => Promise<DecodedStream>,
): Promise<DecodedStream> {
  const { fmt, layout, dataBytes, dataOffset } = await readWavHeader(reader, name);
  if (!layout) {
    await reader.close();
    return unsupported(fmt.tag);
  }
  const promised = dataBytes === undefined ? undefined : Math.floor(dataBytes / layout.blockAlign);
  const available = reader.size === undefined ? undefined : Math.floor((reader.size - dataOffset) / layout.blockAlign);
  const frames =
    promised === undefined ? available : available === undefined ? promised : Math.min(promised, available);
  const rate = fmt.sampleRate;
  return {
    format: 'WAV',
    channels: fmt.channels,
    sampleRate: rate,
    frames,
    blocks: blocksAt(
      pcmBlocks(reader, layout, frames, (read) => {
        if (promised !== undefined && read < promised) warn(truncatedWarning(name, read / rate, promised / rate));
      }),
      rate,
    ),
  };
}

export async function* blocksAt(
  blocks: AsyncIterable<Float32Array>,
  sampleRate: number,
): AsyncGenerator<{ samples: Float32Array; sampleRate: number }> {
  for await (const samples of blocks) yield { samples, sampleRate };
}
