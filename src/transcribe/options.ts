/** Checks transcription options before any work starts, so a bad value fails fast with a usage error. */
import { checkNumberOption, type NumberRange } from '../checks.js';
import { usageError } from '../errors.js';
import type { NoteCreationOptions } from './notes/settings.js';

export interface OptionChecks extends NoteCreationOptions {
  midiTempo?: number;
  batchSize?: number;
  threads?: number;
}

/** Each option's command-line name and its range. */
const RANGES: [name: string, option: keyof OptionChecks, range: NumberRange][] = [
  ['onset-threshold', 'onsetThreshold', { min: 0, max: 1, hint: 'use a value from 0 to 1 (default 0.5)' }],
  ['frame-threshold', 'frameThreshold', { min: 0, max: 1, hint: 'use a value from 0 to 1 (default 0.3)' }],
  [
    'minimum-note-length',
    'minNoteLengthMs',
    { min: 1, max: 60_000, hint: 'use milliseconds from 1 to 60000 (default 127.7)' },
  ],
  ['minimum-frequency', 'minFrequency', { min: 1, max: 20_000, hint: 'use a frequency in Hz, from 1 to 20000' }],
  ['maximum-frequency', 'maxFrequency', { min: 1, max: 20_000, hint: 'use a frequency in Hz, from 1 to 20000' }],
  ['midi-tempo', 'midiTempo', { min: 1, max: 1000, hint: 'use beats per minute from 1 to 1000 (default 120)' }],
  ['batch-size', 'batchSize', { min: 1, max: 64, hint: 'use a whole number of windows from 1 to 64' }],
  ['threads', 'threads', { min: 1, max: 256, hint: 'use a whole number of threads, e.g. the number of cores' }],
];

export function checkTranscribeOptions(options: OptionChecks): void {
  for (const [name, option, range] of RANGES) checkNumberOption(name, options[option] as number | undefined, range);
  for (const [name, value] of [
    ['batch-size', options.batchSize],
    ['threads', options.threads],
  ] as const) {
    if (value !== undefined && !Number.isInteger(value)) throw usageError(`--${name} ${value}: use a whole number`);
  }
  if (
    options.minFrequency !== undefined &&
    options.maxFrequency !== undefined &&
    options.minFrequency >= options.maxFrequency
  ) {
    throw usageError(
      `--minimum-frequency ${options.minFrequency} is not below --maximum-frequency ${options.maxFrequency}: swap or widen them`,
    );
  }
}
