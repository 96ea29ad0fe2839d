/**
 * Memory does not grow with a recording's length: long generated signals (never committed), streamed through the
 * audio path as a WAV of unknown length (as a recorder writes to a pipe) and as an MP3 that ffmpeg encodes on the
 * fly. The hour, through the model, is in `npm run bench:memory`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.js';
import { openAudio } from '../../src/audio/decode.js';

const HAS_FFMPEG = spawnSync('ffmpeg', ['-version']).status === 0;
const MB = 1 << 20;

/** A 44.1 kHz stereo 16-bit WAV of `seconds` of a chord, its sizes left unknown, generated a block at a time. */
async function* generatedWav(seconds: number): AsyncGenerator<Uint8Array> {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(0xffffffff, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(44100, 24);
  header.writeUInt32LE(44100 * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(0xffffffff, 40);
  yield header;
  const frames = 44100;
  for (let second = 0; second < seconds; second++) {
    const block = new Int16Array(frames * 2);
    for (let i = 0; i < frames; i++) {
      const t = second + i / 44100;
      const value = 8000 * (Math.sin(2 * Math.PI * 261.6 * t) + Math.sin(2 * Math.PI * 329.6 * t));
      block[2 * i] = value;
      block[2 * i + 1] = value;
    }
    yield new Uint8Array(block.buffer);
  }
}

/**
 * Reads a stream to its end: the samples it gave, and how much higher RSS peaked in the second half of the stream
 * than in the first (memory that grew with the length would show there; garbage waiting for collection would not).
 */
async function drain(
  chunks: AsyncIterable<Float32Array> | Iterable<Float32Array>,
  expectedSamples: number,
): Promise<{ samples: number; growthMb: number }> {
  const peaks = [0, 0];
  let samples = 0;
  for await (const chunk of chunks) {
    samples += chunk.length;
    const half = samples < expectedSamples / 2 ? 0 : 1;
    peaks[half] = Math.max(peaks[half], process.memoryUsage().rss);
  }
  return { samples, growthMb: (peaks[1] - peaks[0]) / MB };
}

describe('a long recording streams in bounded memory', () => {
  it('10 minutes of 44.1 kHz stereo WAV of unknown length (106 MB): no growth from the first half to the second', async () => {
    const seconds = 10 * 60;
    const stream = await openAudio(generatedWav(seconds), 'long.wav', 22050);
    expect(stream.length).toBeUndefined();
    const { samples, growthMb } = await drain(stream.chunks, seconds * 22050);
    expect(samples).toBe(seconds * 22050);
    console.log(`10 min of WAV streamed: peak RSS ${growthMb.toFixed(0)} MB higher in the second half`);
    expect(growthMb).toBeLessThan(30);
  }, 60_000);

  it('10 minutes of MP3 encoded on the fly: no growth from the first half to the second', async () => {
    requireTool(HAS_FFMPEG, 'ffmpeg', 'ffmpeg');
    const seconds = 600;
    const ffmpeg = spawn(
      'ffmpeg',
      [
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=440:duration=${seconds}:sample_rate=44100`,
        '-ac',
        '2',
        '-c:a',
        'libmp3lame',
        '-b:a',
        '64k',
        '-f',
        'mp3',
        'pipe:1',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const stream = await openAudio(ffmpeg.stdout, 'long.mp3', 22050);
    const { samples, growthMb } = await drain(stream.chunks, seconds * 22050);
    expect(samples / 22050).toBeCloseTo(seconds, 0);
    console.log(`10 min of MP3 streamed: peak RSS ${growthMb.toFixed(0)} MB higher in the second half`);
    expect(growthMb).toBeLessThan(30);
    expect(stream.warnings).toEqual([]);
  }, 120_000);
});
