import { describe, expect, it } from 'vitest';
import {
  CONTOUR_BIN_OF_NOTE_CENTRE,
  MIDI_OFFSET,
  N_FREQ_BINS_CONTOURS,
  N_FREQ_BINS_NOTES,
} from '../../../src/transcribe/constants.js';
import { bendPeaksOf } from '../../../src/transcribe/notes/bends.js';
import { frameToTime, minNoteLengthFrames, type ModelOutput } from '../../../src/transcribe/notes/frames.js';
import { outputToFrameNotes } from '../../../src/transcribe/notes/frameNotes.js';
import { outputToNotes } from '../../../src/transcribe/notes/noteCreation.js';
import { cellsNotesReach, noteReachOf } from '../../../src/transcribe/notes/noteReach.js';
import { inferredOnsets, onsetPeaks } from '../../../src/transcribe/notes/onsets.js';

/** A hand-made posteriorgram: `frames` frames of silence to paint notes into. */
function emptyOutput(frames: number): ModelOutput & { contour: Float32Array } {
  return {
    frames,
    note: new Float32Array(frames * N_FREQ_BINS_NOTES),
    onset: new Float32Array(frames * N_FREQ_BINS_NOTES),
    contour: new Float32Array(frames * N_FREQ_BINS_CONTOURS),
    bendPeaks: new Int8Array(frames * N_FREQ_BINS_NOTES),
  };
}

/** Reads the bends the painted contour implies, as inference does for each window. */
function withBendPeaks(output: ModelOutput & { contour: Float32Array }): ModelOutput {
  return { ...output, bendPeaks: bendPeaksOf(output.contour, output.frames) };
}

/** Paints a note: frame posterior `level` over [start, end), an onset peak at `start`, contour at its bin. */
function paintNote(
  output: ModelOutput & { contour: Float32Array },
  pitch: number,
  start: number,
  end: number,
  level = 0.8,
  onset = 0.9,
  bendBins = 0,
): void {
  const bin = pitch - MIDI_OFFSET;
  for (let t = start; t < end; t++) {
    output.note[t * N_FREQ_BINS_NOTES + bin] = level;
    output.contour[t * N_FREQ_BINS_CONTOURS + 3 * bin + CONTOUR_BIN_OF_NOTE_CENTRE + bendBins] = 0.9;
  }
  output.onset[start * N_FREQ_BINS_NOTES + bin] = onset;
}

const plain = { inferOnsets: false, melodiaTrick: false };

describe('note creation on hand-made posteriorgrams', () => {
  it('turns one painted note into one note with its pitch, frames and amplitude', () => {
    const output = emptyOutput(100);
    paintNote(output, 60, 10, 40);
    expect(outputToFrameNotes(output, plain)).toEqual([
      { startFrame: 10, endFrame: 40, pitch: 60, amplitude: expect.closeTo(0.8, 6) },
    ]);
  });

  it('finds a chord as three notes', () => {
    const output = emptyOutput(100);
    for (const pitch of [60, 64, 67]) paintNote(output, pitch, 20, 60);
    const pitches = outputToFrameNotes(output, plain)
      .map((note) => note.pitch)
      .sort();
    expect(pitches).toEqual([60, 64, 67]);
  });

  it('drops notes no longer than the minimum length (127.7 ms is 11 frames)', () => {
    expect(minNoteLengthFrames(127.7)).toBe(11);
    const output = emptyOutput(100);
    paintNote(output, 60, 10, 21); // 11 frames: dropped, as basic-pitch keeps only longer ones
    paintNote(output, 70, 30, 42); // 12 frames: kept
    expect(outputToFrameNotes(output, plain).map((note) => note.pitch)).toEqual([70]);
  });

  it('needs an onset above the onset threshold to start a note', () => {
    const output = emptyOutput(100);
    paintNote(output, 60, 10, 40, 0.8, 0.4);
    expect(outputToFrameNotes(output, plain)).toEqual([]);
    expect(outputToFrameNotes(output, { ...plain, onsetThreshold: 0.3 })).toHaveLength(1);
  });

  it('bridges dips shorter than the energy tolerance and ends the note at the last frame above threshold', () => {
    const output = emptyOutput(120);
    paintNote(output, 60, 10, 80);
    for (let t = 30; t < 35; t++) output.note[t * N_FREQ_BINS_NOTES + 60 - MIDI_OFFSET] = 0.1; // 5-frame dip
    expect(outputToFrameNotes(output, plain).map((note) => [note.startFrame, note.endFrame])).toEqual([[10, 80]]);
  });

  it('ends a note at a gap as long as the energy tolerance', () => {
    const output = emptyOutput(120);
    paintNote(output, 60, 10, 80);
    for (let t = 30; t < 45; t++) output.note[t * N_FREQ_BINS_NOTES + 60 - MIDI_OFFSET] = 0.1; // 15-frame gap
    expect(outputToFrameNotes(output, plain).map((note) => [note.startFrame, note.endFrame])).toEqual([[10, 30]]);
  });

  it('keeps only frequencies inside the minimum and maximum', () => {
    const output = emptyOutput(100);
    paintNote(output, 40, 10, 40);
    paintNote(output, 60, 10, 40);
    paintNote(output, 90, 10, 40);
    // 200 Hz ≈ MIDI 55.3, 1000 Hz ≈ MIDI 83.2
    const pitches = outputToFrameNotes(output, { ...plain, minFrequency: 200, maxFrequency: 1000 }).map(
      (note) => note.pitch,
    );
    expect(pitches).toEqual([60]);
  });

  it('infers onsets where the note posterior rises without a predicted onset', () => {
    const output = emptyOutput(100);
    paintNote(output, 60, 10, 40, 0.8, 0.9);
    paintNote(output, 64, 50, 80, 0.8, 0); // no predicted onset at all
    expect(
      outputToFrameNotes(output, { melodiaTrick: false })
        .map((note) => note.pitch)
        .sort(),
    ).toEqual([60, 64]);
    expect(outputToFrameNotes(output, plain).map((note) => note.pitch)).toEqual([60]);
  });

  it('inferred onsets are the predicted ones where the posterior never rises (silence divides by nothing)', () => {
    const output = emptyOutput(20);
    const result = inferredOnsets(output.onset, output.note, output.frames);
    expect(Array.from(result).every((value) => value === 0)).toBe(true);
  });

  it('finds onset peaks latest first, strict maxima only, never at the edges', () => {
    const frames = 6;
    const onset = new Float32Array(frames * N_FREQ_BINS_NOTES);
    const put = (t: number, bin: number, value: number) => (onset[t * N_FREQ_BINS_NOTES + bin] = value);
    put(0, 5, 0.9); // edge: not a peak
    put(2, 5, 0.9);
    put(3, 5, 0.9); // plateau: neither is a strict maximum
    put(2, 7, 0.8);
    put(4, 1, 0.7);
    put(4, 3, 0.6);
    expect(onsetPeaks((t, f) => onset[t * N_FREQ_BINS_NOTES + f], frames, 0.5)).toEqual([
      [4, 3],
      [4, 1],
      [2, 7],
    ]);
  });

  it('the melodia trick recovers a note that has energy but no onset', () => {
    const output = emptyOutput(100);
    const bin = 62 - MIDI_OFFSET;
    for (let t = 20; t < 60; t++) output.note[t * N_FREQ_BINS_NOTES + bin] = t === 40 ? 0.9 : 0.6;
    const notes = outputToFrameNotes(output, { inferOnsets: false });
    expect(notes).toEqual([{ startFrame: 20, endFrame: 59, pitch: 62, amplitude: expect.any(Number) }]);
    expect(outputToFrameNotes(output, plain)).toEqual([]);
  });

  it('does not turn an onset-started note into a second note through its neighbours', () => {
    const output = emptyOutput(100);
    paintNote(output, 60, 10, 50);
    for (let t = 10; t < 50; t++) output.note[t * N_FREQ_BINS_NOTES + 61 - MIDI_OFFSET] = 0.5; // leakage a semitone up
    expect(outputToFrameNotes(output, { inferOnsets: false }).map((note) => note.pitch)).toEqual([60]);
  });

  it('gives times, velocities and pitch bends from the contour', () => {
    const output = emptyOutput(100);
    paintNote(output, 69, 10, 40, 0.8, 0.9, 1); // contour one bin (a third of a semitone) sharp
    const [note] = outputToNotes(withBendPeaks(output), plain);
    expect(note.pitch).toBe(69);
    expect(note.start).toBeCloseTo(frameToTime(10), 9);
    expect(note.end).toBeCloseTo(frameToTime(40), 9);
    expect(note.velocity).toBe(Math.round(0.8 * 127));
    expect(note.bends).toHaveLength(30);
    expect(note.bends!.every((bend) => Math.abs(bend - 1 / 3) < 1e-9)).toBe(true);
    expect(outputToNotes(output, { ...plain, pitchBends: false })[0].bends).toBeUndefined();
  });

  it('measures bends only where notes can reach: within the energy tolerance before energy above the frame threshold', () => {
    const output = emptyOutput(40);
    const bin = 60 - MIDI_OFFSET;
    for (const t of [10, 20]) output.note[t * N_FREQ_BINS_NOTES + bin] = 0.5;
    output.note[30 * N_FREQ_BINS_NOTES + bin] = 0.2;
    const cells = cellsNotesReach(output.note, output.frames, 5, 25, { frameThreshold: 0.3, energyTolerance: 3 });
    const marked = Array.from({ length: 20 }, (_, i) => i + 5).filter((t) => cells[(t - 5) * N_FREQ_BINS_NOTES + bin]);
    expect(marked).toEqual([7, 8, 9, 10, 17, 18, 19, 20]);
    expect(cells.reduce((sum, cell) => sum + cell, 0)).toBe(marked.length);

    paintNote(output, 69, 10, 30, 0.8, 0.9, 1);
    const everywhere = bendPeaksOf(output.contour, output.frames);
    const reached = bendPeaksOf(
      output.contour,
      output.frames,
      cellsNotesReach(output.note, output.frames, 0, 40, noteReachOf({})!),
    );
    expect(outputToNotes({ ...output, bendPeaks: reached })).toEqual(
      outputToNotes({ ...output, bendPeaks: everywhere }),
    );
    expect(reached).not.toEqual(everywhere);
  });

  it('lets notes reach everywhere when one-frame notes are kept, and nowhere without pitch bends', () => {
    expect(noteReachOf({ minNoteLengthMs: 0 })).toBeUndefined();
    expect(noteReachOf({ frameThreshold: 0.4, energyTolerance: 5 })).toEqual({
      frameThreshold: 0.4,
      energyTolerance: 5,
    });
    const output = emptyOutput(20);
    output.note.fill(1);
    expect(cellsNotesReach(output.note, output.frames, 0, 20, noteReachOf({ pitchBends: false })!).includes(1)).toBe(
      false,
    );
  });

  it("maps frames to time with basic-pitch's per-window correction", () => {
    expect(frameToTime(0)).toBe(0);
    expect(frameToTime(86)).toBeCloseTo((86 * 256) / 22050, 12);
    // From frame 172 on, one window offset is taken off.
    expect(frameToTime(172)).toBeCloseTo((172 * 256) / 22050 - ((256 / 22050) * (172 - 43844 / 256) + 0.0018), 12);
  });

  it('handles a 3-minute posteriorgram full of notes', () => {
    const frames = 86 * 180;
    const output = emptyOutput(frames);
    // A busy texture: four voices changing every 20 frames, plus onset-less energy for the melodia trick.
    for (let start = 0; start + 20 < frames; start += 20) {
      for (let voice = 0; voice < 4; voice++)
        paintNote(output, 48 + (((start / 20) * 5 + voice * 7) % 36), start, start + 18, 0.7, voice < 3 ? 0.9 : 0);
    }
    const started = performance.now();
    const notes = outputToNotes(withBendPeaks(output));
    const seconds = (performance.now() - started) / 1000;
    expect(notes.length).toBeGreaterThan(2000);
    // Not a timing test: printed so a regression to quadratic time is visible in the log.
    console.log(`note creation on a 3-minute posteriorgram: ${notes.length} notes in ${seconds.toFixed(2)} s`);
  });
});
