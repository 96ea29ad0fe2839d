/**
 * `jam progression`: Roman numerals, chord symbols or a named progression → a MIDI file (or JSON); `--list` the
 * library.
 */
import type { Argv, CommandModule } from 'yargs';
import { JamError, usageError } from '../errors.js';
import { checkCanCreate, descriptorOf, writeFileAtomic } from '../files.js';
import { arrangementToMidiBytes } from '../app/progressionFile.js';
import { arrangeProgression, DEFAULT_LOOP } from '../theory/progression/arrange.js';
import { findProgression, listProgressions, tagsOf, type LibraryProgression } from '../theory/progression/library.js';
import {
  chordsFileName,
  DEFAULT_BEATS,
  keyName,
  MAX_BEATS,
  MODES,
  parseMusicalKey,
  parseProgression,
  type ModeName,
  type Progression,
} from '../theory/progression/parse.js';
import { DEFAULT_BPM, DEFAULT_SEED, RHYTHM_STYLES, type RhythmStyle } from '../theory/progression/rhythm.js';
import {
  DEFAULT_OCTAVE,
  MAX_OCTAVE,
  MIN_OCTAVE,
  VOICING_STYLES,
  type VoicingStyle,
} from '../theory/progression/voicing.js';
import { checkNumberOption } from '../checks.js';
import { userArg } from './args.js';

interface ProgressionArgs {
  chords?: string;
  name?: string;
  list: boolean;
  tag?: string[];
  mode?: ModeName;
  key?: string;
  bpm: number;
  beats: number;
  octave: number;
  loop: number;
  voicing: VoicingStyle;
  voiceLead: boolean;
  bass: boolean;
  rhythm: RhythmStyle;
  humanize: boolean;
  seed: number;
  output?: string;
  force: boolean;
  json: boolean;
  quiet: boolean;
}

const MIN_BPM = 20;
const MAX_BPM = 400;
const MAX_LOOP = 64;
/** A library progression without --key is played on C, in its own mode. */
const LIBRARY_TONIC = 'C';
/** --seed is a 32-bit unsigned number. */
const MAX_SEED = 2 ** 32 - 1;

function builder(yargs: Argv): Argv<ProgressionArgs> {
  return yargs
    .positional('chords', {
      type: 'string',
      describe: 'Roman numerals ("I V vi IV", "ii7 V7/V V7 I:8") or chord symbols ("Cmaj7 Am7 Dm7 G7")',
    })
    .option('name', {
      requiresArg: true,
      alias: 'n',
      type: 'string',
      describe: 'A progression from the library, by name (see --list)',
    })
    .option('list', { type: 'boolean', default: false, describe: 'List the library of named progressions' })
    .option('tag', {
      requiresArg: true,
      type: 'string',
      array: true,
      describe: 'With --list: only progressions with this mood or genre (repeatable)',
    })
    .option('mode', {
      requiresArg: true,
      type: 'string',
      choices: MODES,
      describe: 'With --list: only progressions in this mode',
    })
    .option('key', {
      requiresArg: true,
      alias: 'k',
      type: 'string',
      describe:
        'Key: a tonic and a mode, e.g. C, F#m, "Bb minor", "D dorian" (default C; chord symbols: the first chord\'s key)',
    })
    .option('bpm', { requiresArg: true, type: 'number', default: DEFAULT_BPM, describe: 'Tempo in beats per minute' })
    .option('beats', {
      requiresArg: true,
      alias: 'b',
      type: 'number',
      default: DEFAULT_BEATS,
      describe: 'Beats per chord, for chords written without ":beats"',
    })
    .option('octave', {
      requiresArg: true,
      type: 'number',
      default: DEFAULT_OCTAVE,
      describe: `Octave of the first chord's root (${MIN_OCTAVE}-${MAX_OCTAVE}; 4 is middle C)`,
    })
    .option('loop', {
      requiresArg: true,
      type: 'number',
      default: DEFAULT_LOOP,
      describe: 'Play the progression this many times',
    })
    .option('voicing', {
      requiresArg: true,
      type: 'string',
      choices: VOICING_STYLES,
      default: 'close' as VoicingStyle,
      describe: 'Voicing style',
    })
    .option('voice-lead', {
      type: 'boolean',
      default: true,
      describe: 'Choose inversions by smooth voice leading (--no-voice-lead: every chord in root position)',
    })
    .option('bass', {
      type: 'boolean',
      default: false,
      describe: "Add a bass line on the chords' roots (or slash basses)",
    })
    .option('rhythm', {
      requiresArg: true,
      alias: 'r',
      type: 'string',
      choices: RHYTHM_STYLES,
      default: 'block' as RhythmStyle,
      describe: 'Rhythm: block chords, arpeggios or a groove',
    })
    .option('humanize', {
      type: 'boolean',
      default: false,
      describe: 'Vary timing and velocity a little, reproducibly (see --seed)',
    })
    .option('seed', {
      requiresArg: true,
      type: 'number',
      default: DEFAULT_SEED,
      describe: 'Seed for --humanize: the same seed gives the same file',
    })
    .option('output', {
      requiresArg: true,
      alias: 'o',
      type: 'string',
      describe: 'The MIDI file to write (default "<chords> in <key>.mid"); - writes it to standard output',
    })
    .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Overwrite the output if it exists' })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print the chords, voicings and notes as JSON instead of writing MIDI (with --list: the library)',
    })
    .example('$0 progression "I V vi IV"', 'Write "I-V-vi-IV in C major.mid"')
    .example(
      '$0 progression "ii7 V7 Imaj7:8" --key Eb --voicing drop-2 --bass',
      'A ii-V-I in E flat, drop-2 voicings and a bass line',
    )
    .example(
      '$0 progression "i bVI bIII bVII" -k "F# minor" -r syncopated-pop --humanize -o epic.mid',
      'A minor progression with a groove and a human feel',
    )
    .example(
      '$0 progression "Cmaj7 Am7 Dm7 G7" --rhythm arp-up-down --loop 4',
      'Chord symbols, arpeggiated, four times round',
    )
    .example('$0 progression --list --tag sad --mode minor', 'Sad progressions in minor from the library')
    .example(
      '$0 progression --name "Andalusian cadence" --key E --json',
      'A library progression as JSON',
    ) as unknown as Argv<ProgressionArgs>;
}

function checkArgs(args: ProgressionArgs): void {
  const sources = [
    args.chords !== undefined && 'chords',
    args.name !== undefined && '--name',
    args.list && '--list',
  ].filter(Boolean);
  if (sources.length === 0)
    throw usageError('give a progression, e.g. jam progression "I V vi IV", or --name <name>, or --list');
  if (sources.length > 1) throw usageError(`give one of chords, --name or --list, not ${sources.join(' and ')}`);
  if (!args.list && (args.tag !== undefined || args.mode !== undefined))
    throw usageError('--tag and --mode filter --list; add --list');
  if (args.json && args.output !== undefined)
    throw usageError('--json prints the progression instead of writing MIDI; drop -o or --json');
  checkNumberOption('bpm', args.bpm, {
    min: MIN_BPM,
    max: MAX_BPM,
    hint: `use beats per minute from ${MIN_BPM} to ${MAX_BPM} (default ${DEFAULT_BPM})`,
  });
  checkNumberOption('beats', args.beats, {
    min: Number.MIN_VALUE,
    max: MAX_BEATS,
    hint: `use a number of beats above 0, up to ${MAX_BEATS} (default ${DEFAULT_BEATS})`,
  });
  checkNumberOption('octave', args.octave, {
    min: MIN_OCTAVE,
    max: MAX_OCTAVE,
    whole: true,
    hint: `use a whole octave from ${MIN_OCTAVE} to ${MAX_OCTAVE} (default ${DEFAULT_OCTAVE})`,
  });
  checkNumberOption('loop', args.loop, {
    min: 1,
    max: MAX_LOOP,
    whole: true,
    hint: `use a whole number of times from 1 to ${MAX_LOOP}`,
  });
  checkNumberOption('seed', args.seed, {
    min: 0,
    max: MAX_SEED,
    whole: true,
    hint: `use a whole number from 0 to ${MAX_SEED}`,
  });
}

function printList(progressions: LibraryProgression[], { json }: { json: boolean }): void {
  // One write, so a reader that stops early (| head) does not break a write in progress.
  process.stdout.write(listText(progressions, { json, terminal: process.stdout.isTTY === true }));
}

/** JSON lines; tab-separated columns when piped; aligned columns and a count on a terminal. */
function listText(
  progressions: LibraryProgression[],
  { json, terminal }: { json: boolean; terminal: boolean },
): string {
  if (json) return progressions.map((progression) => JSON.stringify(progression) + '\n').join('');
  const rows = progressions.map((progression) => [
    progression.name,
    progression.numerals,
    progression.mode,
    tagsOf(progression).join(', '),
  ]);
  if (!terminal) return rows.map((row) => row.join('\t') + '\n').join('');
  const widths = rows.length === 0 ? [] : [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return [...lines, `${progressions.length} progressions`].join('\n') + '\n';
}

/** The default file name: the chords (or the library name) and the key, `I-V-vi-IV in C major.mid`. */
/** A bad --key is a usage error (exit 2), as every other bad option. */
function parseKeyOption(given: string, mode?: ModeName): ReturnType<typeof parseMusicalKey> {
  try {
    return parseMusicalKey(given, mode);
  } catch (error) {
    if (error instanceof JamError) throw usageError(`--key: ${error.message}`);
    throw error;
  }
}

/** File names are at most 255 bytes on most file systems; the chords' part is cut well below that. */
const MAX_NAME_BYTES = 200;

/**
 * "<chords> in <key>.mid", its chords cut short (with "…" and how many more) when a long progression would make a
 * name longer than a file system allows.
 */
export function defaultOutput(progression: Progression, libraryName?: string): string {
  const ending = ` in ${keyName(progression.key)}.mid`;
  if (libraryName !== undefined) return `${libraryName}${ending}`;
  const written = chordsFileName(progression).split('-');
  const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
  if (bytes(written.join('-') + ending) <= MAX_NAME_BYTES) return `${written.join('-')}${ending}`;
  let kept = 0;
  let length = 0;
  const room = MAX_NAME_BYTES - bytes(ending) - bytes(`-… (+${written.length} more)`);
  while (kept < written.length && length + bytes(written[kept]) + 1 <= room) length += bytes(written[kept++]) + 1;
  return `${written.slice(0, Math.max(1, kept)).join('-')}-… (+${written.length - Math.max(1, kept)} more)${ending}`;
}

async function handler(parsed: ProgressionArgs): Promise<void> {
  const args = { ...parsed, output: parsed.output === undefined ? undefined : userArg(parsed.output) };
  checkArgs(args);
  if (args.list) {
    printList(listProgressions({ tags: args.tag, mode: args.mode }), { json: args.json });
    return;
  }
  const library = args.name === undefined ? undefined : findProgression(args.name);
  const chords = library?.numerals ?? args.chords ?? '';
  const key =
    args.key === undefined
      ? library
        ? { tonic: LIBRARY_TONIC, mode: library.mode }
        : undefined
      : parseKeyOption(args.key, library?.mode);
  const progression = parseProgression(chords, { key, beats: args.beats });
  const output = args.json ? undefined : (args.output ?? defaultOutput(progression, library?.name));
  if (output !== undefined && output !== '-') checkCanCreate(output, args.force);
  const arrangement = arrangeProgression(progression, {
    voicing: args.voicing,
    octave: args.octave,
    voiceLead: args.voiceLead,
    bass: args.bass,
    loop: args.loop,
    bpm: args.bpm,
    rhythm: args.rhythm,
    humanize: args.humanize,
    seed: args.seed,
  });
  if (output === undefined) {
    process.stdout.write(
      JSON.stringify({ ...arrangement, key: keyName(arrangement.key), ...(library ? { name: library.name } : {}) }) +
        '\n',
    );
    return;
  }
  const title = `${library ? `${library.name}: ` : ''}${chords.trim()} in ${keyName(arrangement.key)}`;
  const bytes = arrangementToMidiBytes(arrangement, title);
  if (output === '-') {
    process.stdout.write(bytes);
    return;
  }
  await writeFileAtomic(output, bytes, { overwrite: args.force });
  // Written to standard output by name (-o /dev/stdout): nothing else may follow the file there.
  if (args.quiet || descriptorOf(output) === 1) return;
  if (!process.stdout.isTTY) {
    process.stdout.write(`${output}\n`);
    return;
  }
  const symbols = progression.chords.map((chord) => chord.symbol).join(' ');
  process.stdout.write(
    `${output}: ${symbols} in ${keyName(arrangement.key)}, ${arrangement.beats} beats at ${arrangement.bpm} BPM\n`,
  );
}

export const progressionCommand: CommandModule<object, ProgressionArgs> = {
  command: 'progression [chords]',
  describe: 'Write a chord progression as MIDI: Roman numerals, chord symbols or a named progression',
  builder,
  handler,
};
