/**
 * Options that jam live, play and record share: where MIDI goes and how it sounds there, checked in the user's
 * words.
 */
import { usageError } from '../errors.js';
import { MIDI_CHANNEL_COUNT, PITCH_BEND_RANGE_SEMITONES } from '../midi/constants.js';

const GM_PROGRAMS = 128;
const MAX_BEND_RANGE = 48;

export interface PortArgs {
  to?: string | string[];
  virtual?: string;
  channel: number;
  program?: number;
  bendRange: number;
}

export const portOptions = {
  to: {
    requiresArg: true,
    type: 'string',
    describe: 'A MIDI output port, by index or (part of its) name, as jam ports lists them; repeat for several',
  },
  virtual: {
    requiresArg: true,
    type: 'string',
    describe: 'Open a virtual MIDI output of this name, which other programs connect to (ALSA, CoreMIDI)',
  },
  channel: { requiresArg: true, type: 'number', default: 1, describe: 'MIDI channel, 1-16' },
  program: {
    requiresArg: true,
    type: 'number',
    describe: 'General MIDI program to select, 1-128 (e.g. 82 for Lead 2 (sawtooth))',
  },
  'bend-range': {
    requiresArg: true,
    type: 'number',
    default: PITCH_BEND_RANGE_SEMITONES,
    describe: 'Pitch-bend range in semitones, told to the synth on connect (RPN 0)',
  },
} as const;

/** Every --to given, as a list (yargs gives one as a string). */
export function portNames(to: string | string[] | undefined): string[] {
  return to === undefined ? [] : ([] as string[]).concat(to).map(String);
}

/** The 0-based channel and program, and the bend range, or a usage error. */
export function checkPortArgs(args: PortArgs): { channel: number; program?: number; bendRange: number } {
  if (!Number.isInteger(args.channel) || args.channel < 1 || args.channel > MIDI_CHANNEL_COUNT)
    throw usageError(`--channel ${args.channel}: use a MIDI channel from 1 to 16`);
  if (
    args.program !== undefined &&
    (!Number.isInteger(args.program) || args.program < 1 || args.program > GM_PROGRAMS)
  ) {
    throw usageError(`--program ${args.program}: use a General MIDI program number from 1 to 128`);
  }
  if (!(args.bendRange > 0 && args.bendRange <= MAX_BEND_RANGE))
    throw usageError(
      `--bend-range ${args.bendRange}: use semitones above 0, up to ${MAX_BEND_RANGE} (most synths default to 2)`,
    );
  return {
    channel: args.channel - 1,
    program: args.program === undefined ? undefined : args.program - 1,
    bendRange: args.bendRange,
  };
}
