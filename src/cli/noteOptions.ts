/** The note-creation options jam transcribe and jam live share, as yargs options and as the library's options. */
import {
  DEFAULT_FRAME_THRESHOLD,
  DEFAULT_MIN_NOTE_LENGTH_MS,
  DEFAULT_ONSET_THRESHOLD,
} from '../transcribe/constants.js';
import type { NoteCreationOptions } from '../transcribe/notes/settings.js';

export interface NoteArgs {
  onsetThreshold: number;
  frameThreshold: number;
  minimumNoteLength: number;
  minimumFrequency?: number;
  maximumFrequency?: number;
  melodiaTrick?: boolean;
}

export const noteOptions = {
  'onset-threshold': {
    requiresArg: true,
    type: 'number',
    default: DEFAULT_ONSET_THRESHOLD,
    describe: 'Onset confidence needed to start a note, 0-1',
  },
  'frame-threshold': {
    requiresArg: true,
    type: 'number',
    default: DEFAULT_FRAME_THRESHOLD,
    describe: 'Note confidence needed to keep it sounding, 0-1',
  },
  'minimum-note-length': {
    requiresArg: true,
    type: 'number',
    default: DEFAULT_MIN_NOTE_LENGTH_MS,
    describe: 'Shortest note kept, in ms',
  },
  'minimum-frequency': { requiresArg: true, type: 'number', describe: 'Lowest note frequency kept, in Hz' },
  'maximum-frequency': { requiresArg: true, type: 'number', describe: 'Highest note frequency kept, in Hz' },
} as const;

/** The command line's note options in the library's words. */
export function noteOptionsOf(args: NoteArgs): NoteCreationOptions {
  return {
    onsetThreshold: args.onsetThreshold,
    frameThreshold: args.frameThreshold,
    minNoteLengthMs: args.minimumNoteLength,
    minFrequency: args.minimumFrequency,
    maxFrequency: args.maximumFrequency,
    melodiaTrick: args.melodiaTrick,
  };
}
