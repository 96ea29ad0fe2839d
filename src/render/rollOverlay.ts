/** What is drawn over the notes — key, key changes, chords with numerals, bars and beats — and where it comes from. */
import type { Analysis } from '../theory/analysis/types.js';

/** A stretch of time with a name: a chord, a key. Seconds. */
export interface LabelledSpan {
  start: number;
  end: number;
  label: string;
}

export interface ChordSpan extends LabelledSpan {
  /** The chord's Roman numeral in the key in force ("V7/V"), drawn under its name. */
  numeral?: string;
}

/** What is drawn over the notes; every part is optional. Times in seconds. */
export interface RollOverlay {
  /** The key of the whole piece ("F# minor"), shown in the header. */
  key?: string;
  /** Key regions, when the key changes: drawn as their own lane above the chords. */
  keys?: LabelledSpan[];
  chords?: ChordSpan[];
  /** Bar-line times; the first is bar 1. */
  bars?: number[];
  beats?: number[];
}

/** Merged chord spans may leave gaps this small (seconds) between repeats of one chord. */
export const SAME_TIME = 1e-6;

/** What an analysis (`analyzeNotes`) has to show: the key, key changes, chord symbols with numerals, the grid. */
export function overlayFromAnalysis(analysis: Analysis): RollOverlay {
  return {
    key: analysis.key?.name,
    keys: analysis.keyChanges.map((segment) => ({ start: segment.start, end: segment.end, label: segment.key.name })),
    chords: analysis.chords.map((chord) => ({
      start: chord.start,
      end: chord.end,
      label: chord.symbol,
      numeral: chord.numeral ?? undefined,
    })),
    bars: analysis.grid.bars,
    beats: analysis.grid.beats,
  };
}

/** Adjacent spans with the same name become one, so a chord held over several beats is named once. */
export function mergeRepeats<T extends ChordSpan>(spans: T[]): T[] {
  const merged: T[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && last.label === span.label && last.numeral === span.numeral && span.start - last.end <= SAME_TIME) {
      merged[merged.length - 1] = { ...last, end: Math.max(last.end, span.end) };
    } else {
      merged.push(span);
    }
  }
  return merged;
}
