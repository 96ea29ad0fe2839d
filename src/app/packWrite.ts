/**
 * Writes a chord pack (the plan of theory/pack.ts) as MIDI files: checks first that nothing would be
 * overwritten (unless forced), then renders and writes each file atomically, a few at a time so the disk
 * is kept busy while the next files are rendered.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { JamError } from '../errors.js';
import { makeFolder, writeFileAtomic } from '../files.js';
import { layOutProgression, playArrangement, type Arrangement } from '../theory/progression/arrange.js';
import type { PackEntry } from '../theory/progression/pack.js';
import { keyName, parseProgression } from '../theory/progression/parse.js';
import { arrangementToMidiBytes } from './progressionFile.js';

/** Files being written at once. */
const WRITES_IN_FLIGHT = 16;

export interface WritePackOptions {
  /** Replace files that already exist. */
  force?: boolean;
  onProgress?: (written: number, total: number) => void;
}

/**
 * Renders pack entries to MIDI bytes: the entry's chords voice-led in close position, in its rhythm style.
 * The plan lists each progression's rhythm styles one after another, so the last layout is kept and
 * played again rather than voiced again.
 */
export function packRenderer(): (entry: PackEntry) => Uint8Array {
  let last: { progression: string; key: string; layout: Arrangement } | undefined;
  return (entry) => {
    const key = keyName(entry.key);
    if (last?.progression !== entry.progression || last.key !== key) {
      last = {
        progression: entry.progression,
        key,
        layout: layOutProgression(parseProgression(entry.progression, { key: entry.key })),
      };
    }
    return arrangementToMidiBytes(playArrangement(last.layout, { rhythm: entry.rhythm }), entry.title);
  };
}

function targetOf(outDir: string, entry: PackEntry): string {
  return path.join(outDir, ...entry.path.split('/'));
}

/** The pack folder may exist or not, but no file may stand where it, or a folder above it, should be. */
function checkOutputFolder(outDir: string): void {
  const fileInTheWay = new JamError(`--out ${outDir}: not a folder (a file is in the way); choose another`);
  let info;
  try {
    info = statSync(outDir, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw fileInTheWay;
    throw error;
  }
  if (info && !info.isDirectory()) throw fileInTheWay;
}

function checkNothingOverwritten(outDir: string, plan: PackEntry[]): void {
  const existing = plan.map((entry) => targetOf(outDir, entry)).filter((file) => existsSync(file));
  if (existing.length === 0) return;
  const others = existing.length > 1 ? ` and ${existing.length - 1} other pack files` : '';
  throw new JamError(
    `${existing[0]}${others} already exist; use --force to overwrite them, or choose another --out folder`,
  );
}

async function makeFolders(outDir: string, plan: PackEntry[]): Promise<void> {
  for (const folder of new Set(plan.map((entry) => path.dirname(targetOf(outDir, entry)))))
    await makeFolder(folder, `--out ${outDir}`);
}

/** Writes every file of `plan` below `outDir` (created if missing); returns how many were written. */
export async function writePack(outDir: string, plan: PackEntry[], options: WritePackOptions = {}): Promise<number> {
  checkOutputFolder(outDir);
  if (!options.force) checkNothingOverwritten(outDir, plan);
  await makeFolders(outDir, plan);
  const render = packRenderer();
  let next = 0;
  let written = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    // After one write fails (a full disk, say) the others stop taking files.
    while (next < plan.length && !failed) {
      const entry = plan[next++];
      try {
        await writeFileAtomic(targetOf(outDir, entry), render(entry), { overwrite: options.force });
      } catch (error) {
        failed = true;
        throw error;
      }
      written++;
      options.onProgress?.(written, plan.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITES_IN_FLIGHT, plan.length) }, worker));
  return written;
}
