/**
 * What the letters after a Roman numeral mean: the chord type, written as a tonal chord symbol, for an
 * upper-case (major) and a lower-case (minor) numeral. `ii7` is a minor seventh and `V7` a dominant one;
 * `vii°`, `Isus4` or `V+` say their quality outright, whatever the case. A suffix missing for one case is
 * not a chord in that case (`i+` is neither minor nor augmented).
 */
export interface SuffixMeaning {
  upper?: string;
  lower?: string;
}

const either = (type: string): SuffixMeaning => ({ upper: type, lower: type });

export const NUMERAL_SUFFIXES: Readonly<Record<string, SuffixMeaning>> = {
  '': { upper: '', lower: 'm' },
  // sevenths
  '7': { upper: '7', lower: 'm7' },
  maj7: { upper: 'maj7', lower: 'mMaj7' },
  M7: { upper: 'maj7', lower: 'mMaj7' },
  Δ: { upper: 'maj7', lower: 'mMaj7' },
  Δ7: { upper: 'maj7', lower: 'mMaj7' },
  // sixths and extensions
  '6': { upper: '6', lower: 'm6' },
  '69': { upper: '6/9', lower: 'm69' },
  '6/9': { upper: '6/9', lower: 'm69' },
  '9': { upper: '9', lower: 'm9' },
  maj9: { upper: 'maj9', lower: 'mMaj9' },
  '11': { upper: '11', lower: 'm11' },
  '13': { upper: '13', lower: 'm13' },
  maj13: { upper: 'maj13' },
  add9: { upper: 'add9', lower: 'madd9' },
  add2: { upper: 'add9', lower: 'madd9' },
  // suspended and power chords have no third, so the case says nothing
  sus2: either('sus2'),
  sus4: either('sus4'),
  sus: either('sus4'),
  '7sus4': either('7sus4'),
  '7sus': either('7sus4'),
  '9sus4': either('9sus4'),
  '5': either('5'),
  // diminished, half-diminished, augmented
  '°': either('dim'),
  o: either('dim'),
  dim: either('dim'),
  '°7': either('dim7'),
  o7: either('dim7'),
  dim7: either('dim7'),
  ø: either('m7b5'),
  ø7: either('m7b5'),
  m7b5: either('m7b5'),
  '+': { upper: 'aug' },
  aug: { upper: 'aug' },
  '+7': { upper: '7#5' },
  // altered dominants
  '7b9': { upper: '7b9' },
  '7#9': { upper: '7#9' },
  '7#11': { upper: '7#11' },
  '7b5': { upper: '7b5' },
  '7#5': { upper: '7#5' },
  'maj7#11': { upper: 'maj7#11' },
  // tonal's own spelling, an upper-case numeral with a minor type: IIm7
  m: { upper: 'm' },
  m6: { upper: 'm6' },
  m7: { upper: 'm7' },
  m9: { upper: 'm9' },
  m11: { upper: 'm11' },
  mMaj7: { upper: 'mMaj7' },
};

/** The suffixes offered when a numeral is mistyped: the everyday ones. */
export const COMMON_NUMERAL_SUFFIXES = ['', '7', 'maj7', '°', 'ø7', '6', '9', 'sus4', 'sus2', 'add9'];
