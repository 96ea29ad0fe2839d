import ToneMidi from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { midiNotes } from '../../src/midi/read.js';
import { bendValue, midiToBytes, notesSoundingAlone, notesToMidi, TRANSCRIPTION_PROGRAM } from '../../src/midi/write.js';
import type { NoteEvent } from '../../src/types.js';

const { Midi } = ToneMidi;
const reread = (notes: NoteEvent[], options = {}) => new Midi(midiToBytes(notesToMidi(notes, options)));

describe('writing notes to a MIDI file', () => {
  const notes: NoteEvent[] = [
    { pitch: 60, start: 0, end: 0.5, velocity: 100 },
    { pitch: 64, start: 0.25, end: 1, velocity: 64 },
    { pitch: 67, start: 1.5, end: 2, velocity: 1, bends: [0, 0.5, 1] },
  ];

  it('round-trips pitches, times (to the tick) and exact integer velocities', () => {
    const back = midiNotes(midiToBytes(notesToMidi(notes)), 'test.mid');
    expect(back.map((note) => [note.pitch, note.velocity])).toEqual([[60, 100], [64, 64], [67, 1]]);
    back.forEach((note, i) => {
      expect(note.start).toBeCloseTo(notes[i].start, 2);
      expect(note.end).toBeCloseTo(notes[i].end, 2);
    });
  });

  it('writes the tempo and an Electric Piano track, as basic-pitch does', () => {
    const midi = reread(notes, { tempo: 90 });
    // The file stores whole microseconds per beat.
    expect(midi.header.tempos[0].bpm).toBeCloseTo(90, 3);
    expect(midi.tracks).toHaveLength(1);
    expect(midi.tracks[0].instrument.number).toBe(TRANSCRIPTION_PROGRAM);
    // Times stay in seconds whatever the tempo.
    expect(midi.tracks[0].notes[2].time).toBeCloseTo(1.5, 2);
  });

  it('writes the bends of a note that sounds alone, then recentres', () => {
    const bends = reread(notes).tracks[0].pitchBends;
    // @tonejs/midi reads bends back as a fraction of the ±2 semitone range.
    expect(bends.map((bend) => bend.value * 2)).toEqual([0, expect.closeTo(0.5, 3), expect.closeTo(1, 3), 0]);
    expect(bends[0].time).toBeCloseTo(1.5, 2);
    expect(bends[3].time).toBeCloseTo(2, 2);
  });

  it('drops the bends of overlapping notes on one channel, keeps them with multiple pitch bends', () => {
    const overlapping: NoteEvent[] = [
      { pitch: 60, start: 0, end: 1, velocity: 90, bends: [0.5, 0.5] },
      { pitch: 64, start: 0.5, end: 1.5, velocity: 90, bends: [-0.5, -0.5] },
    ];
    expect(reread(overlapping).tracks[0].pitchBends).toEqual([]);
    const split = reread(overlapping, { multiplePitchBends: true });
    expect(split.tracks.map((track) => track.channel)).toEqual([0, 1]);
    // A steady bend is one event, then the reset.
    expect(split.tracks.map((track) => track.pitchBends.length)).toEqual([2, 2]);
  });

  it('gives each pitch its own channel, skipping the drum channel', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ pitch: 50 + i, start: i * 0.1, end: i * 0.1 + 0.5, velocity: 80 }));
    const channels = reread(many, { multiplePitchBends: true }).tracks.map((track) => track.channel);
    expect(channels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]);
  });

  it('finds which notes sound alone', () => {
    const sorted: NoteEvent[] = [
      { pitch: 60, start: 0, end: 1, velocity: 1 },
      { pitch: 62, start: 0.9, end: 1.2, velocity: 1 },
      { pitch: 64, start: 2, end: 3, velocity: 1 },
    ];
    expect(notesSoundingAlone(sorted)).toEqual([false, false, true]);
  });

  it('clips bends to the ±2 semitone range', () => {
    expect(bendValue(0)).toBe(0);
    expect(bendValue(1)).toBe(4096);
    expect(bendValue(5)).toBe(8191);
    expect(bendValue(-5)).toBe(-8192);
  });

  it('writes a valid file with no notes', () => {
    const midi = reread([]);
    expect(midi.tracks.flatMap((track) => track.notes)).toEqual([]);
  });
});
