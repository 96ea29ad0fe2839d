/**
 * Chord recognition on a beat grid. Each span's pitch-class weights (a beat, or part of one where a chord
 * is struck off the beat) are scored against every chord of the vocabulary on every root (a template:
 * the chord's notes share most of the weight, other notes a little; the bass should be the root, or at
 * least a chord note), then the span-by-span scores are smoothed so that a chord changes only where the
 * evidence outweighs the cost of a change, which is lower on a downbeat. Scores add up over beats, so a
 * chord is judged on all the notes of its span: an arpeggio that sounds one chord note at a time still
 * adds up to its chord. Last, the chord's added notes (sevenths, sixths, ninths, suspensions) are decided
 * on the whole chord: held notes count, passing ones do not.
 */
import { ChordType, Interval, Note } from 'tonal';
import { MAJOR_THIRD, MINOR_THIRD, PERFECT_FIFTH, PITCH_CLASSES, sumSpans, total, type SpanChroma } from './chroma.js';
import { CHORD_VOCABULARY, INVERSION_DEGREES, type ChordQuality } from '../chordVocabulary.js';
import { smoothPath } from './smoothing.js';
import { plainSpelling, semitones } from './spelling.js';
import type { Mode } from './types.js';

/** Share of a beat's note weight expected outside the chord (melody, passing notes). */
const NON_CHORD_SHARE = 0.06;
/** How the bass is expected to fall: on the root, on another chord note, elsewhere. */
const BASS_ON_ROOT = 0.7;
const BASS_ON_CHORD_NOTE = 0.25;
const BASS_ELSEWHERE = 0.05;
/** How much a clear bass counts against the rest of the notes. */
const BASS_WEIGHT = 0.5;
/** "No chord" scores like a chord whose notes are spread evenly, less this, so that sound gets a chord. */
const NO_CHORD_PENALTY = 1.5;
/** Any chord's score over a silent beat, against "no chord" at 0. */
const CHORD_IN_SILENCE = -6;
/** A bass note counts as an inversion when it holds at least this share of the chord's bass. */
const INVERSION_SHARE = 0.5;
/**
 * A chord's added notes (the seventh of C7, the ninth of Cadd9) must sound in this share of the beats its
 * most persistent note sounds in, each time with at least this share of the beat's note weight: held
 * through the chord, not passed by.
 */
const ADDED_NOTE_PERSISTENCE = 0.75;
const ADDED_NOTE_PRESENCE = 0.08;
/** A chord's bass is a bass line when its clarity (see chroma.ts) averages at least this over the chord. */
const BASS_LINE_CLARITY = 0.8;
/** A chord note heard in no more than this share of the beats of the chord's most persistent note is missing. */
const ABSENT_NOTE_PRESENCE = 0.25;
/** What takes a missing third's place: a fourth (sus4) or a second (sus2). */
const SUSPENSIONS = [
  { semitone: 5, quality: 'sus4' },
  { semitone: 2, quality: 'sus2' },
];
/** With neither, and no third heard at all, the chord is root and fifth alone. */
const POWER_CHORD = '5';

export const NO_CHORD_SYMBOL = 'N';

interface Template {
  quality: ChordQuality;
  /** Interval names above the root, from tonal, root first. */
  intervals: string[];
  semitones: number[];
  /** Log-likelihood of a unit of note weight on a chord note, and off the chord. */
  onChord: number;
  offChord: number;
  /** The same for the bass, on another chord note (the root is `BASS_ROOT`) and off the chord. */
  bassOnChordNote: number;
  bassOffChord: number;
  /** Semitones above the root of its third, fifth and seventh: the notes an inversion puts in the bass. */
  chordToneSteps: number[];
}

const BASS_ROOT = Math.log(BASS_ON_ROOT);

const TEMPLATES: readonly Template[] = CHORD_VOCABULARY.map((quality) => {
  const intervals = ChordType.get(quality.tonal).intervals;
  const size = intervals.length;
  return {
    quality,
    intervals,
    semitones: intervals.map((interval) => semitones(interval) % PITCH_CLASSES),
    onChord: Math.log((1 - NON_CHORD_SHARE) / size),
    offChord: Math.log(NON_CHORD_SHARE / (PITCH_CLASSES - size)),
    bassOnChordNote: Math.log(BASS_ON_CHORD_NOTE / (size - 1)),
    bassOffChord: Math.log(BASS_ELSEWHERE / (PITCH_CLASSES - size)),
    chordToneSteps: intervals
      .filter((interval) => INVERSION_DEGREES.includes(Interval.get(interval).num))
      .map((interval) => semitones(interval) % PITCH_CLASSES),
  };
});

/** States: chord (root, quality) is quality × 12 + root; the last state is "no chord". */
const CHORD_STATES = TEMPLATES.length * PITCH_CLASSES + 1;
export const NO_CHORD = CHORD_STATES - 1;
/**
 * Recognition guesses among the qualities before the first extension-only one (the vocabulary lists them
 * first), and "no chord", which it numbers right after them; the added-note decision reaches the rest.
 */
const GUESSED_QUALITIES = TEMPLATES.findIndex((template) => template.quality.extensionOnly);
const GUESSED_CHORDS = (GUESSED_QUALITIES < 0 ? TEMPLATES.length : GUESSED_QUALITIES) * PITCH_CLASSES;
const GUESSED_STATES = GUESSED_CHORDS + 1;
if (TEMPLATES.slice(GUESSED_CHORDS / PITCH_CLASSES).some((template) => !template.quality.extensionOnly)) {
  throw new Error('the chord vocabulary must list its extension-only qualities last');
}

export function chordState(root: number, quality: string): number {
  return qualityIndex(quality) * PITCH_CLASSES + root;
}

export function stateRoot(state: number): number {
  return state % PITCH_CLASSES;
}

export function stateQuality(state: number): ChordQuality {
  return TEMPLATES[Math.floor(state / PITCH_CLASSES)].quality;
}

/** Whether a chord can stand as a major or a minor tonic: a major or minor third over a perfect fifth. */
export function stateTriad(state: number): Mode | null {
  if (state === NO_CHORD) return null;
  const steps = TEMPLATES[Math.floor(state / PITCH_CLASSES)].semitones;
  if (!steps.includes(PERFECT_FIFTH)) return null;
  return steps.includes(MAJOR_THIRD) ? 'major' : steps.includes(MINOR_THIRD) ? 'minor' : null;
}

/** The pitch classes of a chord state. */
export function statePitchClasses(state: number): number[] {
  const template = TEMPLATES[Math.floor(state / PITCH_CLASSES)];
  return template.semitones.map((offset) => (stateRoot(state) + offset) % PITCH_CLASSES);
}

/**
 * Every span's score for every guessed state, `[span * GUESSED_STATES + state]` (no chord is
 * GUESSED_CHORDS), each span's counted `weights[span]` times (its length in beats).
 */
function chordScores(chroma: SpanChroma, weights: Float64Array): Float64Array {
  const spans = chroma.notes.length / PITCH_CLASSES;
  const scores = new Float64Array(spans * GUESSED_STATES);
  const notes = new Float64Array(2 * PITCH_CLASSES);
  const bass = new Float64Array(2 * PITCH_CLASSES);
  for (let span = 0; span < spans; span++) {
    const row = span * GUESSED_STATES;
    const weight = weights[span];
    if (unfold(notes, chroma.notes, span) === 0) {
      scores.fill(CHORD_IN_SILENCE * weight, row, row + GUESSED_CHORDS);
      continue;
    }
    const bassWeight = unfold(bass, chroma.bass, span) > 0 ? BASS_WEIGHT * chroma.bassClarity[span] : 0;
    for (let q = 0; q < GUESSED_CHORDS / PITCH_CLASSES; q++) {
      const template = TEMPLATES[q];
      const steps = template.semitones;
      for (let root = 0; root < PITCH_CLASSES; root++) {
        let onChord = notes[root];
        let bassOnChordNote = 0;
        for (let i = 1; i < steps.length; i++) {
          onChord += notes[root + steps[i]];
          bassOnChordNote += bass[root + steps[i]];
        }
        let score = template.offChord + (template.onChord - template.offChord) * onChord + template.quality.prior;
        if (bassWeight > 0) {
          score +=
            bassWeight *
            (template.bassOffChord +
              (BASS_ROOT - template.bassOffChord) * bass[root] +
              (template.bassOnChordNote - template.bassOffChord) * bassOnChordNote);
        }
        scores[row + q * PITCH_CLASSES + root] = score * weight;
      }
    }
    scores[row + GUESSED_CHORDS] = (Math.log(1 / PITCH_CLASSES) * (1 + bassWeight) - NO_CHORD_PENALTY) * weight;
  }
  return scores;
}

/**
 * Copies span `span` of `values` into `into` twice over (24 places), scaled to sum to 1, so that the
 * pitch class a step above any root needs no wrapping; returns the span's total.
 */
function unfold(into: Float64Array, values: Float64Array, span: number): number {
  const sum = total(values, span * PITCH_CLASSES, (span + 1) * PITCH_CLASSES);
  for (let pc = 0; pc < PITCH_CLASSES; pc++) {
    into[pc] = into[pc + PITCH_CLASSES] = sum > 0 ? values[span * PITCH_CLASSES + pc] / sum : 0;
  }
  return sum;
}

/**
 * The smoothed chord state of every span; `weights[span]` is its length in beats, `changeCost(span)` the
 * cost of a new chord starting there.
 */
export function recognizeChords(
  chroma: SpanChroma,
  weights: Float64Array,
  changeCost: (span: number) => number,
): Int32Array {
  return smoothPath(chordScores(chroma, weights), GUESSED_STATES, changeCost).map((state) =>
    state === GUESSED_CHORDS ? NO_CHORD : state,
  );
}

/**
 * For each quality, the qualities sharing its triad (root, third, fifth), fewest notes first: C, C6, C7, Cmaj7, C9, …
 */
const FAMILIES: readonly number[][] = TEMPLATES.map((template) =>
  TEMPLATES.map((_, q) => q)
    .filter((q) => sameTriad(TEMPLATES[q], template))
    .sort((a, b) => TEMPLATES[a].semitones.length - TEMPLATES[b].semitones.length || a - b),
);

function sameTriad(a: Template, b: Template): boolean {
  return a.semitones.slice(0, 3).join() === b.semitones.slice(0, 3).join();
}

/**
 * Decides a chord's added notes on the whole of its span (spans `from` to `to`, each `weights[span]`
 * beats long): of the chords on the same root and triad, the richest whose added notes all sound through
 * the span about as persistently as the chord's own most persistent note. A melody that passes over a
 * seventh does not make a seventh chord; a seventh held in the accompaniment does, and so does one that
 * an arpeggio or a comping pattern sounds as often as the root. A major or minor chord whose third is
 * hardly heard is a suspended chord when a fourth or second is held (with its own added notes: G7sus4),
 * and a power chord (A5) when neither is. Last, when the notes held as long as the chord's own are not
 * the chord's, and they are exactly a chord of the vocabulary on another root, that is the chord: E G B
 * with C held throughout is Cmaj7 on its third, not Em with a stray note; C E F A (an F chord over C) is
 * Fmaj7, not C6 with an F; F B D is Bdim over F, not Fdim7 without its third. A bass line that has named
 * the root keeps the chord, unless a note of the chord is missing.
 */
export function withAddedNotes(
  state: number,
  chroma: SpanChroma,
  weights: Float64Array,
  from: number,
  to: number,
): number {
  if (state === NO_CHORD) return state;
  const root = stateRoot(state);
  const rawPresence = notePresence(root, chroma, weights, from, to);
  const reference = Math.max(...TEMPLATES[Math.floor(state / PITCH_CLASSES)].semitones.map(rawPresence));
  const presence = (semitone: number): number => (reference > 0 ? rawPresence(semitone) / reference : 0);
  const held = (semitone: number): boolean => presence(semitone) >= ADDED_NOTE_PERSISTENCE;
  let quality = Math.floor(state / PITCH_CLASSES);
  const triad = TEMPLATES[quality].semitones.slice(0, 3);
  const third = triad.find((semitone) => semitone === MINOR_THIRD || semitone === MAJOR_THIRD);
  if (third !== undefined && triad.includes(PERFECT_FIFTH) && presence(third) <= ABSENT_NOTE_PRESENCE) {
    const suspension = SUSPENSIONS.find(({ semitone }) => held(semitone));
    if (suspension) quality = qualityIndex(suspension.quality);
    else if (presence(MINOR_THIRD) === 0 && presence(MAJOR_THIRD) === 0) quality = qualityIndex(POWER_CHORD);
  }
  const base = TEMPLATES[quality].semitones.slice(0, 3);
  let best = FAMILIES[quality][0];
  for (const candidate of FAMILIES[quality]) {
    const added = TEMPLATES[candidate].semitones.filter((semitone) => !base.includes(semitone));
    if (added.every(held) && TEMPLATES[candidate].semitones.length >= TEMPLATES[best].semitones.length)
      best = candidate;
  }
  const decided = best * PITCH_CLASSES + root;
  let heldMask = 0;
  for (let semitone = 0; semitone < PITCH_CLASSES; semitone++) {
    const ownNote = (STATE_MASKS[decided] >> ((root + semitone) % PITCH_CLASSES)) & 1;
    if (held(semitone) || (ownNote && presence(semitone) > ABSENT_NOTE_PRESENCE))
      heldMask |= 1 << ((root + semitone) % PITCH_CLASSES);
  }
  const allThere = (STATE_MASKS[decided] & ~heldMask) === 0;
  if (heldMask === STATE_MASKS[decided] || (allThere && hasBassLine(chroma, weights, from, to))) return decided;
  return chordOfNotes(heldMask, sumSpans(chroma.bass, from, to)) ?? decided;
}

/** Whether a bass line stands apart below the chord for most of its span: then the bass has already named the root. */
function hasBassLine(chroma: SpanChroma, weights: Float64Array, from: number, to: number): boolean {
  let clarity = 0;
  for (let span = from; span < to; span++) clarity += chroma.bassClarity[span] * weights[span];
  return clarity / total(weights, from, to) >= BASS_LINE_CLARITY;
}

/** Each state's pitch classes as a 12-bit mask (no chord: 0). */
const STATE_MASKS: Int32Array = Int32Array.from({ length: CHORD_STATES }, (_, state) =>
  state === NO_CHORD ? 0 : statePitchClasses(state).reduce((mask, pc) => mask | (1 << pc), 0),
);

/**
 * The chord of the vocabulary with exactly these pitch classes: rooted on the strongest bass, else with the
 * bass on its third, fifth or seventh rather than on an added note (E G A C D over E is C6/9, not D9sus4),
 * then the likeliest quality.
 */
export function chordOfNotes(mask: number, bass: Float64Array): number | null {
  let best: number | null = null;
  const rank = (state: number): number[] => [
    bass[stateRoot(state)],
    TEMPLATES[Math.floor(state / PITCH_CLASSES)].chordToneSteps.reduce(
      (sum, step) => sum + bass[(stateRoot(state) + step) % PITCH_CLASSES],
      0,
    ),
    stateQuality(state).prior,
  ];
  const outranks = (a: number[], b: number[]): boolean => {
    const differing = a.findIndex((value, i) => value !== b[i]);
    return differing >= 0 && a[differing] > b[differing];
  };
  for (let state = 0; state < NO_CHORD; state++) {
    if (STATE_MASKS[state] !== mask) continue;
    if (best === null || outranks(rank(state), rank(best))) best = state;
  }
  return best;
}

/**
 * How persistently each pitch class (in semitones above `root`) sounds over spans `from` to `to`: the
 * share of the sounding beats in which it has at least ADDED_NOTE_PRESENCE of the note weight.
 */
function notePresence(
  root: number,
  chroma: SpanChroma,
  weights: Float64Array,
  from: number,
  to: number,
): (semitone: number) => number {
  const sounding = new Float64Array(PITCH_CLASSES);
  let beats = 0;
  for (let span = from; span < to; span++) {
    const sum = total(chroma.notes, span * PITCH_CLASSES, (span + 1) * PITCH_CLASSES);
    if (sum === 0) continue;
    beats += weights[span];
    for (let pc = 0; pc < PITCH_CLASSES; pc++)
      if (chroma.notes[span * PITCH_CLASSES + pc] / sum >= ADDED_NOTE_PRESENCE) sounding[pc] += weights[span];
  }
  return (semitone) => (beats > 0 ? sounding[(root + semitone) % PITCH_CLASSES] / beats : 0);
}

function qualityIndex(name: string): number {
  const index = TEMPLATES.findIndex((template) => template.quality.name === name);
  if (index < 0) throw new Error(`no chord quality ${name} in the vocabulary`);
  return index;
}

/**
 * The chord's bass note when it is inverted: the chord note, other than the root, that holds at least
 * INVERSION_SHARE of the bass weight over the chord's span. Null in root position.
 */
export function inversionBass(state: number, bass: ArrayLike<number>): number | null {
  if (state === NO_CHORD) return null;
  const sum = total(bass);
  if (sum === 0) return null;
  const [, ...others] = statePitchClasses(state);
  const strongest = others.reduce((best, pc) => (bass[pc] > bass[best] ? pc : best), others[0]);
  return bass[strongest] / sum >= INVERSION_SHARE ? strongest : null;
}

export interface ChordName {
  symbol: string;
  /** Harte syntax. */
  label: string;
  root: string | null;
  bass: string | null;
}

/**
 * A chord's lead-sheet symbol and Harte label, with its root spelled `root` (spelled for the key, see
 * roman.ts) and its other notes spelled from the root.
 */
export function chordName(state: number, bassPitchClass: number | null, root: string): ChordName {
  if (state === NO_CHORD) return { symbol: NO_CHORD_SYMBOL, label: NO_CHORD_SYMBOL, root: null, bass: null };
  const template = TEMPLATES[Math.floor(state / PITCH_CLASSES)];
  const bassIndex = bassPitchClass === null ? -1 : statePitchClasses(state).indexOf(bassPitchClass);
  const bass = bassIndex > 0 ? plainSpelling(Note.transpose(root, template.intervals[bassIndex])) : null;
  const symbol = `${root}${template.quality.suffix}${bass ? `/${bass}` : ''}`;
  const label = `${root}:${template.quality.harte}${bass ? `/${harteDegree(template.intervals[bassIndex])}` : ''}`;
  return { symbol, label, root, bass };
}

/** An interval as a Harte scale degree: "3m" → "b3", "5P" → "5", "7d" → "bb7". */
function harteDegree(interval: string): string {
  const { num, alt } = Interval.get(interval);
  const accidental = alt < 0 ? 'b'.repeat(-alt) : '#'.repeat(alt);
  return `${accidental}${num}`;
}
