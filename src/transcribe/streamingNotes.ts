/**
 * The streaming note tracker: model frames in time order → note-on, note-off and pitch-bend events, with the
 * thresholds and rules of the offline note creation (noteCreation.ts) turned around to run forward in time.
 *
 * Offline, onsets are visited latest first and a kept note uses up its energy (and its neighbouring semitones'),
 * so an earlier note on the same or a neighbouring semitone ends where a later kept note starts. Here that rule
 * runs forward: when a note is confirmed it ends the notes sounding on its own and neighbouring semitones. A note
 * is confirmed once it has lasted `confirmFrames` frames: with `minNoteLengthFrames + 1` exactly the notes offline
 * keeps are sent; with fewer, notes are sent sooner and a note that turns out shorter than the minimum is sent
 * anyway (it cannot be taken back). The melodia trick, which offline traces the energy no note used from the whole
 * recording's strongest cells outward, runs forward too: leftover energy is followed per note bin from its first
 * frame, and its note-on is sent once it is longer than the minimum note length, with the time of that first frame.
 * Inferred onsets are rescaled by the maxima of the frames so far instead of the whole recording's, starting from
 * typical whole-recording maxima.
 */
import type { LiveEvent } from '../types.js';
import {
  CONTOURS_BINS_PER_SEMITONE,
  FFT_HOP,
  AUDIO_SAMPLE_RATE,
  INFERRED_ONSET_FRAME_DIFFS,
  MAX_FREQ_IDX,
  MIDI_OFFSET,
  N_FREQ_BINS_NOTES,
} from './constants.js';
import { usesEnergyOf } from './notes/energy.js';
import { longerThanMinimum, minNoteLengthFrames } from './notes/frames.js';
import { constrainFrequency } from './notes/frequencyRange.js';
import { amplitudeToVelocity } from './notes/noteCreation.js';
import { noteSettings, type NoteCreationOptions } from './notes/settings.js';

/** The offline rules' options, and when to send a note-on. */
export interface NoteTrackerOptions extends NoteCreationOptions {
  /** Frames a note must have lasted before its note-on is sent (1 to the minimum note length + 1). */
  confirmFrames?: number;
}

/** One model frame: 88 note and onset values and the 88 bend peaks (thirds of a semitone). */
export interface ModelFrame {
  note: Float32Array;
  onset: Float32Array;
  bendPeaks: Int8Array;
}

/** A note being followed: `lastAbove` is its last frame at or above the frame threshold. */
interface TrackedNote {
  bin: number;
  start: number;
  lastAbove: number;
  /** Frames below the threshold since `lastAbove`, their energy and bends (the note's if it comes back). */
  below: number;
  belowEnergy: number;
  belowBends: number[];
  /** Note posterior summed over start … lastAbove, for the velocity. */
  energy: number;
  /** Bend peaks of start … lastAbove not sent yet. */
  bends: number[];
  sent: boolean;
  lastBend: number;
  /** Found by the melodia trick: it ends at its last frame above the threshold, as offline. */
  traced?: boolean;
}

/** Where a note ends (exclusive) as offline note creation ends it: a traced note before its last frame above the threshold. */
function endFrame(note: TrackedNote): number {
  return note.traced ? note.lastAbove : note.lastAbove + 1;
}

function meanEnergy(note: TrackedNote): number {
  return note.energy / (note.lastAbove - note.start + 1);
}

/**
 * Whole-recording maxima of the onset posterior and of the note posterior's rise, typical of what the model gives
 * (measured on the fixtures: 0.91–0.96 and 0.16–0.19, so the inferred onsets' scale is 5.1–6.0). The stream's
 * maxima start from these: from the first frames alone the scale would be far too large early in a stream.
 */
const TYPICAL_MAX_ONSET = 0.94;
const TYPICAL_MAX_RISE = 0.16;

/** Frames kept: an onset peak at t looks at t - 1 … t + 1, and the inferred onset at t - 1 looks further back. */
export const RECENT_FRAMES = INFERRED_ONSET_FRAME_DIFFS + 3;

/** A note starting at an onset peak: frame t, note bin `bin`. */
function noteFrom(t: number, bin: number, frame: ModelFrame): TrackedNote {
  const bends = [frame.bendPeaks[bin]];
  return {
    bin,
    start: t,
    lastAbove: t,
    below: 0,
    belowEnergy: 0,
    belowBends: [],
    energy: frame.note[bin],
    bends,
    sent: false,
    lastBend: 0,
  };
}

/** The time of a model frame on the audio clock. */
export function frameTime(frame: number): number {
  return (frame * FFT_HOP) / AUDIO_SAMPLE_RATE;
}

export class StreamingNoteTracker {
  private readonly onsetThreshold: number;
  private readonly frameThreshold: number;
  private readonly minFrames: number;
  private readonly tolerance: number;
  private readonly inferOnsets: boolean;
  private readonly pitchBends: boolean;
  private readonly confirmFrames: number;
  private readonly minFrequency?: number;
  private readonly maxFrequency?: number;
  /** The latest estimates of the frames around the ones being settled, by frame index. */
  private readonly recent = new Map<number, ModelFrame>();
  /** Frames known so far (the next frame's index). */
  private frames = 0;
  private maxOnset = TYPICAL_MAX_ONSET;
  private maxRise = TYPICAL_MAX_RISE;
  private notes: TrackedNote[] = [];
  /** Leftover energy being traced (the melodia trick run forward), one per note bin: a note once long enough. */
  private traces = new Map<number, TrackedNote>();
  private readonly melodiaTrick: boolean;

  constructor(options: NoteTrackerOptions = {}) {
    const settings = noteSettings(options);
    this.onsetThreshold = settings.onsetThreshold;
    this.frameThreshold = settings.frameThreshold;
    this.minFrames = minNoteLengthFrames(settings.minNoteLengthMs);
    this.tolerance = settings.energyTolerance;
    this.inferOnsets = settings.inferOnsets;
    this.pitchBends = settings.pitchBends;
    this.melodiaTrick = settings.melodiaTrick;
    this.confirmFrames = Math.min(this.minFrames + 1, Math.max(1, options.confirmFrames ?? this.minFrames + 1));
    this.minFrequency = settings.minFrequency;
    this.maxFrequency = settings.maxFrequency;
  }

  /** The first frame the next `update` must give: the tracker looks back this far from the frames it settles. */
  get firstNeeded(): number {
    return Math.max(0, this.frames - RECENT_FRAMES);
  }

  /**
   * The latest estimates of frames `first` … `first + frames.length - 1` (from one run of the model, so that the
   * comparisons between neighbouring frames are made within one window); they must start at or before
   * `firstNeeded`. Returns the events that became certain.
   */
  update(first: number, frames: readonly ModelFrame[]): LiveEvent[] {
    if (first > this.firstNeeded || first + frames.length < this.frames) {
      throw new Error(`StreamingNoteTracker: frames ${first}…${first + frames.length - 1} leave a gap`);
    }
    frames.forEach((frame, i) => {
      const copy = { note: frame.note.slice(), onset: frame.onset.slice(), bendPeaks: frame.bendPeaks.slice() };
      constrainFrequency(copy.note, copy.onset, this.minFrequency, this.maxFrequency);
      this.recent.set(first + i, copy);
    });
    const events: LiveEvent[] = [];
    for (; this.frames < first + frames.length; this.frames++) {
      // Frame t is settled once frame t + 1 is known (an onset peak is a maximum over t - 1 … t + 1). The inferred
      // onsets it compares are scaled by the largest onset before t - 1, not one of the three: otherwise the frame
      // with the largest rise so far is scaled to exactly the onset next to it that set that maximum, and the tie
      // loses the peak.
      this.updateMaxRise(this.frames);
      if (this.frames >= 3) this.updateMaxOnset(this.frames - 3);
      if (this.frames >= 1) events.push(...this.settle(this.frames - 1));
    }
    for (const index of this.recent.keys()) if (index < this.frames - RECENT_FRAMES) this.recent.delete(index);
    return events;
  }

  /** End of stream: what the frames so far still hold, then a note-off for every note sounding. */
  finish(): LiveEvent[] {
    const events: LiveEvent[] = [];
    for (const note of this.byPitchDescending()) {
      if (!this.notes.includes(note)) continue;
      if (!note.sent && this.kept(note)) this.send(note, events);
      if (note.sent) this.close(note, events);
    }
    this.notes = [];
    this.traces.clear();
    return events;
  }

  /** Frame t's energy continues or ends the notes, then its onset peaks start new ones. */
  private settle(t: number): LiveEvent[] {
    const events: LiveEvent[] = [];
    const frame = this.frameAt(t);
    for (const note of [...this.notes]) this.follow(note, t, frame, events);
    if (t >= 1) {
      for (let bin = MAX_FREQ_IDX; bin >= 0; bin--) {
        const strength = this.onsetStrength(t, bin);
        if (
          strength >= this.onsetThreshold &&
          strength > this.onsetStrength(t - 1, bin) &&
          strength > this.onsetStrength(t + 1, bin)
        ) {
          this.notes.push(noteFrom(t, bin, frame));
        }
      }
    }
    for (const note of this.byPitchDescending()) {
      if (this.notes.includes(note) && !note.sent && this.confirmed(note)) this.send(note, events);
    }
    if (this.melodiaTrick) this.trace(t, frame, events);
    return events;
  }

  /**
   * The melodia trick run forward: energy above the frame threshold that no note sounding at t explains (on its own
   * or a neighbouring semitone) is followed on its note bin as offline traces it, through dips shorter than the
   * energy tolerance, and becomes a note once it is longer than the minimum note length. Its note-on is sent then,
   * with the time of its first frame.
   */
  private trace(t: number, frame: ModelFrame, events: LiveEvent[]): void {
    // Offline a note ends at its last frame above the threshold: the frames after it are not its energy.
    const sounding = this.notes.filter((note) => note.start <= t && note.lastAbove === t);
    for (let bin = 0; bin < N_FREQ_BINS_NOTES; bin++) {
      const value = sounding.some((note) => usesEnergyOf(note.bin, bin)) ? 0 : frame.note[bin];
      const trace = this.traces.get(bin);
      if (trace) {
        if (!this.extend(trace, t, value, frame.bendPeaks[bin])) this.traces.delete(bin);
      } else if (value > this.frameThreshold && t >= 1) {
        // Offline's backward trace stops before frame 0, as its onsets do.
        this.traces.set(bin, { ...noteFrom(t, bin, frame), traced: true });
      }
    }
    // Offline the strongest energy is traced first, and its trace uses up its neighbouring semitones' energy.
    const long = [...this.traces.values()]
      .filter((trace) => this.kept(trace))
      .sort((a, b) => meanEnergy(b) - meanEnergy(a));
    for (const trace of long) {
      if (this.traces.get(trace.bin) !== trace) continue;
      for (const [bin, other] of this.traces) if (usesEnergyOf(trace.bin, bin)) this.traces.delete(other.bin);
      this.notes.push(trace);
      this.send(trace, events);
    }
  }

  /**
   * A note is confirmed when it has lasted `confirmFrames` frames and no undecided note that would cut it shorter
   * (a later onset on its own or a neighbouring semitone) is still waiting to be confirmed.
   */
  private confirmed(note: TrackedNote): boolean {
    if (note.lastAbove - note.start + 1 < this.confirmFrames) return false;
    return !this.notes.some(
      (other) =>
        !other.sent && other !== note && this.cuts(other, note) && other.start < note.start + this.confirmFrames,
    );
  }

  /** Whether `later`, once confirmed, takes the energy of `earlier` from its start on (as offline, where later onsets go first). */
  private cuts(later: TrackedNote, earlier: TrackedNote): boolean {
    if (!usesEnergyOf(later.bin, earlier.bin)) return false;
    return earlier.start < later.start || (earlier.start === later.start && earlier.bin === later.bin - 1);
  }

  /** One more frame of a note's energy: as note_creation.py follows a note until it stays below for `tolerance` frames. */
  private follow(note: TrackedNote, t: number, frame: ModelFrame, events: LiveEvent[]): void {
    if (t <= note.start) return;
    if (this.extend(note, t, frame.note[note.bin], frame.bendPeaks[note.bin])) {
      if (note.sent && note.below === 0) this.sendBends(note, events);
    } else if (note.sent) {
      this.close(note, events);
    } else {
      this.drop(note);
    }
  }

  /**
   * One more frame of energy `value` for a note or a trace, as note_creation.py follows one: false once it has stayed
   * below the frame threshold for the energy tolerance.
   */
  private extend(note: TrackedNote, t: number, value: number, bendPeak: number): boolean {
    if (value >= this.frameThreshold) {
      note.energy += note.belowEnergy + value;
      note.bends.push(...note.belowBends, bendPeak);
      note.belowEnergy = 0;
      note.belowBends = [];
      note.below = 0;
      note.lastAbove = t;
      return true;
    }
    note.below++;
    note.belowEnergy += value;
    note.belowBends.push(bendPeak);
    return note.below < this.tolerance;
  }

  /** A confirmed note: ends what it takes the energy of, then its note-on and bends so far. */
  private send(note: TrackedNote, events: LiveEvent[]): void {
    for (const other of [...this.notes]) {
      if (other === note || !this.cuts(note, other)) continue;
      if (other.sent) this.close(other, events, note.start);
      else this.drop(other);
    }
    note.sent = true;
    const pitch = note.bin + MIDI_OFFSET;
    const velocity = amplitudeToVelocity(meanEnergy(note));
    events.push({ type: 'on', time: frameTime(note.start), pitch, velocity });
    this.sendBends(note, events);
  }

  /** Bends of the frames up to `lastAbove`, only where they change. */
  private sendBends(note: TrackedNote, events: LiveEvent[]): void {
    const first = note.lastAbove - note.bends.length + 1;
    note.bends.forEach((peak, i) => {
      const value = this.bendOf(peak);
      if (value === note.lastBend) return;
      note.lastBend = value;
      events.push({ type: 'bend', time: frameTime(first + i), pitch: note.bin + MIDI_OFFSET, value });
    });
    note.bends = [];
  }

  /** The note-off of a sent note, at its last frame above the threshold (or `cutAt`, where a later note took over). */
  private close(note: TrackedNote, events: LiveEvent[], cutAt = Infinity): void {
    const end = Math.max(note.start, Math.min(endFrame(note), cutAt));
    events.push({ type: 'off', time: frameTime(end), pitch: note.bin + MIDI_OFFSET, velocity: 0 });
    this.drop(note);
  }

  private drop(note: TrackedNote): void {
    this.notes = this.notes.filter((other) => other !== note);
  }

  private kept(note: TrackedNote): boolean {
    return longerThanMinimum(note.start, endFrame(note), this.minFrames);
  }

  private bendOf(peak: number): number {
    return this.pitchBends ? peak / CONTOURS_BINS_PER_SEMITONE : 0;
  }

  private byPitchDescending(): TrackedNote[] {
    return [...this.notes].sort((a, b) => b.bin - a.bin || a.start - b.start);
  }

  private frameAt(t: number): ModelFrame {
    const frame = this.recent.get(t);
    if (!frame) throw new Error(`StreamingNoteTracker: frame ${t} is not held`);
    return frame;
  }

  /** One of the running maxima the inferred onsets are rescaled by, updated with frame t. */
  private updateMaxRise(t: number): void {
    if (!this.inferOnsets) return;
    for (let bin = 0; bin < N_FREQ_BINS_NOTES; bin++) this.maxRise = Math.max(this.maxRise, this.rise(t, bin));
  }

  /** The other running maximum, updated with frame t. */
  private updateMaxOnset(t: number): void {
    for (const value of this.frameAt(t).onset) this.maxOnset = Math.max(this.maxOnset, value);
  }

  /** The smaller of the 1- and 2-frame rises of the note posterior, never negative (noteCreation's inferred onsets). */
  private rise(t: number, bin: number): number {
    if (t < INFERRED_ONSET_FRAME_DIFFS) return 0;
    const here = this.frameAt(t).note[bin];
    let smallest = Infinity;
    for (let n = 1; n <= INFERRED_ONSET_FRAME_DIFFS; n++)
      smallest = Math.min(smallest, here - this.frameAt(t - n).note[bin]);
    return Math.max(0, smallest);
  }

  private onsetStrength(t: number, bin: number): number {
    const predicted = this.frameAt(t).onset[bin];
    if (!this.inferOnsets) return predicted;
    return Math.max(predicted, this.rise(t, bin) * (this.maxOnset / this.maxRise));
  }
}
