/**
 * Key finding by key-profile correlation (Krumhansl–Schmuckler): a piece's pitch-class weights are
 * correlated with each of the 24 rotated major and minor profiles, and the best match is the key. Over
 * time, the same correlation in a window of bars, smoothed so that the key changes only where a new key
 * holds for a while.
 */
import { Note } from 'tonal';
import { excerpt, JamError } from '../../errors.js';
import { MAJOR_THIRD, MINOR_THIRD, PERFECT_FIFTH, PITCH_CLASSES } from './chroma.js';
import { smoothPath } from './smoothing.js';
import { KEY_PROFILES } from './keyProfiles.js';
import { tonicName } from './spelling.js';
import type { KeyEstimate, Mode, ProfileName } from './types.js';
import { round } from '../../numbers.js';

const KEYS = 2 * PITCH_CLASSES;
const MODES: readonly Mode[] = ['major', 'minor'];
/** Correlations are turned into a confidence by a softmax over the 24 keys at this temperature. */
const CONFIDENCE_TEMPERATURE = 0.05;
/** A bar's local key is judged on the notes of this many bars either side of it. */
const KEY_WINDOW_BARS = 2;
/** Local correlations count in steps of this much per bar ... */
const LOCAL_CORRELATION_UNIT = 0.1;
/** ... against the cost of a key change, and a bonus per bar for staying in the piece's key. */
const KEY_CHANGE_COST = 10;
const HOME_KEY_BONUS = 3;

/** Key index k: tonic pitch class k % 12, major below 12 and minor from 12. */
export function keyOf(index: number, confidence = 1): KeyEstimate {
  const mode = MODES[Math.floor(index / PITCH_CLASSES)];
  const tonic = tonicName(index % PITCH_CLASSES, mode);
  return { tonic, mode, name: `${tonic} ${mode}`, confidence: round(confidence, 3) };
}

export function keyIndex(tonicPitchClass: number, mode: Mode): number {
  return (mode === 'minor' ? PITCH_CLASSES : 0) + tonicPitchClass;
}

/** Pearson correlation of `weights` with the profile rotated to each of the 24 keys (index as keyOf). */
export function keyCorrelations(weights: ArrayLike<number>, profile: ProfileName): Float64Array {
  const correlations = new Float64Array(KEYS);
  let mean = 0;
  for (let pc = 0; pc < PITCH_CLASSES; pc++) mean += weights[pc] / PITCH_CLASSES;
  let norm = 0;
  for (let pc = 0; pc < PITCH_CLASSES; pc++) norm += (weights[pc] - mean) ** 2;
  if (norm === 0) return correlations;
  const rotations = rotatedProfile(profile);
  for (let key = 0; key < KEYS; key++) {
    let dot = 0;
    for (let pc = 0; pc < PITCH_CLASSES; pc++) dot += (weights[pc] - mean) * rotations[key * PITCH_CLASSES + pc];
    correlations[key] = dot / Math.sqrt(norm);
  }
  return correlations;
}

/**
 * Each profile rotated to the 24 keys, centred and scaled to length 1 (so a dot product is a correlation), worked out
 * once.
 */
const ROTATIONS = new Map<ProfileName, Float64Array>();

function rotatedProfile(profile: ProfileName): Float64Array {
  let rotations = ROTATIONS.get(profile);
  if (rotations) return rotations;
  rotations = new Float64Array(KEYS * PITCH_CLASSES);
  for (let key = 0; key < KEYS; key++) {
    const shape = KEY_PROFILES[profile][MODES[Math.floor(key / PITCH_CLASSES)]];
    const tonic = key % PITCH_CLASSES;
    const values = Array.from(
      { length: PITCH_CLASSES },
      (_, pc) => shape[(pc - tonic + PITCH_CLASSES) % PITCH_CLASSES],
    );
    const mean = values.reduce((sum, value) => sum + value, 0) / PITCH_CLASSES;
    const length = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0));
    values.forEach((value, pc) => (rotations![key * PITCH_CLASSES + pc] = (value - mean) / length));
  }
  ROTATIONS.set(profile, rotations);
  return rotations;
}

/** The index of the largest score. */
function bestIndex(scores: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

/** The best key for these scores (correlations or anything on that scale), with its confidence. */
export function keyFromScores(scores: ArrayLike<number>): KeyEstimate {
  const best = bestIndex(scores);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += Math.exp((scores[i] - scores[best]) / CONFIDENCE_TEMPERATURE);
  return keyOf(best, 1 / sum);
}

/**
 * A chord of the piece as key finding weighs it: its root, whether it is a major or minor triad, its pitch classes, its
 * length.
 */
export interface HarmonyEvent {
  root: number;
  triad: Mode | null;
  pitchClasses: number[];
  duration: number;
}

/** How much each kind of evidence that a key's tonic is home adds to that key's correlation. */
export interface HomeEvidenceWeights {
  /** Times the share of the piece's chord time spent on the tonic triad. */
  tonicShare: number;
  /** When the last chord is the tonic triad. */
  lastChord: number;
  /** When the first chord is the tonic triad. */
  firstChord: number;
  /** Times the share of chord changes that are cadences (V → I). */
  cadences: number;
  /** Times the share of the chord time spent on chords whose notes are all the key's own. */
  chordsInKey: number;
  /** When the last change is an authentic cadence into the tonic: V → I. */
  authenticEnding: number;
  /** When the last change is a plagal or modal cadence into the tonic: IV, iv or bVII → I. */
  modalEnding: number;
  /** When the last chord is the key's dominant: a half cadence, home is where it leads. */
  dominantEnding: number;
  /** Taken off when the tonic's chord also sounds in the other mode (F Fm C is not in F major). */
  otherModeTonic: number;
  /**
   * Taken off a major key when a chord holds its raised fourth (F# in C) and does not go on to V: the
   * raised fourth belongs to the dominant's own dominant (D G, F#°7 G); anywhere else it is a lydian fourth,
   * which makes the tonic sound like IV of the key a fifth up (F Em Dm C is in C: Em's B is F's raised fourth).
   */
  lydianFourth: number;
}

/**
 * A song is judged on its notes and how its chords dwell and cadence; its first and last chords may be an intro and a
 * tag.
 */
const SONG_EVIDENCE: HomeEvidenceWeights = {
  tonicShare: 0.2,
  lastChord: 0.1,
  firstChord: 0.2,
  cadences: 0.4,
  chordsInKey: 0.2,
  authenticEnding: 0,
  modalEnding: 0,
  dominantEnding: 0,
  otherModeTonic: 0,
  lydianFourth: 0,
};
/**
 * A progression of a few chords (a loop, a pack's file) is heard from its ends: home is where it starts,
 * or where its last cadence leads (V → I more surely than IV or bVII → I: F G is also IV V of C); and its
 * chords keep to the key's notes. A stray lydian fourth costs more than one chord in four leaving the key
 * (0.3), so it undoes a first chord whose key the rest of the loop leaves for the key a fifth up (F Em Dm C
 * reads C major from 0.4 on), but not the tonic of a progression that means the lydian colour (I II IV I
 * stays in I up to 0.8).
 */
const LOOP_EVIDENCE: HomeEvidenceWeights = {
  tonicShare: 0.1,
  lastChord: 0.1,
  firstChord: 0.6,
  cadences: 0,
  chordsInKey: 1.2,
  authenticEnding: 0.4,
  modalEnding: 0.3,
  dominantEnding: 0.3,
  otherModeTonic: 0.3,
  lydianFourth: 0.6,
};
/** Pieces of at most this many chords are judged as loops. */
const LOOP_CHORDS = 8;
const DOMINANT_STEP = PERFECT_FIFTH;
/** The roots, above the tonic, of the chords that cadence plagally or modally into it: IV or iv, and bVII (major). */
const SUBDOMINANT_STEP = 5;
const SUBTONIC_STEP = 10;
/** The major key's raised fourth, above the tonic: the leading tone of its dominant. */
const RAISED_FOURTH_STEP = 6;
/**
 * Pitch classes above the tonic that chords of the key may use: the scale, and in minor the raised leading tone (V,
 * vii°).
 */
const KEY_SCALES: Readonly<Record<Mode, readonly number[]>> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10, 11],
};
/**
 * Chords a major key borrows from its parallel minor, as common as its own: iv, bVI, bVII, bIII (root above the tonic,
 * triad).
 */
const BORROWED_CHORDS: readonly { step: number; triad: Mode }[] = [
  { step: 5, triad: 'minor' },
  { step: 8, triad: 'major' },
  { step: 10, triad: 'major' },
  { step: 3, triad: 'major' },
];

/**
 * Key scores that weigh, besides the notes' correlation with each key, what the chords say about home:
 * how long the key's tonic triad sounds, whether the piece starts and ends on it, how often a major
 * chord on the key's fifth resolves to it (a cadence), whether the last change cadences into it or the
 * last chord is its dominant, and how much of the time its chords keep to the key's notes (or, in major,
 * are the chords it borrows from minor), less when its tonic chord also comes in the other mode or (in
 * major) a chord holds its raised fourth without going on to V. Profiles alone confuse a key with its
 * relative minor or with the key a fifth away, which share most of their notes; the chords tell them apart
 * (I IV V IV is C major, not F: its G chord has B). A chord with a fifth and no third (sus, power chord) can stand
 * for either mode's tonic.
 */
export function homeKeyScores(
  correlations: Float64Array,
  chords: HarmonyEvent[],
  weights = chords.length <= LOOP_CHORDS ? LOOP_EVIDENCE : SONG_EVIDENCE,
): Float64Array {
  const total = chords.reduce((sum, event) => sum + event.duration, 0);
  const scores = Float64Array.from(correlations);
  if (chords.length === 0 || total === 0) return scores;
  const changes = Math.max(1, chords.length - 1);
  const masks = chords.map((event) => pitchClassMask(event.pitchClasses));
  const [first, last] = [chords[0], chords[chords.length - 1]];
  const beforeLast = chords.length > 1 ? chords[chords.length - 2] : null;
  for (let index = 0; index < KEYS; index++) {
    const tonic = index % PITCH_CLASSES;
    const mode = MODES[Math.floor(index / PITCH_CLASSES)];
    const isTonic = (event: HarmonyEvent) =>
      event.root === tonic && (event.triad === mode || (event.triad === null && isOpenFifth(event)));
    const isOn = (event: HarmonyEvent, step: number) => event.root === (tonic + step) % PITCH_CLASSES;
    const isDominant = (event: HarmonyEvent) => isOn(event, DOMINANT_STEP) && event.triad === 'major';
    const leadsHomeModally = (event: HarmonyEvent) =>
      (isOn(event, SUBDOMINANT_STEP) && event.triad !== null) ||
      (isOn(event, SUBTONIC_STEP) && event.triad === 'major');
    const isBorrowed = (event: HarmonyEvent, mask: number) =>
      mode === 'major' &&
      (mask & ~MIXTURE_SCALE_MASKS[tonic]) === 0 &&
      BORROWED_CHORDS.some(({ step, triad }) => isOn(event, step) && event.triad === triad);
    const scale = KEY_SCALE_MASKS[index];
    const raisedFourth = 1 << ((tonic + RAISED_FOURTH_STEP) % PITCH_CLASSES);
    const endsHome = beforeLast !== null && isTonic(last);
    let tonicTime = 0;
    let inKeyTime = 0;
    let cadences = 0;
    let otherModeTonic = false;
    let lydianFourth = false;
    chords.forEach((event, i) => {
      if (
        mode === 'major' &&
        (masks[i] & raisedFourth) !== 0 &&
        !(i + 1 < chords.length && isOn(chords[i + 1], DOMINANT_STEP))
      )
        lydianFourth = true;
      if (event.root === tonic && event.triad !== null && event.triad !== mode) otherModeTonic = true;
      if (isTonic(event)) tonicTime += event.duration;
      if ((masks[i] & ~scale) === 0 || isBorrowed(event, masks[i])) inKeyTime += event.duration;
      if (i > 0 && isTonic(event) && isDominant(chords[i - 1])) cadences++;
    });
    scores[index] +=
      weights.tonicShare * (tonicTime / total) +
      weights.lastChord * Number(isTonic(last)) +
      weights.firstChord * Number(isTonic(first)) +
      weights.cadences * (cadences / changes) +
      weights.chordsInKey * (inKeyTime / total) +
      weights.authenticEnding * Number(endsHome && isDominant(beforeLast)) +
      weights.modalEnding * Number(endsHome && leadsHomeModally(beforeLast)) +
      weights.dominantEnding * Number(isDominant(last)) -
      weights.otherModeTonic * Number(otherModeTonic) -
      weights.lydianFourth * Number(lydianFourth);
  }
  return scores;
}

/** A chord with its root's fifth and neither third: suspended, or a power chord. */
function isOpenFifth(event: HarmonyEvent): boolean {
  const has = (step: number) => event.pitchClasses.includes((event.root + step) % PITCH_CLASSES);
  return has(PERFECT_FIFTH) && !has(MAJOR_THIRD) && !has(MINOR_THIRD);
}

/** Pitch classes as a 12-bit mask. */
function pitchClassMask(pitchClasses: readonly number[]): number {
  return pitchClasses.reduce((mask, pc) => mask | (1 << pc), 0);
}

/** Each key's KEY_SCALES as a mask of pitch classes, by key index. */
const KEY_SCALE_MASKS: readonly number[] = Array.from({ length: KEYS }, (_, index) =>
  pitchClassMask(KEY_SCALES[MODES[Math.floor(index / PITCH_CLASSES)]].map((step) => (index + step) % PITCH_CLASSES)),
);
/** The notes a major key's borrowed chords may use, by tonic: its own scale and its parallel minor's. */
const MIXTURE_SCALE_MASKS: readonly number[] = Array.from(
  { length: PITCH_CLASSES },
  (_, tonic) => KEY_SCALE_MASKS[keyIndex(tonic, 'major')] | KEY_SCALE_MASKS[keyIndex(tonic, 'minor')],
);

/** Within a window of bars, the chords speak for a local tonic by how long it sounds and by cadences. */
const LOCAL_EVIDENCE: HomeEvidenceWeights = { ...SONG_EVIDENCE, firstChord: 0, lastChord: 0 };

/**
 * The key in force in each bar, given each bar's pitch-class weights (bar after bar, 12 each), the chords
 * of each bar, and the piece's key `home` (an index as keyOf): each bar's key is judged on a window of
 * bars around it, like the piece's key, and the path through them is smoothed so that a key change must
 * hold, and leaving the home key must be clearly better.
 */
export function keyPath(
  barWeights: Float64Array,
  barHarmony: HarmonyEvent[][],
  profile: ProfileName,
  home: number,
): Int32Array {
  const bars = barWeights.length / PITCH_CLASSES;
  const windowed = new Float64Array(bars * KEYS);
  const single = new Float64Array(bars * KEYS);
  for (let bar = 0; bar < bars; bar++) {
    const from = Math.max(0, bar - KEY_WINDOW_BARS);
    const to = Math.min(bars - 1, bar + KEY_WINDOW_BARS);
    windowed.set(localScores(barWeights, barHarmony, profile, from, to), bar * KEYS);
    single.set(localScores(barWeights, barHarmony, profile, bar, bar), bar * KEYS);
    windowed[bar * KEYS + home] += HOME_KEY_BONUS;
  }
  return placeChanges(
    smoothPath(windowed, KEYS, () => KEY_CHANGE_COST),
    single,
  );
}

/** Key scores, in steps of LOCAL_CORRELATION_UNIT, of bars `from` to `to` (inclusive). */
function localScores(
  barWeights: Float64Array,
  barHarmony: HarmonyEvent[][],
  profile: ProfileName,
  from: number,
  to: number,
): Float64Array {
  const window = new Float64Array(PITCH_CLASSES);
  for (let bar = from; bar <= to; bar++) {
    for (let pc = 0; pc < PITCH_CLASSES; pc++) window[pc] += barWeights[bar * PITCH_CLASSES + pc];
  }
  return homeKeyScores(keyCorrelations(window, profile), barHarmony.slice(from, to + 1).flat(), LOCAL_EVIDENCE).map(
    (score) => score / LOCAL_CORRELATION_UNIT,
  );
}

/**
 * A window straddling a key change blurs where it falls; each change is moved, within a window's reach,
 * to the bar that best splits the bars before it (old key) from those after (new key), bar by bar.
 */
function placeChanges(path: Int32Array, single: Float64Array): Int32Array {
  const placed = Int32Array.from(path);
  for (let bar = 1; bar < path.length; bar++) {
    if (path[bar] === path[bar - 1]) continue;
    const [before, after] = [path[bar - 1], path[bar]];
    let low = bar;
    while (low > 1 && low > bar - KEY_WINDOW_BARS && path[low - 1] === before && path[low - 2] === before) low--;
    let high = bar;
    while (high < path.length - 1 && high < bar + KEY_WINDOW_BARS && path[high + 1] === after) high++;
    let best = bar;
    let bestGain = -Infinity;
    for (let change = low; change <= high; change++) {
      let gain = 0;
      for (let other = low; other <= high; other++) gain += single[other * KEYS + (other < change ? before : after)];
      if (gain > bestGain) [best, bestGain] = [change, gain];
    }
    for (let other = low; other <= high; other++) placed[other] = other < best ? before : after;
  }
  return placed;
}

/** Parses a key as mir_eval writes it, "C# major", "eb minor" (any case, any tonal note name). */
export function parseKey(text: string, name = 'key'): KeyEstimate {
  const match = /^\s*([a-g](?:#+|b+)?)\s+(major|minor)\s*$/i.exec(text);
  const tonic = match && Note.get(match[1][0].toUpperCase() + match[1].slice(1).toLowerCase());
  if (!match || !tonic || tonic.empty)
    throw new JamError(`${name}: ${excerpt(text.trim())} is not a key; write it like "C major" or "F# minor"`);
  const mode = match[2].toLowerCase() as Mode;
  return { tonic: tonic.pc, mode, name: `${tonic.pc} ${mode}`, confidence: 1 };
}

export function keyPitchClass(key: KeyEstimate): number {
  return Note.chroma(key.tonic) ?? 0;
}
