/** The first pass of note creation: notes started at onset peaks, then the melodia trick for the rest. */
import { MIDI_OFFSET, N_FREQ_BINS_NOTES } from '../constants.js';
import { clearCell, meanOf, RemainingEnergy } from './energy.js';
import { longerThanMinimum, minNoteLengthFrames, type FrameNote, type ModelOutput } from './frames.js';
import { constrainFrequency } from './frequencyRange.js';
import { melodiaNotes } from './melodia.js';
import { inferredOnsetStrength, onsetPeaks } from './onsets.js';
import { noteSettings, type NoteCreationOptions } from './settings.js';

/** Posteriorgrams → notes in frames: onset-started notes first, then (melodia trick) what energy remains. */
export function outputToFrameNotes(output: ModelOutput, options: NoteCreationOptions = {}): FrameNote[] {
  const settings = noteSettings(options);
  const { frames } = output;
  // Copies only when the frequency range changes them: an hour of posteriorgrams is 100 MB each.
  const limited = settings.minFrequency !== undefined || settings.maxFrequency !== undefined;
  const note = limited ? output.note.slice() : output.note;
  const predicted = limited ? output.onset.slice() : output.onset;
  if (limited) constrainFrequency(note, predicted, settings.minFrequency, settings.maxFrequency);
  const onset = settings.inferOnsets
    ? inferredOnsetStrength(predicted, note, frames)
    : (t: number, f: number) => predicted[t * N_FREQ_BINS_NOTES + f];

  const minFrames = minNoteLengthFrames(settings.minNoteLengthMs);
  const remaining = new RemainingEnergy(note);
  const notes: FrameNote[] = [];
  for (const [startFrame, bin] of onsetPeaks(onset, frames, settings.onsetThreshold)) {
    const found = noteFromOnset(remaining, frames, startFrame, bin, settings.frameThreshold, settings.energyTolerance);
    if (found === null || !longerThanMinimum(startFrame, found, minFrames)) continue;
    clearNoteEnergy(remaining, startFrame, found, bin);
    notes.push({
      startFrame,
      endFrame: found,
      pitch: bin + MIDI_OFFSET,
      amplitude: meanOf(note, startFrame, found, bin),
    });
  }
  if (settings.melodiaTrick) {
    notes.push(...melodiaNotes(note, remaining, frames, settings.frameThreshold, settings.energyTolerance, minFrames));
  }
  return notes;
}

/**
 * Where a note starting at `startFrame` ends: the first frame after which the energy stays below the
 * threshold for `tolerance` frames. Null when the onset is at the very end.
 */
function noteFromOnset(
  remaining: RemainingEnergy,
  frames: number,
  startFrame: number,
  bin: number,
  threshold: number,
  tolerance: number,
): number | null {
  if (startFrame >= frames - 1) return null;
  const bins = N_FREQ_BINS_NOTES;
  let i = startFrame + 1;
  let below = 0;
  while (i < frames - 1 && below < tolerance) {
    below = remaining.at(i * bins + bin) < threshold ? below + 1 : 0;
    i++;
  }
  return i - below;
}

/** A found note's energy is used up, and its neighbouring semitones' too (they are its leakage). */
function clearNoteEnergy(remaining: RemainingEnergy, start: number, end: number, bin: number): void {
  for (let t = start; t < end; t++) clearCell(remaining, t, bin);
}
