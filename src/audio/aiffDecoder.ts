/** AIFF and AIFF-C (big- or little-endian PCM, 32/64-bit float), read a block at a time, any number of channels. */
import { JamError } from '../errors.js';
import { fourCC, plausibleRate, truncatedWarning, type DecodedStream, type DecoderInput } from './format.js';
import { isPlainPcm, pcmBlocks, type PcmFrames } from './pcmBlocks.js';
import { blocksAt } from './wavDecoder.js';

const MAX_COMM_BYTES = 1 << 16;
const SOX_UNKNOWN_SIZE = 0x7f000000;

/** AIFF-C compression types jam reads itself, as (encoding, big-endian, bits or undefined for the header's). */
const COMPRESSIONS: Record<string, { encoding: PcmFrames['encoding']; bigEndian: boolean; bits?: number }> = {
  NONE: { encoding: 'int', bigEndian: true },
  twos: { encoding: 'int', bigEndian: true },
  sowt: { encoding: 'int', bigEndian: false },
  fl32: { encoding: 'float', bigEndian: true, bits: 32 },
  FL32: { encoding: 'float', bigEndian: true, bits: 32 },
  fl64: { encoding: 'float', bigEndian: true, bits: 64 },
  FL64: { encoding: 'float', bigEndian: true, bits: 64 },
  'raw ': { encoding: 'uint8', bigEndian: true, bits: 8 },
};

/** An 80-bit IEEE 754 extended float (big-endian), as AIFF stores its sample rate. */
export function extendedFloat(bytes: Uint8Array, offset: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 10);
  const exponent = view.getUint16(0) & 0x7fff;
  const sign = view.getUint16(0) & 0x8000 ? -1 : 1;
  const mantissa = view.getUint32(2) * 2 ** 32 + view.getUint32(6);
  if (exponent === 0 && mantissa === 0) return 0;
  if (exponent === 0x7fff) return NaN;
  return sign * mantissa * 2 ** (exponent - 16383 - 63);
}

export async function decodeAiff(
  { name, reader, warn }: DecoderInput,
  unsupported: (compression: string) => Promise<DecodedStream>,
): Promise<DecodedStream> {
  const form = await reader.take(12);
  if (form.length < 12)
    throw new JamError(`${name}: the AIFF file is truncated in its header; export or copy it again`);
  const aifc = fourCC(form, 8) === 'AIFC';
  // SoX writing to a pipe puts 0x7f000000 and up in the sizes it does not know yet: the length is then unknown.
  const unknownLength = new DataView(form.buffer, form.byteOffset, 12).getUint32(4) >= SOX_UNKNOWN_SIZE;
  let comm: { channels: number; frames: number; bits: number; rate: number; compression: string } | undefined;
  for (;;) {
    const header = await reader.take(8);
    if (header.length < 8) {
      if (!comm) throw new JamError(`${name}: the AIFF file is truncated in its header; export or copy it again`);
      throw new JamError(`${name}: the AIFF file has no audio data (no SSND chunk); export it again`);
    }
    const id = fourCC(header, 0);
    const size = new DataView(header.buffer, header.byteOffset, 8).getUint32(4);
    if (id === 'COMM') {
      if (size > MAX_COMM_BYTES || size < 18)
        throw new JamError(`${name}: the AIFF header is damaged (a ${size}-byte COMM chunk); export it again`);
      const body = await reader.take(size + (size % 2));
      if (body.length < size)
        throw new JamError(`${name}: the AIFF file is truncated in its header; export or copy it again`);
      const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
      comm = {
        channels: view.getUint16(0),
        frames: view.getUint32(2),
        bits: view.getUint16(6),
        rate: extendedFloat(body, 8),
        compression: aifc && size >= 22 ? fourCC(body, 18) : 'NONE',
      };
      continue;
    }
    if (id === 'SSND') {
      if (!comm) throw new JamError(`${name}: the AIFF header is damaged (audio data before COMM); export it again`);
      const offsets = await reader.take(8);
      const offset = offsets.length === 8 ? new DataView(offsets.buffer, offsets.byteOffset, 8).getUint32(0) : 0;
      await reader.skip(offset);
      return stream(comm, size - 8 - offset);
    }
    const skipped = await reader.skip(size + (size % 2));
    if (skipped < size) throw new JamError(`${name}: the AIFF file has no audio data (no SSND chunk); export it again`);
  }

  async function stream(header: NonNullable<typeof comm>, dataBytes: number): Promise<DecodedStream> {
    const { channels, compression } = header;
    const rate = Math.round(header.rate);
    if (channels === 0) throw new JamError(`${name}: the AIFF header says the audio has 0 channels; export it again`);
    if (!plausibleRate(rate))
      throw new JamError(
        `${name}: the AIFF header says the sample rate is ${rate} Hz, which no recording has (jam reads 1000 Hz to 768 kHz); the file is damaged, export it again`,
      );
    const kind = COMPRESSIONS[compression];
    // Integer samples are stored in whole bytes, left-justified: 12-bit audio takes 2 bytes.
    const bits = kind?.bits ?? Math.ceil(header.bits / 8) * 8;
    if (!kind || !isPlainPcm({ encoding: kind.encoding, bitsPerSample: bits })) {
      await reader.close();
      return unsupported(compression);
    }
    const layout: PcmFrames = {
      encoding: kind.encoding,
      bitsPerSample: bits,
      bigEndian: kind.bigEndian,
      channels,
      blockAlign: channels * (bits / 8),
    };
    const fromData = Math.floor(Math.max(0, dataBytes) / layout.blockAlign);
    const promised = unknownLength
      ? undefined
      : header.frames > 0
        ? Math.min(header.frames, fromData || header.frames)
        : fromData;
    const available =
      reader.size === undefined ? undefined : Math.floor((reader.size - reader.consumed) / layout.blockAlign);
    const frames =
      available === undefined ? promised : promised === undefined ? available : Math.min(promised, available);
    return {
      format: 'AIFF',
      channels,
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
}
