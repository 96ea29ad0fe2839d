/**
 * The chords jam recognises. Each quality's notes come from tonal's chord dictionary (`tonal`, a name
 * ChordType.get knows); the rest is how jam writes it: lead-sheet suffix, Harte shorthand for .lab files,
 * Roman-numeral case and suffix, and a prior, in log units, that makes plain triads the default reading and
 * richer chords need their extra notes to be heard.
 */
export interface ChordQuality {
  /** jam's name for the quality: the Harte shorthand where Harte has one. */
  name: string;
  tonal: string;
  suffix: string;
  harte: string;
  /** Roman numerals of this quality are upper case (major, augmented, suspended) or lower case. */
  numeralCase: 'upper' | 'lower';
  numeralSuffix: string;
  prior: number;
  /**
   * Never recognition's first guess: reached from its triad when its added notes are held, or named by
   * its notes (see withAddedNotes), so the richer vocabulary costs recognition nothing. Listed last.
   */
  extensionOnly?: boolean;
}

/**
 * The notes an inversion may put in the bass and keep the chord's sound: its third, fifth and seventh (degrees above
 * the root).
 */
export const INVERSION_DEGREES: readonly number[] = [3, 5, 7];

export const CHORD_VOCABULARY: readonly ChordQuality[] = [
  { name: 'maj', tonal: 'M', suffix: '', harte: 'maj', numeralCase: 'upper', numeralSuffix: '', prior: 0 },
  { name: 'min', tonal: 'm', suffix: 'm', harte: 'min', numeralCase: 'lower', numeralSuffix: '', prior: 0 },
  { name: '7', tonal: '7', suffix: '7', harte: '7', numeralCase: 'upper', numeralSuffix: '7', prior: -0.3 },
  {
    name: 'maj7',
    tonal: 'maj7',
    suffix: 'maj7',
    harte: 'maj7',
    numeralCase: 'upper',
    numeralSuffix: 'maj7',
    prior: -0.4,
  },
  { name: 'min7', tonal: 'm7', suffix: 'm7', harte: 'min7', numeralCase: 'lower', numeralSuffix: '7', prior: -0.3 },
  { name: 'dim', tonal: 'dim', suffix: 'dim', harte: 'dim', numeralCase: 'lower', numeralSuffix: '°', prior: -0.5 },
  {
    name: 'hdim7',
    tonal: 'm7b5',
    suffix: 'm7b5',
    harte: 'hdim7',
    numeralCase: 'lower',
    numeralSuffix: 'ø7',
    prior: -0.6,
  },
  {
    name: 'dim7',
    tonal: 'dim7',
    suffix: 'dim7',
    harte: 'dim7',
    numeralCase: 'lower',
    numeralSuffix: '°7',
    prior: -0.6,
  },
  { name: 'aug', tonal: 'aug', suffix: 'aug', harte: 'aug', numeralCase: 'upper', numeralSuffix: '+', prior: -0.5 },
  {
    name: 'sus2',
    tonal: 'sus2',
    suffix: 'sus2',
    harte: 'sus2',
    numeralCase: 'upper',
    numeralSuffix: 'sus2',
    prior: -0.6,
  },
  {
    name: 'sus4',
    tonal: 'sus4',
    suffix: 'sus4',
    harte: 'sus4',
    numeralCase: 'upper',
    numeralSuffix: 'sus4',
    prior: -0.6,
  },
  { name: 'maj6', tonal: '6', suffix: '6', harte: 'maj6', numeralCase: 'upper', numeralSuffix: '6', prior: -1 },
  { name: 'min6', tonal: 'm6', suffix: 'm6', harte: 'min6', numeralCase: 'lower', numeralSuffix: '6', prior: -1.1 },
  { name: '9', tonal: '9', suffix: '9', harte: '9', numeralCase: 'upper', numeralSuffix: '9', prior: -0.8 },
  {
    name: 'maj9',
    tonal: 'maj9',
    suffix: 'maj9',
    harte: 'maj9',
    numeralCase: 'upper',
    numeralSuffix: 'maj9',
    prior: -0.9,
  },
  { name: 'min9', tonal: 'm9', suffix: 'm9', harte: 'min9', numeralCase: 'lower', numeralSuffix: '9', prior: -0.9 },
  {
    name: 'add9',
    tonal: 'add9',
    suffix: 'add9',
    harte: 'maj(9)',
    numeralCase: 'upper',
    numeralSuffix: 'add9',
    prior: -0.8,
  },
  {
    name: '5',
    tonal: '5',
    suffix: '5',
    harte: '5',
    numeralCase: 'upper',
    numeralSuffix: '5',
    prior: -1,
    extensionOnly: true,
  },
  {
    name: 'minadd9',
    tonal: 'madd9',
    suffix: 'madd9',
    harte: 'min(9)',
    numeralCase: 'lower',
    numeralSuffix: 'add9',
    prior: -0.9,
    extensionOnly: true,
  },
  {
    name: 'minmaj7',
    tonal: 'mMaj7',
    suffix: 'mMaj7',
    harte: 'minmaj7',
    numeralCase: 'lower',
    numeralSuffix: 'maj7',
    prior: -1,
    extensionOnly: true,
  },
  {
    name: '7sus4',
    tonal: '7sus4',
    suffix: '7sus4',
    harte: 'sus4(b7)',
    numeralCase: 'upper',
    numeralSuffix: '7sus4',
    prior: -0.9,
    extensionOnly: true,
  },
  // 9sus4 has the notes of tonal's "11" (1 5 b7 9 11), so one entry stands for both.
  {
    name: '9sus4',
    tonal: '9sus4',
    suffix: '9sus4',
    harte: 'sus4(b7,9)',
    numeralCase: 'upper',
    numeralSuffix: '9sus4',
    prior: -1.1,
    extensionOnly: true,
  },
  {
    name: 'maj69',
    tonal: '69',
    suffix: '69',
    harte: 'maj6(9)',
    numeralCase: 'upper',
    numeralSuffix: '6/9',
    prior: -1.2,
    extensionOnly: true,
  },
  {
    name: 'min69',
    tonal: 'm69',
    suffix: 'm69',
    harte: 'min6(9)',
    numeralCase: 'lower',
    numeralSuffix: '6/9',
    prior: -1.3,
    extensionOnly: true,
  },
  {
    name: '7b9',
    tonal: '7b9',
    suffix: '7b9',
    harte: '7(b9)',
    numeralCase: 'upper',
    numeralSuffix: '7b9',
    prior: -1.2,
    extensionOnly: true,
  },
  {
    name: '7#9',
    tonal: '7#9',
    suffix: '7#9',
    harte: '7(#9)',
    numeralCase: 'upper',
    numeralSuffix: '7#9',
    prior: -1.3,
    extensionOnly: true,
  },
  {
    name: 'min11',
    tonal: 'm11',
    suffix: 'm11',
    harte: 'min11',
    numeralCase: 'lower',
    numeralSuffix: '11',
    prior: -1.2,
    extensionOnly: true,
  },
  {
    name: '13',
    tonal: '13',
    suffix: '13',
    harte: '13',
    numeralCase: 'upper',
    numeralSuffix: '13',
    prior: -1.2,
    extensionOnly: true,
  },
  {
    name: 'maj7#11',
    tonal: 'maj7#11',
    suffix: 'maj7#11',
    harte: 'maj7(#11)',
    numeralCase: 'upper',
    numeralSuffix: 'maj7#11',
    prior: -1.3,
    extensionOnly: true,
  },
];
