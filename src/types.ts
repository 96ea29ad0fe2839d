/**
 * A note, the one event shape every layer of jam shares. Times in seconds, pitch as a MIDI number.
 * `bends` are pitch offsets in semitones, evenly spaced from `start` to `end` (one per model frame).
 */
export interface NoteEvent {
  pitch: number;
  start: number;
  end: number;
  /** MIDI velocity, 1–127. */
  velocity: number;
  bends?: number[];
}
