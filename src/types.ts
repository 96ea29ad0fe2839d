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

/**
 * An event of a live stream, timed in seconds on the audio clock (from the start of the stream). `velocity` is a MIDI
 * velocity (0 on a note-off); a bend's `value` is the pitch offset of the sounding `pitch`, in semitones.
 */
export type LiveEvent =
  | { type: 'on'; time: number; pitch: number; velocity: number }
  | { type: 'off'; time: number; pitch: number; velocity: number }
  | { type: 'bend'; time: number; pitch: number; value: number };
