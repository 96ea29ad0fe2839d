/**
 * MIREX .lab files: one chord a line, `start end label`, times in seconds, labels in Harte syntax, as
 * Isophonics, mir_eval and most chord datasets write them. Lines starting with # are comments.
 */
import { excerpt, JamError } from '../../errors.js';
import { parseHarte } from './harte.js';

export interface LabeledInterval {
  start: number;
  end: number;
  label: string;
}

const COMMENT = '#';
/** Times are written to the microsecond, like the Isophonics annotations. */
const TIME_DECIMALS = 6;

/** Reads a .lab file's text; a bad line is a JamError naming the file, the line and what is wrong. */
export function parseLab(text: string, name: string): LabeledInterval[] {
  const intervals: LabeledInterval[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith(COMMENT)) return;
    const where = `${name}, line ${index + 1}`;
    const fields = trimmed.split(/\s+/);
    if (fields.length !== 3)
      throw new JamError(
        `${where}: expected "start end label", found ${excerpt(trimmed)}; a .lab file has one chord a line`,
      );
    const [start, end] = fields.slice(0, 2).map(Number);
    if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end < start) {
      throw new JamError(
        `${where}: "${fields[0]} ${fields[1]}" is not a time span in seconds (start ≤ end); fix the line`,
      );
    }
    try {
      parseHarte(fields[2]);
    } catch (error) {
      throw new JamError(`${where}: ${(error as Error).message}`);
    }
    intervals.push({ start, end, label: fields[2] });
  });
  return intervals;
}

export function formatLab(intervals: LabeledInterval[]): string {
  return intervals
    .map(({ start, end, label }) => `${start.toFixed(TIME_DECIMALS)} ${end.toFixed(TIME_DECIMALS)} ${label}\n`)
    .join('');
}
