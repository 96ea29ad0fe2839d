// The POP909 development songs (../shared/data/pop909-dev, see its README): each song's two MIDI files, its
// two chord timelines and its key, and the fixed rule that splits them into two halves for cross-validation:
// songs with an even number are the "fit" half (every setting and table is chosen on them), odd ones the
// "check" half (only reported).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const POP909_FOLDER =
  process.env.POP909_DEV ?? path.resolve(HERE, '..', '..', '..', 'shared', 'data', 'pop909-dev');

export const HALVES = ['even', 'odd'];

/** Which half a song is in: by the parity of its number. */
export function halfOf(number) {
  return number % 2 === 0 ? 'even' : 'odd';
}

function readLab(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [start, end, label] = line.trim().split(/\s+/);
      return { start: Number(start), end: Number(end), label };
    });
}

/** "G:maj" → "G major". */
function keyName(label) {
  const [tonic, mode] = label.split(':');
  return `${tonic} ${mode === 'min' ? 'minor' : 'major'}`;
}

/** The song's key: the longest key segment. */
function songKey(file) {
  const segments = readLab(file);
  const longest = segments.reduce((best, s) => (s.end - s.start > best.end - best.start ? s : best));
  return { key: keyName(longest.label), segments };
}

/** Every song of the folder (optionally only one half), in number order; [] when the folder is absent. */
export function pop909Songs(half, folder = POP909_FOLDER) {
  if (!existsSync(folder)) return [];
  const numbers = readdirSync(folder)
    .filter((file) => /^\d+\.mid$/.test(file))
    .map((file) => Number.parseInt(file, 10))
    .sort((a, b) => a - b);
  return numbers
    .filter((number) => !half || halfOf(number) === half)
    .map((number) => {
      const id = String(number).padStart(3, '0');
      const at = (suffix) => path.join(folder, `${id}${suffix}`);
      return {
        id,
        number,
        half: halfOf(number),
        midi: at('.mid'),
        clMidi: at('.cl.mid'),
        chords: () => readLab(at('.chords.lab')),
        clChords: () => readLab(at('.cl.chords.lab')),
        key: () => songKey(at('.key.txt')).key,
        keySegments: () => songKey(at('.key.txt')).segments,
      };
    });
}
