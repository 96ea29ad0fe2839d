/**
 * The one audio path: every WAV layout jam reads itself (plain, extensible, RF64, any channel count), formats
 * sniffed from the bytes, lying headers refused in one line, truncated files read with a warning, damaged samples
 * silenced and counted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.js';
import { decodeAudio, openAudio } from '../../src/audio/decode.js';
import { resample } from '../../src/audio/resample.js';
import { sniff } from '../../src/audio/sniff.js';
import { encodeWav, WAV_FORMATS } from '../../src/audio/wav.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);
const HAS_FFMPEG = spawnSync('ffmpeg', ['-version']).status === 0;

async function collect(chunks: AsyncIterable<Float32Array> | Iterable<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const all = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((at, part) => (all.set(part, at), at + part.length), 0);
  return all;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let error = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) error = Math.max(error, Math.abs(a[i] - b[i]));
  return error;
}

/** A WAV's fmt chunk rewritten as WAVE_FORMAT_EXTENSIBLE (40 bytes) with the PCM or float sub-format. */
function extensible(wav: Buffer): Buffer {
  const tag = wav.readUInt16LE(20);
  const fmt = Buffer.alloc(48);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(40, 4);
  wav.copy(fmt, 8, 20, 36);
  fmt.writeUInt16LE(0xfffe, 8);
  fmt.writeUInt16LE(22, 24); // cbSize
  fmt.writeUInt16LE(wav.readUInt16LE(34), 26); // valid bits
  fmt.writeUInt32LE(0, 28); // channel mask
  fmt.writeUInt16LE(tag, 32); // sub-format GUID's first two bytes
  const dataAt = wav.indexOf('data');
  const rest = wav.subarray(dataAt);
  const out = Buffer.concat([wav.subarray(0, 12), fmt, rest]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

/** A WAV turned into RF64: sizes 0xFFFFFFFF in the RIFF and data headers, the real ones in a ds64 chunk. */
function rf64(wav: Buffer): Buffer {
  const dataAt = wav.indexOf('data');
  const dataSize = wav.readUInt32LE(dataAt + 4);
  const ds64 = Buffer.alloc(36);
  ds64.write('ds64', 0, 'ascii');
  ds64.writeUInt32LE(28, 4);
  ds64.writeUInt32LE(wav.length + 36 - 8, 8);
  ds64.writeUInt32LE(dataSize, 16);
  const out = Buffer.concat([wav.subarray(0, 12), ds64, wav.subarray(12)]);
  out.write('RF64', 0, 'ascii');
  out.writeUInt32LE(0xffffffff, 4);
  out.writeUInt32LE(0xffffffff, dataAt + 36 + 4);
  return out;
}

describe('WAV, read a block at a time', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'jam-decode-'));

  it('reads every plain sample format to the same mono 22 050 Hz signal as resampling it whole', async () => {
    const { samples } = await decodeAudio(readFileSync(fixture('scale.wav')), 'scale.wav', 44100);
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
      const stream = await openAudio(file, `${format}.wav`, 22050);
      expect(stream.length).toBe(expected.length);
      const streamed = await collect(stream.chunks);
      expect(streamed.length).toBe(expected.length);
      expect(maxDifference(streamed, expected), format).toBeLessThan(format === 'pcm8' ? 0.02 : 1e-4);
    }
  });

  it('reads WAVE_FORMAT_EXTENSIBLE and RF64 files as the plain WAV', async () => {
    const plain = readFileSync(fixture('chords.wav'));
    const reference = (await decodeAudio(plain, 'chords.wav', 22050)).samples;
    for (const [what, bytes] of [
      ['extensible', extensible(plain)],
      ['rf64', rf64(plain)],
      ['extensible float', extensible(encodeWav([new Float32Array(4410).fill(0.25)], 44100, 'float32'))],
    ] as const) {
      const decoded = await decodeAudio(bytes, what, 22050);
      if (what === 'extensible float') expect(decoded.samples[2000]).toBeCloseTo(0.25, 5);
      else expect(decoded.samples, what).toEqual(reference);
    }
  });

  it('reads any number of channels (27 and 300)', async () => {
    for (const channels of [27, 300]) {
      const data = Array.from({ length: channels }, (_, c) =>
        new Float32Array(4410).fill(c === 0 ? channels / 2 / channels : 0),
      );
      const decoded = await decodeAudio(encodeWav(data, 44100, 'pcm16'), `${channels}.wav`, 22050);
      expect(decoded.channels).toBe(channels);
      expect(decoded.samples[1000]).toBeCloseTo(0.5 / channels, 3);
    }
  });

  it('refuses implausible sample rates in one line naming the file', async () => {
    for (const rate of [0, 1, 999, 800_000]) {
      const wav = encodeWav([new Float32Array(100)], 44100);
      wav.writeUInt32LE(rate, 24);
      await expect(decodeAudio(wav, 'liar.wav', 22050)).rejects.toThrow(
        new RegExp(`^liar\\.wav: the WAV header says the sample rate is ${rate} Hz, which no recording has`),
      );
    }
  });

  it('reads a truncated WAV up to where it stops, with a warning naming how much was read', async () => {
    const whole = encodeWav([new Float32Array(44100).fill(0.1)], 44100);
    const file = path.join(folder, 'cut.wav');
    writeFileSync(file, whole.subarray(0, whole.length / 2));
    const decoded = await decodeAudio(file, 'cut.wav', 22050);
    expect(decoded.samples.length).toBeGreaterThan(11000);
    expect(decoded.warnings).toEqual([
      'cut.wav: the file is truncated: read 0.5 s of the 1.0 s its header promises (49%); the notes stop there',
    ]);
    // The same from a stream, whose size is not known up front.
    const streamed = await decodeAudio(Readable.from([whole.subarray(0, whole.length / 2)]), 'cut.wav', 22050);
    expect(streamed.warnings).toHaveLength(1);
  });

  it('refuses a WAV cut inside its header, and one with no data chunk', async () => {
    const wav = encodeWav([new Float32Array(100)], 44100);
    await expect(decodeAudio(wav.subarray(0, 20), 'head.wav', 22050)).rejects.toThrow(
      /^head\.wav: .*truncated in its header/,
    );
    await expect(decodeAudio(wav.subarray(0, 36), 'nodata.wav', 22050)).rejects.toThrow(
      /^nodata\.wav: .*no data chunk/,
    );
  });

  it('silences NaN, infinite and absurd samples and counts them in a warning, leaving the rest as it was', async () => {
    const wav = encodeWav([new Float32Array(44100).fill(0.25)], 22050, 'float32');
    // encodeWav clips; the damage is written into the bytes.
    const data = wav.indexOf('data') + 8;
    wav.writeFloatLE(NaN, data + 4 * 100);
    wav.writeFloatLE(Infinity, data + 4 * 200);
    wav.writeFloatLE(-1e30, data + 4 * 300);
    const decoded = await decodeAudio(wav, 'bad.wav', 22050);
    expect(decoded.samples[100]).toBe(0);
    expect(decoded.samples[300]).toBe(0);
    expect(decoded.samples[5000]).toBe(0.25);
    expect(decoded.samples.every(Number.isFinite)).toBe(true);
    expect(decoded.warnings).toEqual([
      expect.stringMatching(/^bad\.wav: 3 samples not a number, infinite or absurdly loud/),
    ]);
  });
});

describe('formats from the bytes, not the name', () => {
  it('sniffs every fixture', () => {
    const expected: Record<string, string> = {
      'chords.wav': 'WAV',
      'chords.aiff': 'AIFF',
      'chords.mp3': 'MP3',
      'bass.flac': 'FLAC',
      'bend.ogg': 'Ogg Vorbis',
      'chords.opus': 'Opus',
      'chords.m4a': 'M4A',
      'chords.webm': 'WebM',
    };
    for (const [name, format] of Object.entries(expected))
      expect(sniff(readFileSync(fixture(name)).subarray(0, 64)), name).toBe(format);
    expect(sniff(Buffer.from('These are not the samples you are looking for.'))).toBe('unknown');
  });

  it('reads an MP3 named .wav as the MP3 it is', async () => {
    const bytes = readFileSync(fixture('chords.mp3'));
    const named = await decodeAudio(bytes, 'chords.wav', 22050);
    const stream = await openAudio(bytes, 'chords.wav', 22050);
    expect(stream.format).toBe('MP3');
    expect(named.duration).toBeCloseTo(6.5, 1);
  });

  it('reads AIFF as the WAV it was made from', async () => {
    const wav = await decodeAudio(fixture('chords.wav'), 'chords.wav', 22050);
    const aiff = await decodeAudio(fixture('chords.aiff'), 'chords.aiff', 22050);
    expect(aiff.samples).toEqual(wav.samples);
    expect(aiff.channels).toBe(2);
  });
});

describe('inputs that must not take a batch down', () => {
  it('a 2 GiB file of zeros (truncate -s 2G): one line, without reading it', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'jam-large-'));
    const file = path.join(folder, 'x.wav');
    spawnSync('truncate', ['-s', '2G', file]);
    await expect(openAudio(file, 'x.wav', 22050)).rejects.toThrow(/^x\.wav: not an audio file jam can read/);
  });

  it('a WAV header promising 3 GB in a small file: read as far as it goes, with a warning', async () => {
    const wav = encodeWav([new Float32Array(4410).fill(0.1)], 44100);
    wav.writeUInt32LE(3e9, wav.indexOf('data') + 4);
    const decoded = await decodeAudio(wav, 'liar.wav', 22050);
    expect(decoded.samples.length).toBe(2205);
    expect(decoded.warnings).toEqual([
      expect.stringMatching(/^liar\.wav: the file is truncated: read 0\.1 s of the 34013\.6 s/),
    ]);
  });

  it('without ffmpeg, an M4A is one line naming the format and how to install ffmpeg', async () => {
    const saved = process.env.JAM_FFMPEG;
    process.env.JAM_FFMPEG = '/nonexistent/ffmpeg';
    try {
      await expect(decodeAudio(fixture('chords.m4a'), 'memo.m4a', 22050)).rejects.toThrow(
        /^memo\.m4a: M4A audio needs ffmpeg, which is not on the PATH; install ffmpeg \(apt install ffmpeg/,
      );
    } finally {
      if (saved === undefined) delete process.env.JAM_FFMPEG;
      else process.env.JAM_FFMPEG = saved;
    }
  });
});

describe('truncated compressed files: what was read, with a warning', () => {
  const cases: Array<[string, RegExp]> = [
    ['chords.mp3', /chords\.mp3: the file is truncated: read \d\.\d s of the 6\.\d s its header promises/],
    ['bass.flac', /bass\.flac: the file is truncated: read \d\.\d s of the 5\.\d s its header promises/],
    ['bend.ogg', /bend\.ogg: the file is truncated: the Ogg stream stops without its last page after \d\.\d s/],
    ['chords.opus', /chords\.opus: the file is truncated: the Ogg stream stops without its last page after \d\.\d s/],
  ];
  for (const [name, warning] of cases)
    it(name, async () => {
      const bytes = readFileSync(fixture(name));
      const decoded = await decodeAudio(bytes.subarray(0, Math.floor(bytes.length / 2)), name, 22050);
      expect(decoded.duration).toBeGreaterThan(1.5);
      expect(decoded.warnings).toEqual([expect.stringMatching(warning)]);
      const whole = await decodeAudio(bytes, name, 22050);
      expect(whole.warnings).toEqual([]);
    });

  it('chords.m4a (through ffmpeg)', async () => {
    requireTool(HAS_FFMPEG, 'ffmpeg', 'ffmpeg');
    const bytes = readFileSync(fixture('chords.m4a'));
    const folder = mkdtempSync(path.join(tmpdir(), 'jam-m4a-'));
    // Index first, so the first half still has it.
    const fast = path.join(folder, 'fast.m4a');
    spawnSync('ffmpeg', [
      '-loglevel',
      'error',
      '-i',
      fixture('chords.m4a'),
      '-c',
      'copy',
      '-movflags',
      '+faststart',
      fast,
    ]);
    const cut = path.join(folder, 'cut.m4a');
    writeFileSync(cut, readFileSync(fast).subarray(0, Math.floor(bytes.length / 2)));
    const decoded = await decodeAudio(cut, 'cut.m4a', 22050);
    expect(decoded.warnings).toEqual([
      expect.stringMatching(/cut\.m4a: the file is truncated: read \d\.\d s of the 6\.\d s/),
    ]);
  });

  it('refuses garbage after a valid signature in one line', async () => {
    const bytes = Buffer.alloc(20000, 0x55);
    bytes.write('fLaC', 0, 'ascii');
    await expect(decodeAudio(bytes, 'junk.flac', 22050)).rejects.toThrow(
      /^junk\.flac: the FLAC audio could not be decoded/,
    );
  });
});
