/**
 * A MIDI file of a live take that is always whole: it is written at once (empty), then rewritten atomically after
 * note-offs (REWRITE_MS later, or later in a long take), and a last time on close. Ctrl-C, a crash or a power cut
 * leaves the file of the last rewrite, never half a file; only notes still sounding or ended in the last moments are
 * missing.
 */
import { isSpecialFile, writeFileAtomic } from '../files.js';
import { notesToMidiBytes, partsToMidiBytes } from '../midi/write.js';
import type { NoteEvent } from '../types.js';
import type { LiveEvent } from '../types.js';
import { NoteCollector } from './noteCollector.js';
import type { LiveSink } from './pipeline.js';

/** How stale the file may be after a note-off, in a short take. */
export const REWRITE_MS = 250;
/**
 * The most of the time rewriting may take: its cost grows with the take (about 4 µs a note), so a long take is
 * rewritten less often (an hour's 20 000 notes: every second or so) instead of taking over the CPU.
 */
const REWRITE_SHARE = 0.1;

export interface RecordOptions {
  /** General MIDI program 0–127 written in the file. */
  program?: number;
  trackName?: string;
  rewriteMs?: number;
  /** Which part (track) an event belongs to, for a file of several players: a track each, named by part. */
  partOf?: (event: LiveEvent) => string;
  /** Replace a file already at `file` (default true); false creates it exclusively. */
  overwrite?: boolean;
}

export interface RecordSink extends LiveSink {
  /** The notes completed so far (of every part). */
  readonly notes: NoteEvent[];
}

/** Creates `file` (empty and whole) and returns a sink that keeps it up to date. */
export async function recordSink(
  file: string,
  { program, trackName = 'jam live', rewriteMs = REWRITE_MS, partOf, overwrite = true }: RecordOptions = {},
): Promise<RecordSink> {
  const parts = new Map<string, NoteCollector>();
  const collectorOf = (part: string): NoteCollector => {
    if (!parts.has(part)) parts.set(part, new NoteCollector());
    return parts.get(part)!;
  };
  const render = (): Uint8Array =>
    partOf
      ? partsToMidiBytes([...parts].map(([name, collector]) => ({ name, notes: collector.notes, program })))
      : notesToMidiBytes(collectorOf(trackName).notes, { program, trackName });
  // A device or FIFO (/dev/stdout, a pipe to another program) gets the take once, whole, at the end: rewrites would
  // send it one MIDI file after another.
  const special = isSpecialFile(file);
  if (!special) await writeFileAtomic(file, render(), { overwrite });

  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let failure: unknown;
  let lastTime = 0;
  let lastCostMs = 0;
  const rewrite = (): Promise<void> => {
    timer = undefined;
    writing = writing
      .then(async () => {
        const started = performance.now();
        await writeFileAtomic(file, render(), { overwrite: true });
        lastCostMs = performance.now() - started;
      })
      .catch((error) => void (failure ??= error));
    return writing;
  };

  return {
    get notes() {
      return [...parts.values()].flatMap((collector) => collector.notes);
    },
    write(event: LiveEvent) {
      if (failure) throw failure;
      lastTime = Math.max(lastTime, event.time);
      const completed = collectorOf(partOf?.(event) ?? trackName).add(event);
      if (completed && !timer && !special) timer = setTimeout(rewrite, Math.max(rewriteMs, lastCostMs / REWRITE_SHARE));
    },
    async close() {
      clearTimeout(timer);
      for (const collector of parts.values()) collector.finish(lastTime);
      await rewrite();
      if (failure) throw failure;
    },
  };
}
