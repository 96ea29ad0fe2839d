/**
 * Live sources of 22 050 Hz mono audio: raw PCM from a stream (standard input) and audio files, fed as fast as the
 * transcriber takes them or at the pace they would play. Every source ends quietly when its signal aborts.
 */
import type { Readable } from 'node:stream';
import { addAbortSignal } from 'node:stream';
import { openAudio } from '../audio/decode.js';
import { sanitizedWarning } from '../audio/downmix.js';
import { JamError } from '../errors.js';
import { AUDIO_SAMPLE_RATE } from '../transcribe/constants.js';
import { systemClock, type Clock } from '../clock.js';
import { PcmDecoder, type PcmLayout } from './pcm.js';
import type { LiveSource } from './pipeline.js';

/** About 12 ms: a file played in real time arrives in chunks as small as a sound card's. */
export const REALTIME_CHUNK_SAMPLES = 256;
/** A second: without real-time pacing, larger chunks cost fewer calls. */
const FAST_CHUNK_SAMPLES = AUDIO_SAMPLE_RATE;

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted && (error as Error)?.name === 'AbortError';
}

/** Raw interleaved PCM from `stream` (e.g. process.stdin), downmixed and resampled. */
export function pcmSource(
  stream: Readable,
  layout: PcmLayout,
  name = 'standard input',
  onWarning: (message: string) => void = () => undefined,
): LiveSource {
  if ((stream as Readable & { isTTY?: boolean }).isTTY) {
    throw new JamError(
      `${name} is a terminal; pipe raw PCM into jam, e.g. sox take.wav -t raw -e float -b 32 -c 1 -r 48000 - | jam live --stdin --rate 48000 --to 0`,
    );
  }
  return {
    name,
    async *chunks(signal) {
      const decoder = new PcmDecoder(layout, AUDIO_SAMPLE_RATE);
      try {
        for await (const bytes of addAbortSignal(signal, stream)) {
          const samples = decoder.push(bytes as Uint8Array);
          if (samples.length > 0) yield samples;
        }
      } catch (error) {
        if (!isAbort(error, signal)) throw error;
      }
      const tail = decoder.end();
      if (tail.length > 0) yield tail;
      if (decoder.damaged > 0) onWarning(sanitizedWarning(name, decoder.damaged));
    },
  };
}

export interface FileSourceOptions {
  /** Feed the audio at the pace it plays, on a schedule against `clock`, instead of as fast as it is taken. */
  realtime?: boolean;
  clock?: Clock;
  /** Samples per chunk; small in real time, so the latency is the transcriber's and not the feeding's. */
  chunkSamples?: number;
  /** Hears what reading the file found that is not an error (a truncated file, damaged samples). */
  onWarning?: (message: string) => void;
}

/**
 * An audio file as a live source, opened (and checked) at once. In real time, chunk k is handed over when its last
 * sample would have been played, measured from the start against the clock, so the pace never drifts however late
 * a timer fires.
 */
export async function openFileSource(
  file: string,
  { realtime = false, clock = systemClock, chunkSamples, onWarning }: FileSourceOptions = {},
): Promise<LiveSource> {
  const size = chunkSamples ?? (realtime ? REALTIME_CHUNK_SAMPLES : FAST_CHUNK_SAMPLES);
  const audio = await openAudio(file, file, AUDIO_SAMPLE_RATE, { onWarning });
  return {
    name: file,
    async *chunks(signal) {
      const started = clock.now();
      let fed = 0;
      for await (const chunk of rechunked(audio.chunks, size)) {
        fed += chunk.length;
        if (realtime) {
          try {
            await clock.sleepUntil(started + (fed / AUDIO_SAMPLE_RATE) * 1000, signal);
          } catch (error) {
            if (isAbort(error, signal)) return;
            throw error;
          }
        }
        if (signal.aborted) return;
        yield chunk;
      }
    },
  };
}

/** The decoder's blocks as chunks of `size` samples (the last one shorter). */
async function* rechunked(
  blocks: AsyncIterable<Float32Array> | Iterable<Float32Array>,
  size: number,
): AsyncGenerator<Float32Array> {
  let pending = new Float32Array(0);
  for await (const block of blocks) {
    let offset = 0;
    if (pending.length > 0) {
      const joined = new Float32Array(Math.min(size, pending.length + block.length));
      joined.set(pending);
      offset = joined.length - pending.length;
      joined.set(block.subarray(0, offset), pending.length);
      pending = joined;
      if (pending.length < size) continue;
      yield pending;
      pending = new Float32Array(0);
    }
    for (; offset + size <= block.length; offset += size) yield block.subarray(offset, offset + size);
    pending = block.slice(offset);
  }
  if (pending.length > 0) yield pending;
}
