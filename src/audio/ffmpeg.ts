/**
 * Formats no npm decoder covers (AAC and ALAC in MP4/M4A, Opus in WebM/Matroska, ADTS AAC, CAF, WAV codecs such as
 * ADPCM) go through the system's ffmpeg, as librosa's audioread does: ffmpeg writes 32-bit float WAV to a pipe at
 * the source's rate and channels, and jam's own WAV reader streams it from there.
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { JamError } from '../errors.js';
import { ByteReader } from './bytes.js';
import { seconds, type DecodedStream, type DecoderInput, type MonoBlock } from './format.js';
import { decodeWav } from './wavDecoder.js';

/** Keeps the end of ffmpeg's messages, for an error and the stream's duration. */
const STDERR_KEPT = 1 << 14;

export const FFMPEG_INSTALL =
  'install ffmpeg (apt install ffmpeg, brew install ffmpeg, or ffmpeg.org) or convert it to WAV';

export async function decodeWithFfmpeg(
  format: string,
  { name, reader, path, warn }: DecoderInput,
): Promise<DecodedStream> {
  const fromFile = path !== undefined;
  const child = spawn(
    process.env.JAM_FFMPEG ?? 'ffmpeg',
    [
      '-hide_banner',
      '-nostats',
      '-nostdin',
      '-i',
      fromFile ? path : 'pipe:0',
      '-vn',
      '-map',
      '0:a:0',
      '-c:a',
      'pcm_f32le',
      '-f',
      'wav',
      'pipe:1',
    ],
    { stdio: [fromFile ? 'ignore' : 'pipe', 'pipe', 'pipe'] },
  );
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new JamError(`${name}: ${format} audio needs ffmpeg, which is not on the PATH; ${FFMPEG_INSTALL}`)
          : error,
      ),
    );
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEPT);
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  await spawned;
  if (fromFile) await reader.close();
  else feed(reader, child.stdin!);
  const output = new ByteReader(Readable.from(child.stdout!) as AsyncIterable<Uint8Array>);
  const failed = async (): Promise<JamError> => {
    await exited;
    const reason = lastLine(stderr) ?? 'no audio came out';
    if (!fromFile && format === 'M4A' && /moov atom not found|Output file is empty/.test(stderr))
      return new JamError(
        `${name}: this M4A keeps its index at its end, so it cannot be read from standard input; give the file's path, or remux it with ffmpeg -i in.m4a -c copy -movflags +faststart out.m4a`,
      );
    return new JamError(
      `${name}: ffmpeg could not decode the ${format} audio (${reason}); check that the file is whole`,
    );
  };
  let wav: DecodedStream;
  try {
    if ((await output.peek(12)).length < 12) throw await failed();
    wav = await decodeWav({ name, reader: output, warn }, async () => {
      throw await failed();
    });
  } catch (error) {
    child.kill();
    throw error instanceof JamError && error.message.includes('ffmpeg') ? error : await failed();
  }
  // ffmpeg's formats at 96 kbit/s or more: the model's outputs are sized for that, and grow if it was wrong.
  const estimatedSeconds = reader.size === undefined ? undefined : reader.size / 12_000;
  return { format, channels: wav.channels, estimatedSeconds, blocks: checked(wav.blocks) };

  async function* checked(blocks: AsyncIterable<MonoBlock>): AsyncGenerator<MonoBlock> {
    let read = 0;
    try {
      for await (const block of blocks) {
        read += block.samples.length / block.sampleRate;
        yield block;
      }
    } finally {
      child.kill();
    }
    const code = await exited;
    const duration = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(stderr);
    const promised = duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : undefined;
    if (read === 0) throw await failed();
    if (promised !== undefined && read < promised - 0.5)
      warn(
        `${name}: the file is truncated: read ${seconds(read)} of the ${seconds(promised)} its header promises (${Math.floor((100 * read) / promised)}%); the notes stop there`,
      );
    else if (code !== 0 && code !== null)
      warn(`${name}: ffmpeg stopped early (${lastLine(stderr) ?? `exit ${code}`}); read ${seconds(read)}`);
  }
}

function lastLine(text: string): string | undefined {
  const lines = text
    .split(/[\r\n]+/)
    .filter((line) => line.trim() && !/^(\s|Input #|Output #|Stream mapping|Press )/.test(line));
  return lines.at(-1)?.trim().slice(0, 200);
}

/** Copies the input into ffmpeg's standard input, waiting when the pipe is full; ffmpeg may stop reading early. */
function feed(reader: ByteReader, stdin: NodeJS.WritableStream): void {
  stdin.on('error', () => undefined);
  void (async () => {
    try {
      for await (const chunk of reader.rest()) {
        if (stdin.writable === false) break;
        if (!stdin.write(chunk))
          await new Promise((resolve) => {
            stdin.once('drain', resolve);
            stdin.once('close', resolve);
          });
      }
    } catch {
      // The reader's own error ends the stream; ffmpeg then reports a truncated input.
    } finally {
      stdin.end();
    }
  })();
}
