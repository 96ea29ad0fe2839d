/**
 * The single chords of a pack, per key: the triads, sevenths and ninths of every degree as Roman numerals,
 * and the other chord types built on each note of the major scale. Minor keys add the harmonic minor's
 * major V, the chord most minor progressions cadence on. A ninth is given where the degree's ninth is a
 * major ninth: on iii and vii° (ii° and v in minor) it would be a minor ninth, a clash producers avoid.
 */
export interface DegreeChords {
  triads: string[];
  sevenths: string[];
  ninths: string[];
}

export const MAJOR_KEY_CHORDS: DegreeChords = {
  triads: ['I', 'ii', 'iii', 'IV', 'V', 'vi', 'vii°'],
  sevenths: ['Imaj7', 'ii7', 'iii7', 'IVmaj7', 'V7', 'vi7', 'viiø7'],
  ninths: ['Imaj9', 'ii9', 'IVmaj9', 'V9', 'vi9'],
};

export const MINOR_KEY_CHORDS: DegreeChords = {
  triads: ['i', 'ii°', 'bIII', 'iv', 'v', 'bVI', 'bVII', 'V'],
  sevenths: ['i7', 'iiø7', 'bIIImaj7', 'iv7', 'v7', 'bVImaj7', 'bVII7', 'V7'],
  ninths: ['i9', 'bIIImaj9', 'iv9', 'bVImaj9', 'bVII9'],
};

/** Chord types (tonal symbols) of the "other chords" folder. */
export const OTHER_CHORD_TYPES = ['sus2', 'sus4', 'add9', '6', '11', '13', 'dim7', 'aug'];

/** The major keys of a pack, one per pitch class, spelled as key signatures usually are. */
export const PACK_MAJOR_TONICS = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
