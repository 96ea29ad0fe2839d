import ToneMidi from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { midiNotes } from '../../src/midi/read.js';
import { readMidiFile } from '../../src/midi/smf.js';
import {
  bendValue,
  midiToBytes,
  notesSoundingAlone,
  notesToMidi,
  notesToMidiBytes,
  TRANSCRIPTION_PROGRAM,
} from '../../src/midi/write.js';
import type { NoteEvent } from '../../src/types.js';

const { Midi } = ToneMidi;
const reread = (notes: NoteEvent[], options = {}) => new Midi(notesToMidiBytes(notes, options));

describe('writing notes to a MIDI file', () => {
  const notes: NoteEvent[] = [
    { pitch: 60, start: 0, end: 0.5, velocity: 100 },
    { pitch: 64, start: 0.25, end: 1, velocity: 64 },
    { pitch: 67, start: 1.5, end: 2, velocity: 1, bends: [0, 0.5, 1] },
  ];

  it('round-trips pitches, times (to the tick) and exact integer velocities', () => {
    const back = midiNotes(midiToBytes(notesToMidi(notes)), 'test.mid');
    expect(back.map((note) => [note.pitch, note.velocity])).toEqual([
      [60, 100],
      [64, 64],
      [67, 1],
    ]);
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
    const many = Array.from({ length: 12 }, (_, i) => ({
      pitch: 50 + i,
      start: i * 0.1,
      end: i * 0.1 + 0.5,
      velocity: 80,
    }));
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

  it("reads back the same notes with jam's reader and @tonejs/midi, to the tick", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      pitch: 40 + (i % 30),
      start: i * 0.37,
      end: i * 0.37 + 0.1 + (i % 7) * 0.21,
      velocity: 1 + i * 3,
    }));
    const bytes = notesToMidiBytes(many, { tempo: 97 });
    const fromTone = new Midi(bytes).tracks[0].notes.map((note) => [
      note.midi,
      note.ticks,
      note.ticks + note.durationTicks,
      Math.round(note.velocity * 127),
    ]);
    const ticksOf = (seconds: number) => Math.round((seconds * 97 * 480) / 60);
    const fromJam = readMidiFile(bytes, 'many.mid').notes.map((note) => [
      note.pitch,
      ticksOf(note.start),
      ticksOf(note.end),
      note.velocity,
    ]);
    expect(fromJam).toEqual(fromTone);
    expect(fromTone.map(([pitch, start, , velocity]) => [pitch, start, velocity])).toEqual(
      many.map((note) => [note.pitch, ticksOf(note.start), note.velocity]),
    );
  });

  it('places notes more than an hour in', () => {
    const late: NoteEvent[] = [{ pitch: 60, start: 3700.25, end: 3701, velocity: 90, bends: [0, 1] }];
    const [note] = readMidiFile(notesToMidiBytes(late), 'late.mid').notes;
    expect(note.start).toBeCloseTo(3700.25, 2);
    expect(reread(late).tracks[0].pitchBends.map((bend) => bend.time)).toEqual([
      expect.closeTo(3700.25, 2),
      expect.closeTo(3700.625, 2),
      expect.closeTo(3701, 2),
    ]);
  });

  it('is the same file as @tonejs/midi writes from its object model', () => {
    const midi = notesToMidi(notes, { multiplePitchBends: true, tempo: 100 });
    expect(midiToBytes(midi)).toEqual(notesToMidiBytes(notes, { multiplePitchBends: true, tempo: 100 }));
  });

  it('keeps a repeated note that starts as the previous one ends as two notes', () => {
    const repeated: NoteEvent[] = [
      { pitch: 60, start: 0, end: 0.5, velocity: 80 },
      { pitch: 60, start: 0.5, end: 1, velocity: 90 },
    ];
    const back = readMidiFile(notesToMidiBytes(repeated), 'repeated.mid').notes;
    expect(back.map((note) => [note.start, note.end, note.velocity])).toEqual([
      [0, 0.5, 80],
      [0.5, 1, 90],
    ]);
  });

  it('keeps every note audible: velocities are clipped to 1-127', () => {
    const loud: NoteEvent[] = [
      { pitch: 60, start: 0, end: 1, velocity: 0 },
      { pitch: 62, start: 1, end: 2, velocity: 300 },
    ];
    expect(readMidiFile(notesToMidiBytes(loud), 'loud.mid').notes.map((note) => note.velocity)).toEqual([1, 127]);
  });

  it('writes a valid file with no notes', () => {
    const midi = reread([]);
    expect(midi.tracks.flatMap((track) => track.notes)).toEqual([]);
  });
});
