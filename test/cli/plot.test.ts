import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pictureFiles, plotTranscription } from '../../src/cli/plot.js';
import { outputPathsFor } from '../../src/app/outputs.js';
import type { NoteEvent } from '../../src/types.js';
import { elementsOfClass, parseSvg } from '../helpers/svg.js';

/** C – F – G – C as block chords, a second each. */
const CADENCE: NoteEvent[] = [
  [48, 60, 64, 67],
  [53, 60, 65, 69],
  [55, 62, 67, 71],
  [48, 60, 64, 67],
].flatMap((chord, i) => chord.map((pitch) => ({ pitch, start: i, end: i + 1, velocity: 80 })));

describe('the picture jam transcribe --plot writes', () => {
  const plotPath = (input: string, output?: string, outDir?: string) =>
    outputPathsFor(input, { output, outDir, plot: true }).plot;

  it('goes beside the MIDI file, named after it', () => {
    expect(plotPath('takes/take.wav', 'out/take.mid')).toBe('out/take.svg');
    expect(plotPath('take.wav', 'take.MIDI')).toBe('take.svg');
    expect(plotPath('takes/take.wav')).toBe(join('takes', 'take.svg'));
    expect(plotPath('takes/take.wav', undefined, 'pictures')).toBe(join('pictures', 'take.svg'));
  });

  it('with the MIDI on standard output, goes to the output folder or the current one', () => {
    expect(plotPath('takes/take.wav', '-')).toBe('take.svg');
    expect(plotPath('takes/take.wav', '-', 'pictures')).toBe(join('pictures', 'take.svg'));
    expect(plotPath('-', '-')).toBe('stdin.svg');
  });

  it('is the piano roll of the notes with their key and chords, titled with the input', () => {
    const svg = plotTranscription({ notes: CADENCE, duration: 4.5 }, 'takes/cadence.wav');
    expect(() => parseSvg(svg)).not.toThrow();
    expect(elementsOfClass(svg, 'note')).toHaveLength(CADENCE.length);
    expect(elementsOfClass(svg, 'title')[0].text).toBe('cadence.wav');
    expect(elementsOfClass(svg, 'key')[0].text).toMatch(/^Key: /);
    expect(elementsOfClass(svg, 'chord').length).toBeGreaterThan(0);
    expect(elementsOfClass(plotTranscription({ notes: CADENCE, duration: 4.5 }, '-'), 'title')[0].text).toBe(
      'standard input',
    );
  });
});

describe('picture files', () => {
  it('are the SVG, then the PNG when asked for', () => {
    const files = pictureFiles(CADENCE, {}, { title: 'cadence' }, { svg: 'a.svg', png: 'a.png' });
    expect(files.map(([file]) => file)).toEqual(['a.svg', 'a.png']);
    expect(typeof files[0][1]).toBe('string');
    expect(files[1][1]).toBeInstanceOf(Uint8Array);
    expect(pictureFiles(CADENCE, {}, {}, { png: 'b.png' }).map(([file]) => file)).toEqual(['b.png']);
  });
});
