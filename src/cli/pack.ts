/** `jam pack --out DIR`: a complete chord and progression pack, every key, as MIDI files in browsable folders. */
import type { Argv, CommandModule } from 'yargs';
import { JamError, usageError } from '../errors.js';
import { writePack } from '../app/packWrite.js';
import { packPlan } from '../theory/progression/pack.js';
import { progressBar } from './progress.js';

interface PackArgs {
  out?: string;
  keys?: string[];
  force: boolean;
  json: boolean;
  quiet: boolean;
}

function builder(yargs: Argv): Argv<PackArgs> {
  return yargs
    .option('out', {
      requiresArg: true,
      alias: 'd',
      type: 'string',
      describe: 'Folder for the pack (created if missing)',
    })
    .option('keys', {
      requiresArg: true,
      alias: 'k',
      type: 'string',
      array: true,
      describe:
        'Only these key pairs, each named by its major or minor key: --keys C Am or --keys C,Am (default: all 12)',
    })
    .option('force', {
      alias: 'f',
      type: 'boolean',
      default: false,
      describe: 'Overwrite pack files that already exist',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print the result as a JSON line: folder, files, seconds',
    })
    .example(
      '$0 pack --out chord-pack',
      "Every key: triads, 7ths and 9ths, other chords, and the library's progressions in every rhythm",
    )
    .example(
      '$0 pack --out pack --keys C Am G',
      'Only the C major – A minor and G major – E minor folders',
    ) as unknown as Argv<PackArgs>;
}

async function handler(args: PackArgs): Promise<void> {
  const out = args.out;
  if (out === undefined) throw usageError('give the folder to write the pack to, e.g. jam pack --out chord-pack');
  const keys = args.keys?.flatMap((given) => given.split(',')).filter((key) => key.trim() !== '');
  if (keys !== undefined && keys.length === 0)
    throw usageError('--keys names no key; give keys like --keys C Am, or leave --keys out for all 12');
  const plan = asUsageError('--keys', () => packPlan({ keys }));
  const progress = progressBar('pack', !args.quiet);
  const started = performance.now();
  let written: number;
  try {
    written = await writePack(out, plan, {
      force: args.force,
      onProgress: (done, total) => progress.update(done / total),
    });
  } finally {
    progress.done();
  }
  const seconds = (performance.now() - started) / 1000;
  if (args.json) {
    process.stdout.write(JSON.stringify({ out, files: written, seconds: Math.round(seconds * 10) / 10 }) + '\n');
    return;
  }
  if (!args.quiet) process.stdout.write(`${out}: ${written} MIDI files in ${seconds.toFixed(1)} s\n`);
}

/** A bad option value the library refuses (a JamError, exit 1) is a usage error (exit 2), like every other. */
function asUsageError<T>(option: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof JamError && error.exitCode === 1) throw usageError(`${option}: ${error.message}`);
    throw error;
  }
}

export const packCommand: CommandModule<object, PackArgs> = {
  command: 'pack',
  describe: "Write a chord pack: every key's chords and the progression library as MIDI files",
  builder,
  handler,
};
