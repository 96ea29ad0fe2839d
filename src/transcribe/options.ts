/** Checks transcription options before any work starts, so a bad value fails fast with a usage error. */
import { usageError } from '../errors.js';
import type { NoteCreationOptions } from './noteCreation.js';

export interface OptionChecks extends NoteCreationOptions {
  midiTempo?: number;
  batchSize?: number;
  threads?: number;
}

function checkRange(name: string, value: number | undefined, low: number, high: number, hint: string): void {
  if (value === undefined) return;
  if (!Number.isFinite(value)) throw usageError(`--${name} needs a number: ${hint}`);
  if (value < low || value > high) throw usageError(`--${name} ${value}: ${hint}`);
}

export function checkTranscribeOptions(options: OptionChecks): void {
  checkRange('onset-threshold', options.onsetThreshold, 0, 1, 'use a value from 0 to 1 (default 0.5)');
  checkRange('frame-threshold', options.frameThreshold, 0, 1, 'use a value from 0 to 1 (default 0.3)');
  checkRange(
    'minimum-note-length',
    options.minNoteLengthMs,
    1,
    60_000,
    'use milliseconds from 1 to 60000 (default 127.7)',
  );
  checkRange('minimum-frequency', options.minFrequency, 1, 20_000, 'use a frequency in Hz, from 1 to 20000');
  checkRange('maximum-frequency', options.maxFrequency, 1, 20_000, 'use a frequency in Hz, from 1 to 20000');
  checkRange('midi-tempo', options.midiTempo, 1, 1000, 'use beats per minute from 1 to 1000 (default 120)');
  checkRange('batch-size', options.batchSize, 1, 64, 'use a whole number of windows from 1 to 64');
  checkRange('threads', options.threads, 1, 256, 'use a whole number of threads, e.g. the number of cores');
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
