/**
 * A small progression generator for the analysis tests: diatonic progressions in any key, played as block
 * chords or arpeggios over a bass note, at 120 bpm in 4/4 (a bar is 2 s), with the Harte labels and the
 * key an annotator would write.
 */
import { Chord, Note } from 'tonal';
import type { LabeledInterval } from '../../../src/theory/analysis/lab.js';
import type { NoteEvent } from '../../../src/types.js';

export const BAR_SECONDS = 2;
const BEAT_SECONDS = BAR_SECONDS / 4;

export type Texture = 'block' | 'arpeggio';

/** Progressions as Roman-numeral degrees and tonal chord types, one chord a bar. */
const MAJOR_PROGRESSION: Array<[number, string]> = [
  [0, 'M'],
  [5, 'm'],
  [3, 'M'],
  [4, 'M'],
  [0, 'M'],
  [1, 'm7'],
  [4, '7'],
  [0, 'maj7'],
];
const MINOR_PROGRESSION: Array<[number, string]> = [
  [0, 'm'],
  [3, 'm'],
  [4, 'M'],
  [0, 'm'],
  [5, 'M'],
  [2, 'M'],
  [4, '7'],
  [0, 'm'],
];
const MAJOR_SCALE = ['1P', '2M', '3M', '4P', '5P', '6M', '7M'];
const MINOR_SCALE = ['1P', '2M', '3m', '4P', '5P', '6m', '7m'];
/** Harte shorthand of the tonal chord types used above. */
const HARTE: Record<string, string> = { M: 'maj', m: 'min', m7: 'min7', '7': '7', maj7: 'maj7' };

export interface Piece {
  notes: NoteEvent[];
  labels: LabeledInterval[];
  /** "C major", as mir_eval writes keys. */
  key: string;
  duration: number;
}

export function progression(tonic: string, mode: 'major' | 'minor', texture: Texture): Piece {
  const chords = mode === 'major' ? MAJOR_PROGRESSION : MINOR_PROGRESSION;
  const scale = mode === 'major' ? MAJOR_SCALE : MINOR_SCALE;
  const notes: NoteEvent[] = [];
  const labels: LabeledInterval[] = [];
  chords.forEach(([degree, type], bar) => {
    const root = Note.pitchClass(Note.transpose(tonic, scale[degree]));
    const start = bar * BAR_SECONDS;
    const end = start + BAR_SECONDS;
    labels.push({ start, end, label: `${root}:${HARTE[type]}` });
    const pitches = closeVoicing(root, type);
    const bass = Note.midi(`${root}2`) as number;
    notes.push({ pitch: bass, start, end, velocity: 90 });
    if (texture === 'block') {
      for (let beat = 0; beat < 4; beat += 2) {
        for (const pitch of pitches)
          notes.push({
            pitch,
            start: start + beat * BEAT_SECONDS,
            end: start + (beat + 2) * BEAT_SECONDS,
            velocity: 70,
          });
      }
    } else {
      const pattern = [...pitches, ...pitches.slice(1, -1).reverse()];
      for (let step = 0; step < 8; step++) {
        const noteStart = start + (step * BEAT_SECONDS) / 2;
        notes.push({
          pitch: pattern[step % pattern.length],
          start: noteStart,
          end: noteStart + BEAT_SECONDS / 2,
          velocity: 75,
        });
      }
    }
  });
  return { notes, labels, key: `${tonic} ${mode}`, duration: chords.length * BAR_SECONDS };
}

/** The chord's notes stacked upwards from its root in the octave from C3. */
function closeVoicing(root: string, type: string): number[] {
  const first = Note.midi(`${root}3`) as number;
  return Chord.getChord(type, root).intervals.map(
    (interval) => first + (Note.midi(Note.transpose('C0', interval)) as number) - 12,
  );
}

export const TONICS = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
