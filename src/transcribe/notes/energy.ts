/** The note posterior as energy that found notes use up: what remains, what a note takes with it, its mean. */
import { MAX_FREQ_IDX, N_FREQ_BINS_NOTES } from '../constants.js';

/**
 * The note posterior with the energy of found notes taken out. Energy is only ever taken out whole, so a
 * byte per cell saying so stands in for a copy of the posterior (a quarter of its size).
 */
export class RemainingEnergy {
  private readonly cleared: Uint8Array;

  constructor(private readonly note: Float32Array) {
    this.cleared = new Uint8Array(note.length);
  }

  at(cell: number): number {
    return this.cleared[cell] ? 0 : this.note[cell];
  }

  clear(cell: number): void {
    this.cleared[cell] = 1;
  }
}

/** A note uses up the energy of the semitones this close to it too: they are its leakage. */
const LEAKAGE_SEMITONES = 1;

/** Whether a note on note bin `noteBin` uses up the energy of `bin`. */
export function usesEnergyOf(noteBin: number, bin: number): boolean {
  return Math.abs(noteBin - bin) <= LEAKAGE_SEMITONES;
}

/** A note on `bin` at `frame` uses up that cell's energy and its leakage's. */
export function clearCell(remaining: RemainingEnergy, frame: number, bin: number): void {
  const row = frame * N_FREQ_BINS_NOTES;
  const last = Math.min(MAX_FREQ_IDX, bin + LEAKAGE_SEMITONES);
  for (let used = Math.max(0, bin - LEAKAGE_SEMITONES); used <= last; used++) remaining.clear(row + used);
}

/** A note's amplitude: the mean of the note posterior over its frames. */
export function meanOf(note: Float32Array, start: number, end: number, bin: number): number {
  let sum = 0;
  for (let t = start; t < end; t++) sum += note[t * N_FREQ_BINS_NOTES + bin];
  return sum / (end - start);
}
