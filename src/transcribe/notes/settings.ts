/** The options of note creation, and the one place their defaults live. */
import {
  DEFAULT_ENERGY_TOLERANCE,
  DEFAULT_FRAME_THRESHOLD,
  DEFAULT_MIN_NOTE_LENGTH_MS,
  DEFAULT_ONSET_THRESHOLD,
} from '../constants.js';

export interface NoteCreationOptions {
  /** Onset posterior needed to start a note (0–1). */
  onsetThreshold?: number;
  /** Note posterior needed to keep a note sounding (0–1). */
  frameThreshold?: number;
  /** Shortest note kept, in milliseconds. */
  minNoteLengthMs?: number;
  /** Lowest and highest frequency (Hz) notes may have. */
  minFrequency?: number;
  maxFrequency?: number;
  /** Add onsets where the note posterior jumps up, besides the predicted ones. */
  inferOnsets?: boolean;
  /** After onset-started notes, trace the remaining energy from its peaks outward (basic-pitch's default). */
  melodiaTrick?: boolean;
  /** Frames a note may dip below the frame threshold before it ends. */
  energyTolerance?: number;
  /** Estimate pitch bends from the contour output. */
  pitchBends?: boolean;
}

export type NoteSettings = Required<Omit<NoteCreationOptions, 'minFrequency' | 'maxFrequency'>> &
  Pick<NoteCreationOptions, 'minFrequency' | 'maxFrequency'>;

/** The options with every default filled in: the one place note creation's defaults live. */
export function noteSettings(options: NoteCreationOptions = {}): NoteSettings {
  return {
    onsetThreshold: options.onsetThreshold ?? DEFAULT_ONSET_THRESHOLD,
    frameThreshold: options.frameThreshold ?? DEFAULT_FRAME_THRESHOLD,
    minNoteLengthMs: options.minNoteLengthMs ?? DEFAULT_MIN_NOTE_LENGTH_MS,
    inferOnsets: options.inferOnsets ?? true,
    melodiaTrick: options.melodiaTrick ?? true,
    energyTolerance: options.energyTolerance ?? DEFAULT_ENERGY_TOLERANCE,
    pitchBends: options.pitchBends ?? true,
    minFrequency: options.minFrequency,
    maxFrequency: options.maxFrequency,
  };
}
