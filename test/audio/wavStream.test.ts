import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio, openAudio } from '../../src/audio/decode.js';
import { resample } from '../../src/audio/resample.js';
import { encodeWav, WAV_FORMATS } from '../../src/audio/wav.js';
import { readHead, wavChunks, wavLayout } from '../../src/audio/wavStream.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

async function collect(chunks: AsyncIterable<Float32Array> | Iterable<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const all = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((at, part) => (all.set(part, at), at + part.length), 0);
  return all;
}

describe('streaming WAV files from disk', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'jam-wavstream-'));

  it('reads every plain sample format to the same mono 22 050 Hz signal as resampling it whole', async () => {
    const { samples } = await decodeAudio(readFileSync(path.join(FIXTURES, 'scale.wav')), 'scale.wav', 44100);
    const left = samples.subarray(0, 44100 * 2);
    const right = left.map((value) => value * 0.5);
    const expected = resample(
      left.map((value, i) => (value + right[i]) / 2),
      44100,
      22050,
    );
    for (const format of WAV_FORMATS) {
      const file = path.join(folder, `${format}.wav`);
      writeFileSync(file, encodeWav([left, right], 44100, format));
      const layout = wavLayout(await readHead(file), readFileSync(file).length)!;
      expect(layout).toMatchObject({ channels: 2, sampleRate: 44100, frames: left.length });
      const streamed = await collect(wavChunks(file, layout, 22050));
      expect(streamed.length).toBe(expected.length);
      let error = 0;
      for (let i = 0; i < expected.length; i++) error = Math.max(error, Math.abs(streamed[i] - expected[i]));
      expect(error, format).toBeLessThan(format === 'pcm8' ? 0.02 : 1e-4);
    }
  });

  it('opens long WAV files as a stream whose length is known up front', async () => {
    const file = path.join(folder, 'scale.wav');
    writeFileSync(file, readFileSync(path.join(FIXTURES, 'scale.wav')));
    const stream = await openAudio(file, 'scale.wav', 22050, 0);
    expect(Array.isArray(stream.chunks)).toBe(false);
    expect((await collect(stream.chunks)).length).toBe(stream.length);
  });

  it('leaves other codecs to the general decoder', async () => {
    const head = readFileSync(path.join(FIXTURES, 'chords.mp3')).subarray(0, 4096);
    expect(wavLayout(head, 100_000)).toBeNull();
  });

  it('refuses a truncated long WAV before reading it', async () => {
    const file = path.join(folder, 'cut.wav');
    const whole = encodeWav([new Float32Array(44100)], 44100);
    writeFileSync(file, whole.subarray(0, whole.length / 2));
    await expect(openAudio(file, 'cut.wav', 22050, 0)).rejects.toThrow(/cut\.wav: the file is truncated/);
  });
});
