/**
 * Every format jam reads gives the notes the WAV gives: the chords fixture rendered once and encoded as AIFF, MP3,
 * Opus (Ogg and WebM) and M4A/AAC by the fixtures script, each transcribed and scored against the WAV's notes and
 * against the MIDI file it was rendered from. Also read from standard input's stand-in, a stream of bytes.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.js';
import { midiNotes } from '../../src/midi/read.js';
import { loadEngine } from '../../src/transcribe/engine.js';
import { scoreNotes } from '../../src/transcribe/score.js';
import { transcribe } from '../../src/transcribe/transcribe.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);
const HAS_FFMPEG = spawnSync('ffmpeg', ['-version']).status === 0;

describe('the chords fixture in every format: the WAV’s notes', async () => {
  const engine = await loadEngine();
  const wav = await transcribe(fixture('chords.wav'), { engine });
  const truth = midiNotes(readFileSync(fixture('chords.mid')), 'chords.mid');
  const cases = [
    { file: 'chords.aiff', minF1: 1, ffmpeg: false },
    { file: 'chords.mp3', minF1: 0.9, ffmpeg: false },
    { file: 'chords.opus', minF1: 0.85, ffmpeg: false },
    { file: 'chords.webm', minF1: 0.85, ffmpeg: true },
    { file: 'chords.m4a', minF1: 0.8, ffmpeg: true },
  ];
  for (const { file, minF1, ffmpeg } of cases) {
    it(`${file}: onset F1 ≥ ${minF1} against the WAV, ≥ 0.85 against the MIDI`, async () => {
      if (ffmpeg) requireTool(HAS_FFMPEG, 'ffmpeg', 'ffmpeg');
      const result = await transcribe(fixture(file), { engine });
      const againstWav = scoreNotes(wav.notes, result.notes);
      const againstMidi = scoreNotes(truth, result.notes);
      console.log(
        `${file}: ${result.notes.length} notes, F1 ${againstWav.f1.toFixed(3)} against the WAV, ${againstMidi.f1.toFixed(3)} against the MIDI`,
      );
      expect(againstWav.f1).toBeGreaterThanOrEqual(minF1);
      expect(againstMidi.f1).toBeGreaterThanOrEqual(0.85);
      expect(result.warnings).toEqual([]);
      expect(result.duration).toBeCloseTo(6.5, 1);
    });
  }

  it('reads each streamable format from a stream of bytes (as from standard input), with the same notes', async () => {
    for (const file of [
      'chords.wav',
      'chords.aiff',
      'chords.mp3',
      'chords.opus',
      'bass.flac',
      'bend.ogg',
      ...(HAS_FFMPEG ? ['chords.webm'] : []),
    ]) {
      const fromFile = await transcribe(fixture(file), { engine });
      const streamed = await transcribe(createReadStream(fixture(file), { highWaterMark: 4096 }), {
        engine,
        name: file,
      });
      expect(streamed.notes, file).toEqual(fromFile.notes);
    }
  });
});
