/**
 * The key of a song judged on its chords as well as its notes: each of the 24 keys is scored by how likely the
 * song's chords are in it (by their root's step above the tonic and whether they are major or minor, weighted by
 * time), how likely its first and last chords are (its first and last few chords: pop songs in minor start and end on i; the relative major's I
 * is then rarer there), and how likely its notes are (a fitted profile). The tables are data (data/keyModel.ts),
 * fitted by scripts/fit-key-model.js on the fit half of the POP909 development songs, on jam's own chords.
 */
import { PITCH_CLASSES } from './chroma.js';
import { KEY_MODEL, type KeyModel } from './data/keyModel.js';
import type { HarmonyEvent } from './key.js';

const KEYS = 2 * PITCH_CLASSES;

/** A song's opening (and, reversed, its ending) is its first this many chords (more did not help on the fit half). */
export const END_CHORDS = 1;

/** The first END_CHORDS chords. */
export function opening(chords: HarmonyEvent[]): HarmonyEvent[] {
  return chords.slice(0, END_CHORDS);
}

/** A chord as the key model counts it: 0 major triad, 1 minor triad, 2 anything else. */
export function chordClass(event: Pick<HarmonyEvent, 'triad'>): number {
  return event.triad === 'major' ? 0 : event.triad === 'minor' ? 1 : 2;
}

/**
 * Log-likelihood scores of the 24 keys (index: tonic pitch class, minor from 12) for chords in order and the piece's
 * pitch-class weights.
 */
export function keyModelScores(
  chords: HarmonyEvent[],
  weights: ArrayLike<number>,
  model: KeyModel = KEY_MODEL,
): Float64Array {
  const scores = new Float64Array(KEYS);
  const time = chords.reduce((sum, event) => sum + event.duration, 0);
  let mass = 0;
  for (let pc = 0; pc < PITCH_CLASSES; pc++) mass += weights[pc];
  const step = (pc: number, tonic: number) => (pc - tonic + PITCH_CLASSES) % PITCH_CLASSES;
  for (let key = 0; key < KEYS; key++) {
    const tonic = key % PITCH_CLASSES;
    const mode = key < PITCH_CLASSES ? model.major : model.minor;
    let score = Math.log(mode.prior);
    if (time > 0) {
      let chordScore = 0;
      for (const event of chords)
        chordScore += (event.duration / time) * Math.log(mode.chords[step(event.root, tonic)][chordClass(event)]);
      let endScore = 0;
      for (const [events, table] of [
        [opening(chords), mode.first],
        [opening([...chords].reverse()), mode.last],
      ] as const) {
        const length = events.reduce((sum, event) => sum + event.duration, 0);
        for (const event of events)
          endScore += (event.duration / length) * Math.log(table[step(event.root, tonic)][chordClass(event)]);
      }
      score += model.weights.chords * chordScore + model.weights.ends * endScore;
    }
    if (mass > 0) {
      let noteScore = 0;
      for (let pc = 0; pc < PITCH_CLASSES; pc++)
        noteScore += (weights[pc] / mass) * Math.log(mode.notes[step(pc, tonic)]);
      score += model.weights.notes * noteScore;
    }
    scores[key] = score;
  }
  return scores;
}
