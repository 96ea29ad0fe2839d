import ToneMidi from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { beatGridFromMidi, estimateBeatGrid } from '../../../src/theory/analysis/beats.js';
import type { NoteEvent } from '../../../src/types.js';

const { Midi } = ToneMidi;

/** A MIDI file with no notes and the given tempo changes ([quarter-note beat, bpm]) and time signatures ([beat, n, d]). */
function midiWith(tempos: Array<[number, number]>, meters: Array<[number, number, number]>) {
  const midi = new Midi();
  midi.header.tempos = tempos.map(([beat, bpm]) => ({ ticks: beat * midi.header.ppq, bpm }));
  midi.header.timeSignatures = meters.map(([beat, n, d]) => ({ ticks: beat * midi.header.ppq, timeSignature: [n, d] }));
  midi.header.update();
  return midi;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('beatGridFromMidi', () => {
  it('follows tempo changes and time signatures, and counts bars from them', () => {
    // 4/4 at 120 bpm for one bar, then 60 bpm, then 3/4 from beat 8.
    const grid = beatGridFromMidi(
      midiWith(
        [
          [0, 120],
          [4, 60],
        ],
        [
          [0, 4, 4],
          [8, 3, 4],
        ],
      ).header,
      13,
    )!;
    expect(grid.beats).toEqual([0, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(grid.bars).toEqual([0, 2, 6, 9, 12]);
    expect(grid).toMatchObject({ tempo: 120, meter: [4, 4], estimated: false });
  });

  it('beats compound time in dotted quarters, and reads a missing time signature as 4/4', () => {
    const sixEight = beatGridFromMidi(midiWith([[0, 120]], [[0, 6, 8]]).header, 3)!;
    expect(sixEight.beats).toEqual([0, 0.75, 1.5, 2.25]);
    expect(sixEight.bars).toEqual([0, 1.5]);
    const plain = beatGridFromMidi(midiWith([[0, 90]], []).header, 2.5)!;
    expect(plain.bars).toEqual([0]);
    expect(plain.beats.length).toBe(4);
    expect(plain.meter).toEqual([4, 4]);
  });

  it('gives up on a tempo map no music has (a beat every microsecond)', () => {
    expect(beatGridFromMidi(midiWith([[0, 60_000_000]], []).header, 10)).toBeNull();
  });
});

describe('estimateBeatGrid', () => {
  it('finds the tempo, the beats and the downbeats of played notes', () => {
    const random = seeded(5);
    const beat = 60 / 96;
    const notes: NoteEvent[] = [];
    // A pickup of one beat, then bars of a chord on 1, a bass note on every beat and eighth notes on top.
    const chords = [
      [60, 64, 67],
      [57, 60, 64],
      [65, 69, 72],
      [67, 71, 74],
    ];
    for (let i = 0; i < 64; i++) {
      const time = (i + 1) * beat + (random() - 0.5) * 0.02;
      const chord = chords[Math.floor(i / 4) % 4];
      if (i % 4 === 0)
        for (const pitch of chord) notes.push({ pitch, start: time, end: time + 4 * beat, velocity: 70 });
      notes.push({ pitch: chord[0] - 24, start: time, end: time + beat * 0.9, velocity: 90 });
      notes.push({ pitch: chord[i % 3] + 12, start: time + beat / 2, end: time + beat, velocity: 60 });
    }
    notes.push({ pitch: 72, start: 0.05, end: beat, velocity: 80 });
    notes.sort((a, b) => a.start - b.start);
    const grid = estimateBeatGrid(notes, 65 * beat);
    expect(grid.estimated).toBe(true);
    expect(Math.abs(grid.tempo - 96) / 96).toBeLessThan(0.02);
    for (let i = 1; i <= 60; i++) {
      const nearest = grid.beats.reduce((best, time) =>
        Math.abs(time - i * beat) < Math.abs(best - i * beat) ? time : best,
      );
      expect(Math.abs(nearest - i * beat)).toBeLessThan(0.04);
    }
    // Bars start with the chords, after the pickup.
    for (const bar of grid.bars.filter((time) => time > beat / 2 && time < 60 * beat)) {
      expect(Math.round(bar / beat - 1) % 4).toBe(0);
    }
  });

  it('falls back to a steady 120 bpm from 0 when a few notes cannot show a tempo', () => {
    const grid = estimateBeatGrid([{ pitch: 60, start: 0.3, end: 2, velocity: 80 }], 2);
    expect(grid).toMatchObject({ beats: [0, 0.5, 1, 1.5], bars: [0], tempo: 120, estimated: true });
  });
});
