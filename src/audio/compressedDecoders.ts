/**
 * MP3, FLAC, Ogg Vorbis and Ogg Opus through the streaming WebAssembly decoders (mpg123-decoder,
 * @wasm-audio-decoders/flac and ogg-vorbis, ogg-opus-decoder): bytes go in as they are read, samples come out a
 * few frames at a time. Each decoder module loads when first needed.
 */
import { JamError } from '../errors.js';
import { downmixInPlace } from './downmix.js';
import { fourCC, seconds, truncatedWarning, type DecodedStream, type DecoderInput, type MonoBlock } from './format.js';

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: Array<{ message: string }>;
}

interface WasmDecoder {
  ready: Promise<void>;
  decode(bytes: Uint8Array): Decoded | Promise<Decoded>;
  flush?(): Promise<Decoded>;
  free(): void;
}

/** Bytes handed to a decoder at a time. */
const DECODE_BYTES = 1 << 16;
/** Bytes kept from the end of the stream, to check that an Ogg stream ends with its last page. */
const TAIL_BYTES = 1 << 16;

export type CompressedFormat = 'MP3' | 'FLAC' | 'Ogg Vorbis' | 'Opus';

async function makeDecoder(format: CompressedFormat): Promise<WasmDecoder> {
  switch (format) {
    case 'MP3':
      return new (await import('mpg123-decoder')).MPEGDecoder() as unknown as WasmDecoder;
    case 'FLAC':
      return new (await import('@wasm-audio-decoders/flac')).FLACDecoder() as unknown as WasmDecoder;
    case 'Ogg Vorbis':
      return new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder() as unknown as WasmDecoder;
    case 'Opus':
      return new (await import('ogg-opus-decoder')).OggOpusDecoder() as unknown as WasmDecoder;
  }
}

/** What the first bytes say of the stream's length: exact samples, or an estimate in seconds. */
interface Expectation {
  /** Source frames the header promises (FLAC's STREAMINFO, an MP3's Xing/Info frame count). */
  frames?: number;
  /** A tolerance on `frames`, in source frames (an MP3's encoder delay and padding). */
  slack?: number;
  estimatedSeconds?: number;
}

export async function decodeCompressed(format: CompressedFormat, input: DecoderInput): Promise<DecodedStream> {
  const head = await input.reader.peek(1 << 16);
  const expectation =
    format === 'FLAC' ? flacExpectation(head) : format === 'MP3' ? mp3Expectation(head, input.reader.size) : {};
  if (expectation.estimatedSeconds === undefined && input.reader.size !== undefined)
    // Opus and Vorbis at 48 kbit/s or more: the model's outputs are sized for it and grow if it was wrong.
    expectation.estimatedSeconds = input.reader.size / 6000;
  const decoder = await makeDecoder(format);
  await decoder.ready;
  const stream: DecodedStream = {
    format,
    estimatedSeconds: expectation.estimatedSeconds,
    blocks: blocks(format, decoder, input, expectation, (channels) => (stream.channels ??= channels)),
  };
  return stream;
}

async function* blocks(
  format: CompressedFormat,
  decoder: WasmDecoder,
  { name, reader, warn }: DecoderInput,
  expectation: Expectation,
  onChannels: (channels: number) => void,
): AsyncGenerator<MonoBlock> {
  let frames = 0;
  let rate = 0;
  let tail: Uint8Array = new Uint8Array(0);
  let firstError: string | undefined;
  let bytesIn = 0;
  const take = (decoded: Decoded): MonoBlock | undefined => {
    if (decoded.errors.length > 0) firstError ??= decoded.errors[0].message;
    if (decoded.samplesDecoded === 0 || decoded.channelData.length === 0) return undefined;
    frames += decoded.samplesDecoded;
    onChannels(decoded.channelData.length);
    rate = decoded.sampleRate;
    return {
      samples: downmixInPlace(decoded.channelData.map((c) => c.subarray(0, decoded.samplesDecoded))),
      sampleRate: rate,
    };
  };
  try {
    for await (const chunk of reader.rest()) {
      bytesIn += chunk.length;
      if (format === 'Ogg Vorbis' || format === 'Opus') tail = keepTail(tail, chunk);
      // A little at a time: the decoder's output for a megabyte of MP3 is 15 MB of samples, garbage soon after.
      for (let offset = 0; offset < chunk.length; offset += DECODE_BYTES) {
        let decoded: Decoded;
        try {
          decoded = await decoder.decode(chunk.subarray(offset, offset + DECODE_BYTES));
        } catch (error) {
          throw undecodable(name, format, (error as Error).message);
        }
        const block = take(decoded);
        if (block) yield block;
      }
    }
    if (decoder.flush) {
      const block = take(
        await decoder
          .flush()
          .catch((error: Error) => ({ errors: [error], samplesDecoded: 0, channelData: [], sampleRate: 0 })),
      );
      if (block) yield block;
    }
  } finally {
    decoder.free();
    await reader.close();
  }
  if (frames === 0) throw undecodable(name, format, firstError ?? `no ${format} audio in its ${bytesIn} bytes`);
  const got = frames / rate;
  if (expectation.frames !== undefined && frames + (expectation.slack ?? 0) < expectation.frames)
    warn(truncatedWarning(name, got, expectation.frames / rate));
  else if ((format === 'Ogg Vorbis' || format === 'Opus') && !oggEndsWithLastPage(tail))
    warn(
      `${name}: the file is truncated: the Ogg stream stops without its last page after ${seconds(got)} (${bytesIn} bytes); the notes stop there`,
    );
  else if (firstError !== undefined && format !== 'MP3')
    warn(`${name}: parts of the ${format} stream could not be decoded (${firstError}); read ${seconds(got)}`);
}

function undecodable(name: string, format: string, reason: string): JamError {
  return new JamError(
    `${name}: the ${format} audio could not be decoded (${reason}); check that the file is whole, or convert it to WAV`,
  );
}

function keepTail(tail: Uint8Array, chunk: Uint8Array): Uint8Array {
  if (chunk.length >= TAIL_BYTES) return chunk.slice(chunk.length - TAIL_BYTES);
  const keep = Math.min(tail.length, TAIL_BYTES - chunk.length);
  const joined = new Uint8Array(keep + chunk.length);
  joined.set(tail.subarray(tail.length - keep));
  joined.set(chunk, keep);
  return joined;
}

/** Whether the last Ogg page in `tail` is whole and marks the end of its stream. */
export function oggEndsWithLastPage(tail: Uint8Array): boolean {
  for (let at = tail.length - 27; at >= 0; at--) {
    if (tail[at] !== 0x4f || fourCC(tail, at) !== 'OggS') continue;
    const segments = tail[at + 26];
    if (at + 27 + segments > tail.length) return false;
    let length = 27 + segments;
    for (let s = 0; s < segments; s++) length += tail[at + 27 + s];
    return at + length === tail.length && (tail[at + 5] & 0x04) !== 0;
  }
  return false;
}

/** FLAC's STREAMINFO: the stream's total samples (when the encoder knew it). */
function flacExpectation(head: Uint8Array): Expectation {
  if (head.length < 42 || fourCC(head, 0) !== 'fLaC' || (head[4] & 0x7f) !== 0) return {};
  const info = head.subarray(8);
  const rate = (info[10] << 12) | (info[11] << 4) | (info[12] >> 4);
  const total = (info[13] & 0x0f) * 2 ** 32 + new DataView(info.buffer, info.byteOffset + 14, 4).getUint32(0);
  if (total === 0 || rate === 0) return {};
  // @wasm-audio-decoders/flac drops a last frame shorter than the others: up to one block is not truncation.
  const maxBlock = (info[2] << 8) | info[3];
  return { frames: total, slack: maxBlock, estimatedSeconds: total / rate };
}

const MP3_BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MP3_RATES = [44100, 48000, 32000];

/** An MP3's length from its Xing/Info frame (LAME, ffmpeg), or else from its first frame's bit rate. */
function mp3Expectation(head: Uint8Array, size: number | undefined): Expectation {
  let at = 0;
  if (head.length >= 10 && head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33)
    at = 10 + ((head[6] & 0x7f) << 21) + ((head[7] & 0x7f) << 14) + ((head[8] & 0x7f) << 7) + (head[9] & 0x7f);
  while (at + 4 <= head.length && !(head[at] === 0xff && (head[at + 1] & 0xe6) === 0xe2)) at++;
  if (at + 4 > head.length) return {};
  const version = (head[at + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  const mpeg1 = version === 3;
  const rateIndex = (head[at + 2] >> 2) & 3;
  if (rateIndex === 3 || version === 1) return {};
  const rate = MP3_RATES[rateIndex] / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const samplesPerFrame = mpeg1 ? 1152 : 576;
  const mono = head[at + 3] >> 6 === 3;
  const sideInfo = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const tagAt = at + 4 + sideInfo;
  if (tagAt + 12 <= head.length) {
    const tag = fourCC(head, tagAt);
    const view = new DataView(head.buffer, head.byteOffset + tagAt, 12);
    if ((tag === 'Xing' || tag === 'Info') && view.getUint32(4) & 1) {
      const frames = view.getUint32(8) * samplesPerFrame;
      // The encoder's delay and padding (at most a few frames) are removed by gapless decoding.
      return { frames, slack: 3 * samplesPerFrame, estimatedSeconds: frames / rate };
    }
  }
  const kbps = (mpeg1 ? MP3_BITRATES_V1_L3 : MP3_BITRATES_V2_L3)[head[at + 2] >> 4];
  if (!kbps || size === undefined) return {};
  // A variable bit rate's first frame may be a quiet one: twice the length it suggests.
  return { estimatedSeconds: (2 * size * 8) / (kbps * 1000) };
}
