/** Keeping notes within a frequency range, by silencing the note bins outside it. */
import { MIDI_OFFSET, N_FREQ_BINS_NOTES } from '../constants.js';

/** Zeroes onsets and frames outside [minFrequency, maxFrequency], rounding to the nearest note bin. */
export function constrainFrequency(
  note: Float32Array,
  onset: Float32Array,
  minFrequency?: number,
  maxFrequency?: number,
): void {
  const bins = N_FREQ_BINS_NOTES;
  const low = minFrequency === undefined ? 0 : Math.max(0, Math.round(hzToMidi(minFrequency) - MIDI_OFFSET));
  const high =
    maxFrequency === undefined ? bins : Math.min(bins, Math.max(0, Math.round(hzToMidi(maxFrequency) - MIDI_OFFSET)));
  if (low === 0 && high === bins) return;
  const frames = note.length / bins;
  for (let t = 0; t < frames; t++) {
    for (let f = 0; f < bins; f++) {
      if (f < low || f >= high) {
        note[t * bins + f] = 0;
        onset[t * bins + f] = 0;
      }
    }
  }
}

function hzToMidi(hz: number): number {
  return 12 * Math.log2(hz / 440) + 69;
}
