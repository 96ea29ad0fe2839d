/** Placeholder: written by scripts/fit-key-model.js. */
export interface ModeTables {
  prior: number;
  /** [step of the root above the tonic][0 major, 1 minor, 2 other]: share of the chord time. */
  chords: number[][];
  first: number[][];
  last: number[][];
  /** Share of the note weight on each step above the tonic. */
  notes: number[];
}
export interface KeyModel {
  major: ModeTables;
  minor: ModeTables;
  weights: { chords: number; ends: number; notes: number };
}
const flat = () => Array.from({ length: 12 }, () => [1 / 36, 1 / 36, 1 / 36]);
const mode = (prior: number): ModeTables => ({ prior, chords: flat(), first: flat(), last: flat(), notes: Array(12).fill(1 / 12) });
export const KEY_MODEL: KeyModel = { major: mode(0.7), minor: mode(0.3), weights: { chords: 10, ends: 1, notes: 10 } };
