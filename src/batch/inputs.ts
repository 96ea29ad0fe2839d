/**
 * A batch's inputs: files, folders (searched recursively) and glob patterns, or a list of paths, expanded
 * into one list without repeats. Each input keeps its path relative to the folder or pattern it came from,
 * so the outputs can mirror the input tree and a shard can be chosen by a name that is the same on every
 * machine.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { usageError } from '../errors.js';

export interface BatchInput {
  /** The path to open, as given or found ("-" is standard input). */
  path: string;
  /** Where it sits below its folder or pattern's base, with "/" separators: the outputs mirror it. */
  relative: string;
}

export interface Expansion {
  inputs: BatchInput[];
  /** True when a folder, a pattern or a list of paths named the inputs (rather than the files one by one). */
  batch: boolean;
}

/**
 * File extensions (lower case, with the dot) a folder or pattern contributes; anything else found there is left alone.
 */
export type Extensions = readonly string[];

/** What a folder contributes to a transcription: the audio formats jam decodes. */
export const AUDIO_EXTENSIONS: Extensions = [
  '.wav',
  '.wave',
  '.rf64',
  '.bwf',
  '.aif',
  '.aiff',
  '.aifc',
  '.mp3',
  '.flac',
  '.ogg',
  '.oga',
  '.opus',
  '.webm',
  '.weba',
  '.mka',
  '.m4a',
  '.mp4',
  '.aac',
  '.caf',
];
/** What a folder contributes to an analysis: MIDI files, note JSON and audio. */
export const PIECE_EXTENSIONS: Extensions = ['.mid', '.midi', '.smf', '.kar', '.json', ...AUDIO_EXTENSIONS];

/**
 * Expands `args` (and `listed`, paths read from --from) into inputs, in the order given, each folder or pattern's
 * files sorted by their relative path. A file named twice, by any route, is kept once, where it first came.
 */
export async function expandInputs(args: string[], extensions: Extensions, listed: string[] = []): Promise<Expansion> {
  const found: BatchInput[] = [];
  let batch = listed.length > 0;
  for (const arg of args) {
    const info = arg === '-' ? undefined : await stat(arg).catch(() => undefined);
    const inFolder = info?.isDirectory() ? await filesBelow(arg, extensions) : [];
    if (inFolder.length > 0) {
      batch = true;
      found.push(...inFolder);
    } else if (!info && arg !== '-' && picomatch.scan(arg).isGlob) {
      batch = true;
      found.push(...(await matchPattern(arg)));
    } else {
      // A file, a missing path or an empty folder: reading it tells the user what is wrong.
      found.push({ path: arg, relative: arg === '-' ? '-' : path.basename(arg) });
    }
  }
  found.push(...listed.map(listedInput));
  return { inputs: withoutRepeats(found), batch };
}

/** Paths from a list (one per line; blank lines ignored), as --from reads them. */
export function parsePathList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A listed path inside the current folder mirrors its path from there; one outside it, just its name. */
function listedInput(file: string): BatchInput {
  const fromHere = path.relative('.', file);
  const inside = fromHere !== '' && !fromHere.startsWith('..') && !path.isAbsolute(fromHere);
  return { path: file, relative: toPosix(inside ? fromHere : path.basename(file)) };
}

async function filesBelow(folder: string, extensions: Extensions): Promise<BatchInput[]> {
  const files = await walk(folder);
  return files
    .filter((file) => hasExtension(file, extensions))
    .map((file) => ({ path: path.join(folder, file), relative: toPosix(file) }))
    .sort(byRelative);
}

/** A pattern's matches, whatever their extension: the pattern already says which files it wants. */
async function matchPattern(pattern: string): Promise<BatchInput[]> {
  const { base, glob } = picomatch.scan(pattern);
  const matches = picomatch(glob, { dot: false });
  const root = base === '' ? '.' : base;
  const files = (await walk(root)).filter((file) => matches(toPosix(file)));
  if (files.length === 0) {
    throw usageError(
      `${pattern}: no files match this pattern; check it, and quote it so the shell passes it to jam as it is`,
    );
  }
  return files.map((file) => ({ path: path.join(root, file), relative: toPosix(file) })).sort(byRelative);
}

/**
 * Every file below `folder`, relative to it; hidden files and folders (jam's own `.partial` temporaries among
 * them) are left out. Folders reached through symbolic links are followed, each real folder once (at the first
 * path that reaches it), so a link back up the tree cannot make the walk go round.
 */
async function walk(folder: string, walked = new Set<string>()): Promise<string[]> {
  const real = await realpath(folder).catch(() => folder);
  if (walked.has(real)) return [];
  walked.add(real);
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    const isFolder =
      entry.isDirectory() || (entry.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isDirectory());
    if (isFolder) files.push(...(await walk(full, walked)).map((file) => path.join(entry.name, file)));
    else files.push(entry.name);
  }
  return files;
}

function hasExtension(file: string, extensions: Extensions): boolean {
  return extensions.includes(path.extname(file).toLowerCase());
}

function withoutRepeats(inputs: BatchInput[]): BatchInput[] {
  const seen = new Set<string>();
  return inputs.filter((input) => {
    const key = input.path === '-' ? '-' : path.resolve(input.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function byRelative(a: BatchInput, b: BatchInput): number {
  return a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0;
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
