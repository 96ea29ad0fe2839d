/**
 * The bytes of an audio input, read as they are needed: a file a block at a time, standard input as it arrives,
 * or bytes already in memory. Nothing here holds more than a block or two, so inputs of any size (over 2 GiB
 * too) stream through.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { JamError } from '../errors.js';

/** Bytes asked of the file system at a time. */
const READ_BLOCK = 1 << 20;

export const SUPPORTED_FORMATS = 'WAV, AIFF, MP3, FLAC, Ogg Vorbis, Opus or M4A/AAC';

/** Pulls bytes from a stream of chunks, exactly as many as asked where a parser needs that. */
export class ByteReader {
  private pending: Uint8Array = new Uint8Array(0);
  private readonly iterator: AsyncIterator<Uint8Array>;
  private done = false;
  /** Bytes handed out (taken or skipped) so far. */
  consumed = 0;

  constructor(
    chunks: AsyncIterable<Uint8Array>,
    /** The whole input's size, when it is a file. */
    readonly size?: number,
  ) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  /** Reads until at least `count` bytes are pending or the input ends; whether there are that many. */
  async fill(count: number): Promise<boolean> {
    while (this.pending.length < count && !this.done) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const chunk = next.value;
      if (this.pending.length === 0) this.pending = chunk;
      else {
        const joined = new Uint8Array(this.pending.length + chunk.length);
        joined.set(this.pending);
        joined.set(chunk, this.pending.length);
        this.pending = joined;
      }
    }
    return this.pending.length >= count;
  }

  /** Up to `count` bytes without consuming them. */
  async peek(count: number): Promise<Uint8Array> {
    await this.fill(count);
    return this.pending.subarray(0, count);
  }

  /** Up to `count` bytes (fewer only at the end of the input). */
  async take(count: number): Promise<Uint8Array> {
    await this.fill(count);
    const out = this.pending.subarray(0, count);
    this.pending = this.pending.subarray(out.length);
    this.consumed += out.length;
    return out;
  }

  /** Discards up to `count` bytes; how many there were. */
  async skip(count: number): Promise<number> {
    let left = count;
    while (left > 0) {
      if (this.pending.length === 0 && !(await this.fill(1))) break;
      const step = Math.min(left, this.pending.length);
      this.pending = this.pending.subarray(step);
      left -= step;
      this.consumed += step;
    }
    return count - left;
  }

  /** Every byte not yet consumed, a chunk at a time. */
  async *rest(): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.pending.length === 0 && !(await this.fill(1))) return;
      const chunk = this.pending;
      this.pending = new Uint8Array(0);
      this.consumed += chunk.length;
      yield chunk;
    }
  }

  /** Stops reading (closes the file or lets go of the stream). */
  async close(): Promise<void> {
    this.done = true;
    await this.iterator.return?.();
  }
}

/** Where audio bytes come from: a path, `-` (standard input), bytes in memory or a stream of them (a Readable). */
export type AudioBytes = string | Uint8Array | AsyncIterable<Uint8Array>;

/** A file, `-` (standard input) or bytes in memory, opened for reading; errors name the input. */
export async function openBytes(input: AudioBytes): Promise<ByteReader> {
  if (input instanceof Uint8Array) return new ByteReader(memoryChunks(input), input.length);
  if (typeof input !== 'string') return new ByteReader(input);
  if (input === '-') return new ByteReader(stdinChunks());
  const size = await checkedFileSize(input);
  return new ByteReader(fileChunks(input), size);
}

async function* memoryChunks(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += READ_BLOCK) yield bytes.subarray(offset, offset + READ_BLOCK);
}

async function* fileChunks(file: string): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(file, { highWaterMark: READ_BLOCK });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw readError(file, error as NodeJS.ErrnoException);
  } finally {
    stream.destroy();
  }
}

async function* stdinChunks(): AsyncGenerator<Uint8Array> {
  if (process.stdin.isTTY)
    throw new JamError(`-: standard input is a terminal; pipe audio into jam (e.g. cat take.wav | jam transcribe -)`);
  let any = false;
  for await (const chunk of process.stdin) {
    any = true;
    yield chunk as Buffer;
  }
  if (!any) throw new JamError(`-: standard input was empty; pipe an audio file (${SUPPORTED_FORMATS}) into jam`);
}

function readError(file: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT') return new JamError(`${file}: no such file; check the path`);
  if (error.code === 'EACCES' || error.code === 'EPERM')
    return new JamError(`${file}: permission denied; check the file's permissions`);
  if (error.code === 'EISDIR')
    return new JamError(`${file}: is a directory; give an audio file (${SUPPORTED_FORMATS})`);
  if (error.code === 'EIO') return new JamError(`${file}: the disk could not read it (I/O error); copy it again`);
  return error;
}

/** The size of an audio file that exists and is not empty (pipes and devices give none); a JamError otherwise. */
export async function checkedFileSize(input: string): Promise<number | undefined> {
  const info = await stat(input).catch((error: NodeJS.ErrnoException) => {
    throw readError(input, error);
  });
  if (info.isDirectory()) throw new JamError(`${input}: is a directory; give an audio file (${SUPPORTED_FORMATS})`);
  if (!info.isFile()) return undefined;
  if (info.size === 0) throw new JamError(`${input}: the file is empty; give an audio file (${SUPPORTED_FORMATS})`);
  return info.size;
}
