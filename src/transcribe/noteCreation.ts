/**
 * Posteriorgrams → notes, following basic-pitch's note_creation.py step by step, in time linear in the
 * number of frames (the melodia trick visits cells in one sorted pass instead of a global argmax per note).
 */
import { MAX_VELOCITY, MIN_VELOCITY } from '../notes.js';
import type { NoteEvent } from '../types.js';
import {
  ANNOT_N_FRAMES,
  ANNOTATIONS_FPS,
  AUDIO_SAMPLE_RATE,
  CONTOUR_BIN_OF_NOTE_CENTRE,
  CONTOURS_BINS_PER_SEMITONE,
  DEFAULT_ENERGY_TOLERANCE,
  DEFAULT_FRAME_THRESHOLD,
  DEFAULT_MIN_NOTE_LENGTH_MS,
  DEFAULT_ONSET_THRESHOLD,
  FFT_HOP,
  INFERRED_ONSET_FRAME_DIFFS,
  MAX_FREQ_IDX,
  MIDI_OFFSET,
  N_FREQ_BINS_CONTOURS,
  N_FREQ_BINS_NOTES,
  PITCH_BEND_BINS_TOLERANCE,
  PITCH_BEND_GAUSSIAN_STD,
  WINDOW_OFFSET_SECONDS,
} from './constants.js';

/**
 * The model's posteriorgrams for a whole recording, row-major `[frame][bin]`: `note` and `onset` have 88
 * bins (A0–C8). Pitch bends need only `bendPeaks`: for each frame and note bin, where the contour peaks
 * near that note, in thirds of a semitone from in tune. The full `contour` (264 bins, a third of a semitone
 * each, three times the size of the rest) is kept only when asked for.
 */
export interface ModelOutput {
  frames: number;
  note: Float32Array;
  onset: Float32Array;
  bendPeaks: Int8Array;
  contour?: Float32Array;
}

export interface NoteCreationOptions {
  /** Onset posterior needed to start a note (0–1). */
  onsetThreshold?: number;
  /** Note posterior needed to keep a note sounding (0–1). */
  frameThreshold?: number;
  /** Shortest note kept, in milliseconds. */
  minNoteLengthMs?: number;
  /** Lowest and highest frequency (Hz) notes may have. */
  minFrequency?: number;
  maxFrequency?: number;
  /** Add onsets where the note posterior jumps up, besides the predicted ones. */
  inferOnsets?: boolean;
  /** After onset-started notes, trace the remaining energy from its peaks outward (basic-pitch's default). */
  melodiaTrick?: boolean;
  /** Frames a note may dip below the frame threshold before it ends. */
  energyTolerance?: number;
  /** Estimate pitch bends from the contour output. */
  pitchBends?: boolean;
}

/** A note in model frames, before it gets times: `end` is exclusive. */
export interface FrameNote {
  startFrame: number;
  endFrame: number;
  pitch: number;
  amplitude: number;
}

export type NoteSettings = Required<Omit<NoteCreationOptions, 'minFrequency' | 'maxFrequency'>> &
  Pick<NoteCreationOptions, 'minFrequency' | 'maxFrequency'>;

/** The options with every default filled in: the one place note creation's defaults live. */
export function noteSettings(options: NoteCreationOptions = {}): NoteSettings {
  return {
    onsetThreshold: options.onsetThreshold ?? DEFAULT_ONSET_THRESHOLD,
    frameThreshold: options.frameThreshold ?? DEFAULT_FRAME_THRESHOLD,
    minNoteLengthMs: options.minNoteLengthMs ?? DEFAULT_MIN_NOTE_LENGTH_MS,
    inferOnsets: options.inferOnsets ?? true,
    melodiaTrick: options.melodiaTrick ?? true,
    energyTolerance: options.energyTolerance ?? DEFAULT_ENERGY_TOLERANCE,
    pitchBends: options.pitchBends ?? true,
    minFrequency: options.minFrequency,
    maxFrequency: options.maxFrequency,
  };
}

/** Posteriorgrams → notes in time order, with velocities and (optionally) pitch bends. */
export function outputToNotes(output: ModelOutput, options: NoteCreationOptions = {}): NoteEvent[] {
  const frameNotes = outputToFrameNotes(output, options).sort(
    (a, b) => a.startFrame - b.startFrame || a.pitch - b.pitch,
  );
  const withBends = noteSettings(options).pitchBends;
  return frameNotes.map((note) => {
    const event: NoteEvent = {
      pitch: note.pitch,
      start: frameToTime(note.startFrame),
      end: frameToTime(note.endFrame),
      velocity: amplitudeToVelocity(note.amplitude),
    };
    if (withBends) event.bends = pitchBendsOf(output, note);
    return event;
  });
}

/** Minimum note length in milliseconds → frames, rounded as basic-pitch rounds it (127.7 ms → 11). */
export function minNoteLengthFrames(ms: number): number {
  return Math.round((ms / 1000) * (AUDIO_SAMPLE_RATE / FFT_HOP));
}

/** The time of a model frame, with basic-pitch's correction for the windows' overlap. */
export function frameToTime(frame: number): number {
  return (frame * FFT_HOP) / AUDIO_SAMPLE_RATE - WINDOW_OFFSET_SECONDS * Math.floor(frame / ANNOT_N_FRAMES);
}

export function amplitudeToVelocity(amplitude: number): number {
  return Math.min(MAX_VELOCITY, Math.max(MIN_VELOCITY, Math.round(MAX_VELOCITY * amplitude)));
}

/** Posteriorgrams → notes in frames: onset-started notes first, then (melodia trick) what energy remains. */
export function outputToFrameNotes(output: ModelOutput, options: NoteCreationOptions = {}): FrameNote[] {
  const settings = noteSettings(options);
  const { frames } = output;
  // Copies only when the frequency range changes them: an hour of posteriorgrams is 100 MB each.
  const limited = settings.minFrequency !== undefined || settings.maxFrequency !== undefined;
  const note = limited ? output.note.slice() : output.note;
  const predicted = limited ? output.onset.slice() : output.onset;
  if (limited) constrainFrequency(note, predicted, settings.minFrequency, settings.maxFrequency);
  const onset = settings.inferOnsets
    ? inferredOnsetStrength(predicted, note, frames)
    : (t: number, f: number) => predicted[t * N_FREQ_BINS_NOTES + f];

  const minFrames = minNoteLengthFrames(settings.minNoteLengthMs);
  const remaining = new RemainingEnergy(note);
  const notes: FrameNote[] = [];
  for (const [startFrame, bin] of onsetPeaks(onset, frames, settings.onsetThreshold)) {
    const found = noteFromOnset(remaining, frames, startFrame, bin, settings.frameThreshold, settings.energyTolerance);
    if (found === null || !longerThanMinimum(startFrame, found, minFrames)) continue;
    clearNoteEnergy(remaining, startFrame, found, bin);
    notes.push({
      startFrame,
      endFrame: found,
      pitch: bin + MIDI_OFFSET,
      amplitude: meanOf(note, startFrame, found, bin),
    });
  }
  if (settings.melodiaTrick) {
    notes.push(...melodiaNotes(note, remaining, frames, settings.frameThreshold, settings.energyTolerance, minFrames));
  }
  return notes;
}

/** Zeroes onsets and frames outside [minFrequency, maxFrequency], rounding to the nearest note bin. */
export function constrainFrequency(
  note: Float32Array,
  onset: Float32Array,
  minFrequency?: number,
  maxFrequency?: number,
): void {
  const bins = N_FREQ_BINS_NOTES;
  const low = minFrequency === undefined ? 0 : Math.max(0, Math.round(hzToMidi(minFrequency) - MIDI_OFFSET));
  const high =
    maxFrequency === undefined ? bins : Math.min(bins, Math.max(0, Math.round(hzToMidi(maxFrequency) - MIDI_OFFSET)));
  if (low === 0 && high === bins) return;
  const frames = note.length / bins;
  for (let t = 0; t < frames; t++) {
    for (let f = 0; f < bins; f++) {
      if (f < low || f >= high) {
        note[t * bins + f] = 0;
        onset[t * bins + f] = 0;
      }
    }
  }
}

/**
 * How strongly a note seems to start at a frame and note bin; `atMost`, where given, is a bound on it that is
 * quicker to work out, so that cells it puts below the onset threshold are passed over.
 */
export type OnsetStrength = ((frame: number, bin: number) => number) & {
  atMost?: (frame: number, bin: number) => number;
};

/**
 * The predicted onsets, raised wherever the note posterior rises over the last frames: the rise (the
 * smaller of the 1- and 2-frame differences, never negative) is rescaled to the onsets' maximum.
 * Computed where asked rather than stored: for an hour of audio that array would be 100 MB.
 */
export function inferredOnsetStrength(onset: Float32Array, note: Float32Array, frames: number): OnsetStrength {
  const bins = N_FREQ_BINS_NOTES;
  const firstCell = INFERRED_ONSET_FRAME_DIFFS * bins;
  let maxOnset = 0;
  let maxRise = 0;
  for (let cell = 0; cell < frames * bins; cell++) {
    maxOnset = Math.max(maxOnset, onset[cell]);
    if (cell >= firstCell) maxRise = Math.max(maxRise, riseAt(note, cell));
  }
  // A posterior that never rises (silence) has nothing to add; basic-pitch would divide by zero here.
  if (maxRise === 0) return (t, f) => onset[t * bins + f];
  const scale = maxOnset / maxRise;
  const strength: OnsetStrength = (t, f) => {
    const cell = t * bins + f;
    return cell < firstCell ? onset[cell] : Math.max(onset[cell], riseAt(note, cell) * scale);
  };
  // The rise is at most the rise over the last frame alone: a bound from two values instead of three.
  strength.atMost = (t, f) => {
    const cell = t * bins + f;
    return cell < firstCell ? onset[cell] : Math.max(onset[cell], (note[cell] - note[cell - bins]) * scale);
  };
  return strength;
}

/** How much the note posterior has risen at a cell over the last frames: the smallest rise, or 0. */
function riseAt(note: Float32Array, cell: number): number {
  const here = note[cell];
  let smallest = here - note[cell - N_FREQ_BINS_NOTES];
  for (let n = 2; n <= INFERRED_ONSET_FRAME_DIFFS; n++)
    smallest = Math.min(smallest, here - note[cell - n * N_FREQ_BINS_NOTES]);
  return smallest > 0 ? smallest : 0;
}

/** The inferred onset strength of every frame and note bin, as an array shaped like `onset`. */
export function inferredOnsets(onset: Float32Array, note: Float32Array, frames: number): Float64Array {
  const strength = inferredOnsetStrength(onset, note, frames);
  return Float64Array.from({ length: onset.length }, (_, i) =>
    strength(Math.floor(i / N_FREQ_BINS_NOTES), i % N_FREQ_BINS_NOTES),
  );
}

/**
 * Onset peaks (strict local maxima in time) at or above the threshold, latest first and, within a frame,
 * highest pitch first: the order basic-pitch visits them in.
 */
export function onsetPeaks(strength: OnsetStrength, frames: number, threshold: number): Array<[number, number]> {
  const peaks: Array<[number, number]> = [];
  const atMost = strength.atMost ?? strength;
  // A neighbour's strength is worked out only where its bound does not already put it below the candidate's.
  const below = (t: number, f: number, value: number) => atMost(t, f) < value || strength(t, f) < value;
  for (let t = frames - 2; t >= 1; t--) {
    for (let f = N_FREQ_BINS_NOTES - 1; f >= 0; f--) {
      if (atMost(t, f) < threshold) continue;
      const value = strength(t, f);
      if (value >= threshold && below(t - 1, f, value) && below(t + 1, f, value)) peaks.push([t, f]);
    }
  }
  return peaks;
}

/**
 * Where a note starting at `startFrame` ends: the first frame after which the energy stays below the
 * threshold for `tolerance` frames. Null when the onset is at the very end.
 */
function noteFromOnset(
  remaining: RemainingEnergy,
  frames: number,
  startFrame: number,
  bin: number,
  threshold: number,
  tolerance: number,
): number | null {
  if (startFrame >= frames - 1) return null;
  const bins = N_FREQ_BINS_NOTES;
  let i = startFrame + 1;
  let below = 0;
  while (i < frames - 1 && below < tolerance) {
    below = remaining.at(i * bins + bin) < threshold ? below + 1 : 0;
    i++;
  }
  return i - below;
}

/** A found note's energy is used up, and its neighbouring semitones' too (they are its leakage). */
function clearNoteEnergy(remaining: RemainingEnergy, start: number, end: number, bin: number): void {
  for (let t = start; t < end; t++) clearCell(remaining, t, bin);
}

/** A note uses up the energy of the semitones this close to it too: they are its leakage. */
const LEAKAGE_SEMITONES = 1;

/** Whether a note on note bin `noteBin` uses up the energy of `bin`. */
export function usesEnergyOf(noteBin: number, bin: number): boolean {
  return Math.abs(noteBin - bin) <= LEAKAGE_SEMITONES;
}

function clearCell(remaining: RemainingEnergy, frame: number, bin: number): void {
  const row = frame * N_FREQ_BINS_NOTES;
  const last = Math.min(MAX_FREQ_IDX, bin + LEAKAGE_SEMITONES);
  for (let used = Math.max(0, bin - LEAKAGE_SEMITONES); used <= last; used++) remaining.clear(row + used);
}

/** Whether a note from `startFrame` to `endFrame` (exclusive) is kept: longer than the minimum note length. */
export function longerThanMinimum(startFrame: number, endFrame: number, minFrames: number): boolean {
  return endFrame - startFrame > minFrames;
}

/**
 * The melodia trick: repeatedly take the strongest remaining cell above the threshold and follow its
 * energy forward and backward into a note. Energy only ever gets cleared, so visiting the cells once in
 * order of falling energy (ties in row-major order, as numpy's argmax breaks them) and skipping cleared
 * ones picks exactly the cells the repeated global argmax would.
 */
function melodiaNotes(
  note: Float32Array,
  remaining: RemainingEnergy,
  frames: number,
  threshold: number,
  tolerance: number,
  minFrames: number,
): FrameNote[] {
  const bins = N_FREQ_BINS_NOTES;
  const notes: FrameNote[] = [];
  for (const cell of cellsAboveByEnergy(note, remaining, threshold)) {
    if (remaining.at(cell) <= threshold) continue;
    const middle = Math.floor(cell / bins);
    const bin = cell % bins;
    remaining.clear(cell);

    let i = middle + 1;
    let below = 0;
    while (i < frames - 1 && below < tolerance) {
      below = remaining.at(i * bins + bin) < threshold ? below + 1 : 0;
      clearCell(remaining, i, bin);
      i++;
    }
    const end = i - 1 - below;

    i = middle - 1;
    below = 0;
    while (i > 0 && below < tolerance) {
      below = remaining.at(i * bins + bin) < threshold ? below + 1 : 0;
      clearCell(remaining, i, bin);
      i--;
    }
    const start = i + 1 + below;

    if (!longerThanMinimum(start, end, minFrames)) continue;
    notes.push({
      startFrame: start,
      endFrame: end,
      pitch: bin + MIDI_OFFSET,
      amplitude: meanOf(note, start, end, bin),
    });
  }
  return notes;
}

/** Indices of the cells whose remaining energy is above the threshold, strongest first, ties in index order. */
function cellsAboveByEnergy(note: Float32Array, remaining: RemainingEnergy, threshold: number): Uint32Array {
  let count = 0;
  for (let i = 0; i < note.length; i++) if (remaining.at(i) > threshold) count++;
  const cells = new Uint32Array(count);
  let next = 0;
  for (let i = 0; i < note.length; i++) if (remaining.at(i) > threshold) cells[next++] = i;
  return cells.sort((a, b) => note[b] - note[a] || a - b);
}

/**
 * The note posterior with the energy of found notes taken out. Energy is only ever taken out whole, so a
 * byte per cell saying so stands in for a copy of the posterior (a quarter of its size).
 */
class RemainingEnergy {
  private readonly cleared: Uint8Array;

  constructor(private readonly note: Float32Array) {
    this.cleared = new Uint8Array(note.length);
  }

  at(cell: number): number {
    return this.cleared[cell] ? 0 : this.note[cell];
  }

  clear(cell: number): void {
    this.cleared[cell] = 1;
  }
}

/** Pitch bends of one note in semitones, one per frame. */
export function pitchBendsOf(output: ModelOutput, note: FrameNote): number[] {
  const bin = note.pitch - MIDI_OFFSET;
  const bends: number[] = [];
  for (let t = note.startFrame; t < note.endFrame; t++)
    bends.push(output.bendPeaks[t * N_FREQ_BINS_NOTES + bin] / CONTOURS_BINS_PER_SEMITONE);
  return bends;
}

/**
 * Where notes made with some options can sound, so that bend peaks are measured only there: every frame of a
 * note, onset-started or traced, has note energy at or above the frame threshold within the energy tolerance
 * at or after it; only a one-frame note need not, and the minimum length leaves those out.
 */
export interface NoteReach {
  frameThreshold: number;
  energyTolerance: number;
}

/**
 * The reach of notes made with `options`: none without pitch bends (a threshold no energy meets), undefined
 * (every cell) when a minimum length under one frame keeps one-frame notes.
 */
export function noteReachOf(options: NoteCreationOptions): NoteReach | undefined {
  const settings = noteSettings(options);
  if (!settings.pitchBends) return { frameThreshold: Infinity, energyTolerance: 0 };
  if (minNoteLengthFrames(settings.minNoteLengthMs) < 1) return undefined;
  return { frameThreshold: settings.frameThreshold, energyTolerance: settings.energyTolerance };
}

/**
 * The cells of frames `from` to `to` (exclusive) that notes can reach, as 1s in a mask laid out like `note`'s
 * rows: `note` must hold the posterior up to `energyTolerance` frames past `to`, or to the recording's end.
 */
export function cellsNotesReach(
  note: Float32Array,
  frames: number,
  from: number,
  to: number,
  reach: NoteReach,
): Uint8Array {
  const bins = N_FREQ_BINS_NOTES;
  const cells = new Uint8Array((to - from) * bins);
  const last = Math.min(frames, to + reach.energyTolerance);
  for (let bin = 0; bin < bins; bin++) {
    let nextAbove = Infinity;
    for (let t = last - 1; t >= from; t--) {
      if (note[t * bins + bin] >= reach.frameThreshold) nextAbove = t;
      if (t < to && nextAbove - t <= reach.energyTolerance) cells[(t - from) * bins + bin] = 1;
    }
  }
  return cells;
}

/**
 * For each frame and note bin, the contour bin near the note's own that is strongest once weighted by a
 * Gaussian centred on it (so a neighbouring note does not win), as an offset in contour bins: the pitch
 * bend a note there would have. `contour` holds `frames` rows of 264 bins. Ties go to the lower bin. Given
 * `cells` (a mask as cellsNotesReach makes), only those are measured and the rest left 0.
 */
export function bendPeaksOf(contour: Float32Array, frames: number, cells?: Uint8Array): Int8Array {
  const peaks = new Int8Array(frames * N_FREQ_BINS_NOTES);
  // A block's largest value is worked out when a cell of its row first needs it (`blockRow` says for which row
  // it holds): a few cells of a row need only the blocks around them.
  const blockMax = new Float32Array(Math.ceil(N_FREQ_BINS_CONTOURS / BEND_BLOCK));
  const blockRow = new Int32Array(blockMax.length).fill(-1);
  for (let t = 0; t < frames; t++) {
    const rowStart = t * N_FREQ_BINS_CONTOURS;
    for (let bin = 0; bin < N_FREQ_BINS_NOTES; bin++) {
      if (cells && !cells[t * N_FREQ_BINS_NOTES + bin]) continue;
      let reachMax = 0;
      for (let k = BEND_FIRST_BLOCKS[bin]; k <= BEND_LAST_BLOCKS[bin]; k++) {
        if (blockRow[k] !== t) {
          blockMax[k] = largestOf(
            contour,
            rowStart + k * BEND_BLOCK,
            rowStart + Math.min(N_FREQ_BINS_CONTOURS, (k + 1) * BEND_BLOCK),
          );
          blockRow[k] = t;
        }
        if (blockMax[k] > reachMax) reachMax = blockMax[k];
      }
      peaks[t * N_FREQ_BINS_NOTES + bin] = weightedPeak(contour, rowStart, bin, reachMax) - BEND_CENTRES[bin];
    }
  }
  return peaks;
}

/** Contour bins per block when bounding the values within a note's reach. */
const BEND_BLOCK = 8;

/** The largest of values[from … to − 1] (0 if all are below). */
function largestOf(values: Float32Array, from: number, to: number): number {
  let largest = 0;
  for (let i = from; i < to; i++) if (values[i] > largest) largest = values[i];
  return largest;
}

/**
 * The weighted peak near one note bin, searched outward from its centre: once even the row's largest value
 * could not beat the best so far at this distance, nothing farther can (the weights only fall), so most
 * searches end within a few bins. The result is the same as scanning the whole reach, ties included.
 */
function weightedPeak(contour: Float32Array, rowStart: number, bin: number, reachMax: number): number {
  const centre = BEND_CENTRES[bin];
  const first = BEND_FIRST_BINS[bin];
  const last = BEND_LAST_BINS[bin];
  const row = (at: number) => contour[rowStart + at];
  let best = centre;
  let bestValue = row(centre);
  for (let distance = 1; distance <= PITCH_BEND_BINS_TOLERANCE; distance++) {
    const weight = BEND_WEIGHTS[PITCH_BEND_BINS_TOLERANCE + distance];
    if (reachMax * weight < bestValue) break;
    const below = centre - distance;
    if (below >= first) {
      const value = row(below) * weight;
      // At equal values the lower bin wins, as in a scan from the bottom.
      if (value >= bestValue) {
        bestValue = value;
        best = below;
      }
    }
    const above = centre + distance;
    if (above <= last) {
      const value = row(above) * weight;
      if (value > bestValue) {
        bestValue = value;
        best = above;
      }
    }
  }
  return best;
}

/** Each note bin's in-tune contour bin, and the first and last contour bins its bends may reach. */
const BEND_CENTRES = Int32Array.from(
  { length: N_FREQ_BINS_NOTES },
  (_, bin) => CONTOURS_BINS_PER_SEMITONE * bin + CONTOUR_BIN_OF_NOTE_CENTRE,
);
const BEND_FIRST_BINS = BEND_CENTRES.map((centre) => Math.max(0, centre - PITCH_BEND_BINS_TOLERANCE));
const BEND_LAST_BINS = BEND_CENTRES.map((centre) =>
  Math.min(N_FREQ_BINS_CONTOURS - 1, centre + PITCH_BEND_BINS_TOLERANCE),
);
const BEND_FIRST_BLOCKS = BEND_FIRST_BINS.map((first) => Math.floor(first / BEND_BLOCK));
const BEND_LAST_BLOCKS = BEND_LAST_BINS.map((last) => Math.floor(last / BEND_BLOCK));

/** The Gaussian weights of the bins from `centre - tolerance` to `centre + tolerance`. */
const BEND_WEIGHTS = Float64Array.from({ length: 2 * PITCH_BEND_BINS_TOLERANCE + 1 }, (_, i) =>
  Math.exp(-0.5 * ((i - PITCH_BEND_BINS_TOLERANCE) / PITCH_BEND_GAUSSIAN_STD) ** 2),
);

function meanOf(note: Float32Array, start: number, end: number, bin: number): number {
  let sum = 0;
  for (let t = start; t < end; t++) sum += note[t * N_FREQ_BINS_NOTES + bin];
  return sum / (end - start);
}

export function hzToMidi(hz: number): number {
  return 12 * Math.log2(hz / 440) + 69;
}

/** Frames of model output for this many samples of 22 050 Hz audio. */
export function framesForSamples(samples: number): number {
  return Math.floor(samples * (ANNOTATIONS_FPS / AUDIO_SAMPLE_RATE));
}
