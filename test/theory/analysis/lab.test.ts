import { describe, expect, it } from 'vitest';
import { JamError } from '../../../src/errors.js';
import { formatLab, parseLab } from '../../../src/theory/analysis/lab.js';

describe('.lab files', () => {
  it('writes one chord a line and reads it back', () => {
    const chords = [
      { start: 0, end: 1.5, label: 'N' },
      { start: 1.5, end: 3.25, label: 'C:maj' },
      { start: 3.25, end: 4.123456789, label: 'F#:maj7/5' },
    ];
    const text = formatLab(chords);
    expect(text).toBe('0.000000 1.500000 N\n1.500000 3.250000 C:maj\n3.250000 4.123457 F#:maj7/5\n');
    expect(parseLab(text, 'a.lab')).toEqual([
      ...chords.slice(0, 2),
      { start: 3.25, end: 4.123457, label: 'F#:maj7/5' },
    ]);
  });

  it('reads tabs, comments, blank lines and Windows line ends', () => {
    expect(parseLab('# Isophonics\r\n0.0\t2.0\tA:min\r\n\r\n2.0 4.0   E:7\r\n', 'a.lab')).toEqual([
      { start: 0, end: 2, label: 'A:min' },
      { start: 2, end: 4, label: 'E:7' },
    ]);
  });

  it('names the file and line of a bad line, and what is wrong', () => {
    expect(() => parseLab('0 1 C\n1 2\n', 'song.lab')).toThrow(
      new JamError('song.lab, line 2: expected "start end label", found "1 2"; a .lab file has one chord a line'),
    );
    expect(() => parseLab('0 1 C\n2 1 G\n', 'song.lab')).toThrow(/song\.lab, line 2: "2 1" is not a time span/);
    expect(() => parseLab('0 1 C:maj\n1 2 G:dom7\n', 'song.lab')).toThrow(/song\.lab, line 2: .*"G:dom7"/);
  });
});
