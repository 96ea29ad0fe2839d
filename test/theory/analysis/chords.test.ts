import { Chord, Note } from 'tonal';
import { describe, expect, it } from 'vitest';
import { analyzeNotes } from '../../../src/theory/analysis/analyze.js';
import { CHORD_VOCABULARY } from '../../../src/theory/chordVocabulary.js';
import type { BeatGrid } from '../../../src/theory/analysis/types.js';
import type { NoteEvent } from '../../../src/types.js';

/** 120 bpm, 4/4, beats every 0.5 s for `bars` bars. */
function grid(bars: number): BeatGrid {
  const beats = Array.from({ length: bars * 4 }, (_, i) => i * 0.5);
  return { beats, bars: beats.filter((_, i) => i % 4 === 0), tempo: 120, meter: [4, 4], estimated: false };
}

/**
 * A chord held from `start` to `end` as a pianist might voice it: its notes from tonal stacked up from the
 * root in octave 4, the root doubled an octave down, and `bass` (default the root) in octave 2.
 */
function held(symbol: string, start: number, end: number, bass?: string): NoteEvent[] {
  const chord = Chord.get(symbol);
  const root = Note.midi(`${chord.tonic}4`) as number;
  const pitches = [
    root - 12,
    ...chord.intervals.map((interval) => root + (Note.midi(Note.transpose('C0', interval)) as number) - 12),
  ];
  return [...pitches, Note.midi(`${bass ?? chord.tonic}2`) as number].map((pitch) => ({
    pitch,
    start,
    end,
    velocity: 80,
  }));
}

describe('chord recognition', () => {
  it('recognises every quality of the vocabulary, played as a held chord over its root', () => {
    for (const quality of CHORD_VOCABULARY) {
      const symbol = `C${quality.suffix}`;
      const [chord] = analyzeNotes(held(symbol, 0, 2), { grid: grid(1) }).chords;
      expect({ symbol: chord.symbol, label: chord.label, quality: chord.quality }).toEqual({
        symbol,
        label: `C:${quality.harte}`,
        quality: quality.name,
      });
      // The symbol reads back in tonal as the same chord.
      expect(Chord.get(chord.symbol).notes).toEqual(Chord.get(symbol).notes);
    }
  });

  it('names each bar by the notes it holds, not by the chord of the bars around it', () => {
    const block = (bar: number, pitches: number[]): NoteEvent[] =>
      pitches.map((pitch) => ({ pitch, start: bar * 2, end: bar * 2 + 2, velocity: 80 }));
    const notes = [
      ...block(0, [60, 64, 67, 69]), // C6
      ...block(1, [60, 64, 65, 69]), // C E F A: Fmaj7 over C, though C and E go on from the bar before
      ...block(2, [65, 71, 74]), // F B D: Bdim over F, not Fdim7 without its third
      ...block(3, [64, 67, 69, 72, 74]), // E G A C D: C6/9 over its third, not D9sus4 over its ninth
    ];
    expect(analyzeNotes(notes, { grid: grid(4) }).chords.map((chord) => chord.symbol)).toEqual([
      'C6',
      'Fmaj7/C',
      'Bdim/F',
      'C69/E',
    ]);
  });

  it('marks inversions with a slash bass, and Harte bass degrees', () => {
    const [first] = analyzeNotes(held('F', 0, 2, 'A'), { grid: grid(1) }).chords;
    expect(first).toMatchObject({ symbol: 'F/A', label: 'F:maj/3', bass: 'A', root: 'F' });
    const [second] = analyzeNotes(held('Emaj7', 0, 2, 'B'), { grid: grid(1) }).chords;
    expect(second).toMatchObject({ symbol: 'Emaj7/B', label: 'E:maj7/5' });
    const [third] = analyzeNotes(held('Am', 0, 2, 'C'), { grid: grid(1) }).chords;
    expect(third).toMatchObject({ symbol: 'Am/C', label: 'A:min/b3' });
  });

  it('does not let passing notes in the melody flip the chord', () => {
    const melody = [
      [72, 0],
      [74, 0.25],
      [76, 0.5],
      [77, 0.75],
      [79, 1],
      [81, 1.25],
      [83, 1.5],
      [84, 1.75],
    ].map(([pitch, start]) => ({ pitch, start, end: start + 0.25, velocity: 100 }));
    const { chords } = analyzeNotes([...held('C', 0, 2), ...melody, ...held('G', 2, 4)], { grid: grid(2) });
    expect(chords.map((chord) => chord.symbol)).toEqual(['C', 'G']);
  });

  it('says N where nothing sounds, and times the chords on the beats', () => {
    const { chords } = analyzeNotes([...held('Am', 0, 2), ...held('Dm', 4, 6)], { grid: grid(3) });
    expect(chords.map(({ symbol, start, end, bar, beat }) => ({ symbol, start, end, bar, beat }))).toEqual([
      { symbol: 'Am', start: 0, end: 2, bar: 1, beat: 1 },
      { symbol: 'N', start: 2, end: 4, bar: 2, beat: 1 },
      { symbol: 'Dm', start: 4, end: 6, bar: 3, beat: 1 },
    ]);
    expect(chords[1]).toMatchObject({ label: 'N', root: null, quality: null, numeral: null, role: null });
  });

  it('spells chords for the key: Bb, not A#, in F major', () => {
    const notes = [...held('F', 0, 2), ...held('Bb', 2, 4), ...held('C7', 4, 6), ...held('F', 6, 8)];
    const { chords, key } = analyzeNotes(notes, { grid: grid(4) });
    expect(key?.name).toBe('F major');
    expect(chords.map((chord) => `${chord.symbol} ${chord.numeral}`)).toEqual(['F I', 'Bb IV', 'C7 V7', 'F I']);
  });
});
