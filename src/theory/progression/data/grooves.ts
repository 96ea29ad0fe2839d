/**
 * Comping patterns for one bar of 4/4, in beats from the chord's start: when the chord and the bass are
 * struck, for how long, and how hard (MIDI velocity). A chord longer than a bar repeats its pattern; a
 * shorter one plays the pattern's start. Every pattern strikes at beat 0, so each chord is heard whole the
 * moment it begins.
 */
/** A groove's pattern spans one bar of this many beats. */
export const GROOVE_BAR_BEATS = 4;

export interface Hit {
  at: number;
  length: number;
  velocity: number;
}

export interface Groove {
  describe: string;
  chord: Hit[];
  bass: Hit[];
}

export const GROOVE_NAMES = ['pop', 'syncopated-pop', 'soul', 'hip-hop'] as const;
export type GrooveName = (typeof GROOVE_NAMES)[number];

export const GROOVES: Readonly<Record<GrooveName, Groove>> = {
  pop: {
    describe: 'straight eighths, accents on the beat',
    chord: [
      { at: 0, length: 0.5, velocity: 100 },
      { at: 0.5, length: 0.5, velocity: 72 },
      { at: 1, length: 0.5, velocity: 90 },
      { at: 1.5, length: 0.5, velocity: 72 },
      { at: 2, length: 0.5, velocity: 96 },
      { at: 2.5, length: 0.5, velocity: 72 },
      { at: 3, length: 0.5, velocity: 90 },
      { at: 3.5, length: 0.5, velocity: 72 },
    ],
    bass: [
      { at: 0, length: 1.5, velocity: 100 },
      { at: 2, length: 1.5, velocity: 92 },
    ],
  },
  'syncopated-pop': {
    describe: 'the 3-3-2 figure: dotted quarters, then a quarter',
    chord: [
      { at: 0, length: 1.5, velocity: 104 },
      { at: 1.5, length: 1.5, velocity: 92 },
      { at: 3, length: 1, velocity: 96 },
    ],
    bass: [
      { at: 0, length: 1.5, velocity: 104 },
      { at: 1.5, length: 1.5, velocity: 92 },
      { at: 3, length: 1, velocity: 96 },
    ],
  },
  soul: {
    describe: 'a held chord, a sixteenth push into beat three, a ghosted offbeat',
    chord: [
      { at: 0, length: 1.25, velocity: 100 },
      { at: 1.75, length: 0.25, velocity: 64 },
      { at: 2, length: 1, velocity: 94 },
      { at: 3.5, length: 0.5, velocity: 70 },
    ],
    bass: [
      { at: 0, length: 0.75, velocity: 100 },
      { at: 1.5, length: 0.5, velocity: 80 },
      { at: 2, length: 1.5, velocity: 94 },
    ],
  },
  'hip-hop': {
    describe: 'a long laid-back chord and a late sixteenth stab',
    chord: [
      { at: 0, length: 2.5, velocity: 98 },
      { at: 2.75, length: 0.25, velocity: 76 },
      { at: 3, length: 1, velocity: 88 },
    ],
    bass: [
      { at: 0, length: 1.75, velocity: 104 },
      { at: 2.75, length: 1.25, velocity: 90 },
    ],
  },
};
