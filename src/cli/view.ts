/** `jam view`: a piano-roll picture (SVG, and PNG) of a MIDI file, note JSON, or audio transcribed first. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { JamError, usageError } from '../errors.js';
import { checkCanCreate, descriptorOf, isSpecialFile, readInputFile, writeFileAtomic } from '../files.js';
import { withMidiBends } from '../midi/bends.js';
import { overlayFromAnalysis } from '../render/pianoRoll.js';
import { ROLL_SCALE } from '../render/rollStyle.js';
import { checkMidiIsWhole } from '../midi/wholeFile.js';
import { analyzePiece } from '../app/analyze.js';
import { pieceFromBytes, type Piece } from '../app/load.js';
import { userArg } from './args.js';
import { pictureFiles, type PictureTargets } from './plot.js';
import { progressBar } from './progress.js';
import { warn } from './report.js';

interface ViewArgs {
  file: string;
  output?: string;
  png: boolean;
  width?: number;
  from?: number;
  to?: number;
  force: boolean;
  quiet: boolean;
}

const MIN_WIDTH = ROLL_SCALE.minPictureWidth;
const MAX_WIDTH = 20_000;
const INPUTS = 'a MIDI file, note JSON (jam transcribe --json) or audio (WAV, AIFF, MP3, FLAC, Ogg, Opus, M4A)';

function builder(yargs: Argv): Argv<ViewArgs> {
  return yargs
    .positional('file', { type: 'string', describe: `What to draw: ${INPUTS}` })
    .option('output', {
      requiresArg: true,
      alias: 'o',
      type: 'string',
      describe:
        'The picture to write, .svg or .png (default: <stem>.svg beside the input); - writes the SVG to standard output',
    })
    .option('png', { type: 'boolean', default: false, describe: 'Also write a PNG beside the SVG' })
    .option('width', {
      requiresArg: true,
      type: 'number',
      describe: `Width of the picture in pixels, ${MIN_WIDTH}-${MAX_WIDTH} (default: from the duration)`,
    })
    .option('from', { requiresArg: true, type: 'number', describe: 'Draw from this time, in seconds' })
    .option('to', { requiresArg: true, type: 'number', describe: 'Draw up to this time, in seconds' })
    .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Overwrite pictures that already exist' })
    .example('$0 view song.mid', 'Write song.svg beside song.mid')
    .example('$0 view song.mid --png', 'Also write song.png')
    .example('$0 view take.wav -o take.png', 'Transcribe take.wav and draw it as a PNG')
    .example('$0 transcribe take.wav --json > take.json && $0 view take.json', 'Draw notes saved as JSON')
    .example('$0 view song.mid --from 30 --to 45', 'Draw 15 seconds from 0:30') as unknown as Argv<ViewArgs>;
}

async function handler(parsed: ViewArgs): Promise<void> {
  const args = {
    ...parsed,
    file: userArg(parsed.file),
    output: parsed.output === undefined ? undefined : userArg(parsed.output),
  };
  checkRange(args);
  const targets = picturePaths(args);
  for (const target of Object.values(targets)) {
    if (target === undefined || target === '-') continue;
    if (path.resolve(target) === path.resolve(args.file))
      throw new JamError(`${args.file}: the picture would overwrite the input; choose another -o`);
    checkCanCreate(target, args.force);
  }
  const piece = await loadPiece(args.file, args.quiet);
  const overlay = overlayFromAnalysis(analyzePiece(piece));
  const title = path.basename(args.file);
  for (const [file, data] of pictureFiles(
    piece.notes,
    overlay,
    { title, width: args.width, from: args.from, to: args.to },
    targets,
  )) {
    if (file === '-') process.stdout.write(data);
    else await writeFileAtomic(file, data, { overwrite: args.force });
  }
  const shown = piece.notes.filter((note) => note.end > (args.from ?? 0) && note.start < (args.to ?? Infinity)).length;
  for (const warning of piece.warnings) warn(warning);
  if (piece.warnings.length === 0 && shown === 0)
    warn(`${args.file}: ${emptyReason(piece, args)}; the picture is an empty roll`);
  printResult(args, targets, shown);
}

function checkRange(args: ViewArgs): void {
  if (args.width !== undefined && !(args.width >= MIN_WIDTH && args.width <= MAX_WIDTH)) {
    throw usageError(`--width ${args.width}: give a width in pixels from ${MIN_WIDTH} to ${MAX_WIDTH}`);
  }
  for (const [name, value] of [
    ['--from', args.from],
    ['--to', args.to],
  ] as const) {
    if (value !== undefined && !(value >= 0)) throw usageError(`${name} ${value}: give a time in seconds, 0 or more`);
  }
  if (args.from !== undefined && args.to !== undefined && args.to <= args.from) {
    throw usageError(`--to ${args.to} is not after --from ${args.from}; give a later --to`);
  }
}

/** `<stem>.svg` beside the input, or -o's name; the PNG follows the SVG's name. */
function picturePaths(args: ViewArgs): PictureTargets {
  if (args.output === '-') {
    if (args.png)
      throw usageError(
        '-o - writes the SVG to standard output, and --png needs a file; give -o picture.svg with --png',
      );
    return { svg: '-' };
  }
  if (args.output === undefined) {
    const stem = path.join(path.dirname(args.file), path.basename(args.file, path.extname(args.file)));
    return { svg: `${stem}.svg`, png: args.png ? `${stem}.png` : undefined };
  }
  const extension = path.extname(args.output).toLowerCase();
  const stem = args.output.slice(0, args.output.length - extension.length);
  if (extension === '.png') return { png: args.output };
  if (extension === '.svg') return { svg: args.output, png: args.png ? `${stem}.png` : undefined };
  // A device or FIFO (/dev/null, /dev/stdout, a pipe) has no extension to go by: it gets the SVG (or PNG with --png).
  if (isSpecialFile(args.output)) return args.png ? { png: args.output } : { svg: args.output };
  throw usageError(`-o ${args.output}: name the picture .svg or .png`);
}

/** The piece as the analysis reads it (MIDI, note JSON, or audio transcribed), with a MIDI file's own bends. */
async function loadPiece(file: string, quiet: boolean): Promise<Piece> {
  const bytes = await readInput(file);
  const progress = progressBar(path.basename(file), !quiet);
  let piece: Piece;
  try {
    piece = await pieceFromBytes(bytes, file, { onProgress: progress.update });
  } finally {
    progress.done();
  }
  if (piece.kind !== 'midi' || !piece.midi) return piece;
  checkMidiIsWhole(bytes, file);
  return { ...piece, notes: withMidiBends(piece.midi, piece.notes) };
}

async function readInput(file: string): Promise<Uint8Array> {
  if (file === '-') throw usageError(`jam view reads files only; save standard input to a file first`);
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new JamError(`${file}: no such file; check the path`);
    if (error.code === 'EACCES') throw new JamError(`${file}: permission denied; check the file's permissions`);
    throw error;
  });
  if (info.isDirectory()) throw new JamError(`${file}: is a directory; give ${INPUTS}`);
  if (info.isFile() && info.size === 0) throw new JamError(`${file}: the file is empty; give ${INPUTS}`);
  return readInputFile(file, INPUTS);
}

function emptyReason(piece: Piece, args: ViewArgs): string {
  if (piece.notes.length > 0)
    return `no notes between ${args.from ?? 0} s and ${args.to === undefined ? 'the end' : `${args.to} s`}`;
  return piece.kind === 'midi' ? 'no pitched notes (drum tracks are left out)' : 'no notes';
}

function printResult(args: ViewArgs, targets: PictureTargets, notes: number): void {
  const written = [targets.svg, targets.png].filter(
    (file): file is string => file !== undefined && file !== '-' && descriptorOf(file) !== 1,
  );
  if (args.quiet || written.length === 0) return;
  if (!process.stdout.isTTY) {
    process.stdout.write(written.map((file) => `${file}\n`).join(''));
    return;
  }
  process.stdout.write(`${args.file} → ${written.join(', ')}: ${notes} notes\n`);
}

export const viewCommand: CommandModule<object, ViewArgs> = {
  command: 'view <file>',
  describe: 'Draw a piano roll of a MIDI file, note JSON or audio (SVG, and PNG)',
  builder,
  handler,
};
