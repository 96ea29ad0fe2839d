/**
 * Harte chord labels (Harte et al., ISMIR 2005), the syntax of MIREX .lab files: `N`, `X`, `C`, `A:min7`,
 * `F#:maj7/5`, `C:(1,b3,5)`, `G:7(*5,b9)`. A label is read into what mir_eval compares: the root's pitch
 * class, the chord's pitch classes above the root (a 12-place bitmap; degrees of an octave or more, like
 * 9, do not count, and the bass is always in it), and the bass's distance above the root.
 */

/** Semitones above the root of each Harte shorthand, as mir_eval knows them (extended chords within the octave). */
const QUALITY_SEMITONES: Readonly<Record<string, readonly number[]>> = {
  maj: [0, 4, 7],
  min: [0, 3, 7],
  aug: [0, 4, 8],
  dim: [0, 3, 6],
  sus4: [0, 5, 7],
  sus2: [0, 2, 7],
  '7': [0, 4, 7, 10],
  maj7: [0, 4, 7, 11],
  min7: [0, 3, 7, 10],
  minmaj7: [0, 3, 7, 11],
  maj6: [0, 4, 7, 9],
  min6: [0, 3, 7, 9],
  dim7: [0, 3, 6, 9],
  hdim7: [0, 3, 6, 10],
  maj9: [0, 4, 7, 11],
  min9: [0, 3, 7, 10],
  '9': [0, 4, 7, 10],
  min11: [0, 3, 7, 10],
  '11': [0, 4, 7, 10],
  maj13: [0, 4, 7, 11],
  min13: [0, 3, 7, 10],
  '13': [0, 4, 7, 10],
  '1': [0],
  '5': [0, 7],
};

const NATURAL_SEMITONES: Readonly<Record<string, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
/** Semitones of the scale degrees 1–13 above the root, in the major scale. */
const DEGREE_SEMITONES = [0, 0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19, 21];
const OCTAVE = 12;

export const NO_CHORD_LABEL = 'N';
const UNKNOWN_CHORD_LABEL = 'X';

export interface HarteChord {
  /** Pitch class of the root, -1 for N and X. */
  root: number;
  /** 12 places, 1 where the chord has that many semitones above its root; all -1 for X, all 0 for N. */
  bitmap: readonly number[];
  /** Semitones from the root up to the bass (0 in root position), -1 for N and X. */
  bass: number;
}

/** Root, then optionally a colon with a quality and/or a degree list, then optionally /bass. */
const LABEL_PATTERN = /^([A-G](?:b*|#*))(:([a-z0-9]+)?(?:\(([^()]*)\))?)?(?:\/(.+))?$/;
const DEGREE_PATTERN = /^(\*?)(b*|#*)(\d+)$/;

/** Reads a Harte label; throws an Error naming the label and what is wrong with it. */
export function parseHarte(label: string): HarteChord {
  if (label === NO_CHORD_LABEL) return { root: -1, bitmap: new Array(OCTAVE).fill(0), bass: -1 };
  if (label === UNKNOWN_CHORD_LABEL) return { root: -1, bitmap: new Array(OCTAVE).fill(-1), bass: -1 };
  const match = LABEL_PATTERN.exec(label);
  if (!match || (match[2] !== undefined && match[3] === undefined && match[4] === undefined)) {
    throw new Error(`"${label}" is not a Harte chord label (e.g. C:maj, A:min7, F#:maj7/5, N)`);
  }
  const [, rootName, , qualityName, degreeList, bassDegree] = match;
  // A bare root is a major chord; a root with only a degree list has just those degrees.
  const quality = qualityName ?? (degreeList === undefined ? 'maj' : '');
  const base = quality === '' ? [] : QUALITY_SEMITONES[quality];
  if (!base) throw new Error(`"${label}": unknown chord quality "${quality}"`);
  // As mir_eval: the quality's notes and the root, then each degree added (or, starred, taken away) in turn.
  const counts = new Array(OCTAVE).fill(0);
  for (const semitone of base) counts[semitone] = 1;
  counts[0] = 1;
  for (const degree of degreeList === undefined ? [] : degreeList.split(',').map((text) => text.trim())) {
    const parsed = DEGREE_PATTERN.exec(degree);
    if (!parsed) throw new Error(`"${label}": "${degree}" is not a scale degree`);
    const semitone = degreeSemitones(parsed[2], parsed[3], label);
    // Degrees of an octave or more (9, 11, 13) are left out, as mir_eval leaves them.
    if (semitone < OCTAVE) counts[mod(semitone, OCTAVE)] += parsed[1] === '*' ? -1 : 1;
  }
  const bitmap = counts.map((count) => (count > 0 ? 1 : 0));
  const bass = bassDegree === undefined ? 0 : mod(degreeSemitonesOf(bassDegree, label), OCTAVE);
  bitmap[bass] = 1;
  return { root: rootPitchClass(rootName), bitmap, bass };
}

function rootPitchClass(name: string): number {
  const accidentals = name.slice(1);
  const shift = accidentals.startsWith('#') ? accidentals.length : -accidentals.length;
  return mod(NATURAL_SEMITONES[name[0]] + shift, OCTAVE);
}

function degreeSemitonesOf(degree: string, label: string): number {
  const parsed = DEGREE_PATTERN.exec(degree);
  if (!parsed || parsed[1] === '*') throw new Error(`"${label}": "${degree}" is not a bass degree`);
  return degreeSemitones(parsed[2], parsed[3], label);
}

function degreeSemitones(accidentals: string, number: string, label: string): number {
  const degree = Number(number);
  if (degree < 1 || degree >= DEGREE_SEMITONES.length)
    throw new Error(`"${label}": scale degree ${number} is outside 1-13`);
  const shift = accidentals.startsWith('#') ? accidentals.length : -accidentals.length;
  return DEGREE_SEMITONES[degree] + shift;
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}
