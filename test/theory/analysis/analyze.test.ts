import { describe, expect, it } from 'vitest';
import { midiToBytes, notesToMidi } from '../../../src/midi/write.js';
import { analyzeNotes } from '../../../src/theory/analysis/analyze.js';
import { analyzeMidi } from '../../../src/app/analyze.js';
import { chordScores, keyScore } from '../../../src/theory/analysis/evaluate.js';
import { parseKey } from '../../../src/theory/analysis/key.js';
import { BAR_SECONDS, progression, TONICS, type Texture } from '../progression/progressions.js';

const MODES = ['major', 'minor'] as const;

describe('analysis of generated progressions in all 24 keys', () => {
  for (const texture of ['block', 'arpeggio'] as Texture[]) {
    for (const source of ['MIDI file', 'bare notes (beats estimated)'] as const) {
      it(`finds the key and at least 95% of the chords (majmin) of ${texture} progressions from ${source}`, () => {
        const misses: string[] = [];
        for (const tonic of TONICS) {
          for (const mode of MODES) {
            const piece = progression(tonic, mode, texture);
            const analysis =
              source === 'MIDI file'
                ? analyzeMidi(midiToBytes(notesToMidi(piece.notes, { tempo: 120 })), piece.key)
                : analyzeNotes(piece.notes);
            const majmin = chordScores(piece.labels, analysis.chords).majmin;
            if (!analysis.key || keyScore(parseKey(piece.key), analysis.key) < 1 || majmin < 0.95) {
              misses.push(
                `${piece.key}: key ${analysis.key?.name}, majmin ${majmin.toFixed(2)}, ${analysis.chords.map((chord) => chord.symbol).join(' ')}`,
              );
            }
          }
        }
        expect(misses).toEqual([]);
      });
    }
  }
});

describe('analyzeNotes', () => {
  it("follows a modulation up a whole step, and keeps the piece's key as the one it starts and ends in", () => {
    const home = progression('C', 'major', 'block');
    const lifted = progression('D', 'major', 'block');
    const shift = (notes: typeof home.notes, by: number) =>
      notes.map((note) => ({ ...note, start: note.start + by, end: note.end + by }));
    const notes = [
      ...home.notes,
      ...shift(home.notes, 16),
      ...shift(lifted.notes, 32),
      ...shift(lifted.notes, 48),
      ...shift(home.notes, 64),
    ];
    const analysis = analyzeNotes(notes, {
      grid: {
        beats: Array.from({ length: 160 }, (_, i) => i * 0.5),
        bars: Array.from({ length: 40 }, (_, i) => i * BAR_SECONDS),
        tempo: 120,
        meter: [4, 4],
        estimated: false,
      },
    });
    expect(analysis.key?.name).toBe('C major');
    expect(analysis.keyChanges.map(({ key, bar }) => `${key.name} from bar ${bar}`)).toEqual([
      'C major from bar 1',
      'D major from bar 17',
      'C major from bar 33',
    ]);
    const inD = analysis.chords.filter((chord) => chord.start >= 32 && chord.start < 64);
    expect(inD.every((chord) => chord.key === 'D major')).toBe(true);
    expect(inD.slice(0, 4).map((chord) => `${chord.symbol} ${chord.numeral}`)).toEqual(['D I', 'Bm vi', 'G IV', 'A V']);
  });

  it('gives an honest empty analysis of nothing: no key, one N over the length', () => {
    const silent = analyzeNotes([], { duration: 8 });
    expect(silent.key).toBeNull();
    expect(silent.keyChanges).toEqual([]);
    expect(silent.chords).toMatchObject([{ symbol: 'N', label: 'N', start: 0, end: 8, numeral: null, key: null }]);
    expect(analyzeNotes([]).chords).toEqual([]);
  });

  it('returns plain data that survives JSON', () => {
    const analysis = analyzeNotes(progression('A', 'minor', 'arpeggio').notes);
    expect(JSON.parse(JSON.stringify(analysis))).toEqual(analysis);
    expect(Object.keys(analysis).sort()).toEqual([
      'chords',
      'duration',
      'grid',
      'key',
      'keyChanges',
      'notes',
      'profile',
    ]);
    expect(Object.keys(analysis.chords[0]).sort()).toEqual([
      'bar',
      'bass',
      'beat',
      'end',
      'key',
      'label',
      'numeral',
      'quality',
      'role',
      'root',
      'start',
      'symbol',
    ]);
  });
});
