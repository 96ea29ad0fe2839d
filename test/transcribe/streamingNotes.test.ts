import { describe, expect, it } from 'vitest';
import { MIDI_OFFSET, N_FREQ_BINS_NOTES } from '../../src/transcribe/constants.js';
import {
  frameTime,
  StreamingNoteTracker,
  type ModelFrame,
  type NoteTrackerOptions,
} from '../../src/transcribe/streamingNotes.js';
import type { LiveEvent } from '../../src/types.js';

/** A sounding note in a made-up posteriorgram: `level` on its note bin from `start` to `end` (frames), an onset spike at `start`. */
interface Tone {
  pitch: number;
  start: number;
  end: number;
  level?: number;
  onset?: number;
  /** Bend peak (thirds of a semitone) from `bendFrom` on. */
  bend?: number;
  bendFrom?: number;
}

const QUIET = 0.05;

function frames(count: number, tones: Tone[]): ModelFrame[] {
  return Array.from({ length: count }, (_, t) => {
    const frame = {
      note: new Float32Array(N_FREQ_BINS_NOTES).fill(QUIET),
      onset: new Float32Array(N_FREQ_BINS_NOTES).fill(QUIET),
      bendPeaks: new Int8Array(N_FREQ_BINS_NOTES),
    };
    for (const tone of tones) {
      const bin = tone.pitch - MIDI_OFFSET;
      if (t >= tone.start && t < tone.end) frame.note[bin] = tone.level ?? 0.8;
      if (t === tone.start) frame.onset[bin] = tone.onset ?? 0.9;
      if (tone.bend !== undefined && t >= (tone.bendFrom ?? tone.start) && t < tone.end)
        frame.bendPeaks[bin] = tone.bend;
    }
    return frame;
  });
}

/** Feeds the frames one at a time, each update reaching back as far as the tracker asks, then finishes. */
function track(all: ModelFrame[], options: NoteTrackerOptions = {}): LiveEvent[] {
  const tracker = new StreamingNoteTracker(options);
  const events: LiveEvent[] = [];
  for (let t = 0; t < all.length; t++) {
    const first = tracker.firstNeeded;
    events.push(...tracker.update(first, all.slice(first, t + 1)));
  }
  return [...events, ...tracker.finish()];
}

/** How many frames had been given when the first note-on came out. */
function framesBeforeFirstOn(all: ModelFrame[], options: NoteTrackerOptions): number | undefined {
  const tracker = new StreamingNoteTracker(options);
  for (let t = 0; t < all.length; t++) {
    const first = tracker.firstNeeded;
    if (tracker.update(first, all.slice(first, t + 1)).some((event) => event.type === 'on')) return t + 1;
  }
  return undefined;
}

const notesOf = (events: LiveEvent[]) =>
  events
    .filter((event) => event.type !== 'bend')
    .map((event) => `${event.type} ${event.pitch} @${Math.round(event.time / frameTime(1))}`);

describe('the streaming note tracker', () => {
  it('starts a note at its onset and ends it where its energy ends, with a velocity from its level', () => {
    const events = track(frames(60, [{ pitch: 60, start: 5, end: 30, level: 0.6 }]));
    expect(notesOf(events)).toEqual(['on 60 @5', 'off 60 @30']);
    expect(events[0]).toMatchObject({ type: 'on', velocity: Math.round(127 * 0.6) });
  });

  it('keeps a note through a dip shorter than the energy tolerance, and ends one that stays below', () => {
    // Without inferred onsets: the energy's return would otherwise count as a new onset (as it does offline).
    const dip = frames(80, [
      { pitch: 60, start: 5, end: 20 },
      { pitch: 60, start: 25, end: 40, onset: QUIET },
    ]);
    expect(notesOf(track(dip, { inferOnsets: false }))).toEqual(['on 60 @5', 'off 60 @40']);
    const gap = frames(80, [
      { pitch: 60, start: 5, end: 20 },
      { pitch: 60, start: 32, end: 50, onset: QUIET },
    ]);
    expect(notesOf(track(gap, { inferOnsets: false, melodiaTrick: false }))).toEqual(['on 60 @5', 'off 60 @20']);
  });

  it('sends only notes longer than the minimum length when it waits for them', () => {
    const short = frames(60, [{ pitch: 60, start: 5, end: 14 }]);
    expect(track(short)).toEqual([]);
    expect(notesOf(track(short, { confirmFrames: 3 }))).toEqual(['on 60 @5', 'off 60 @14']);
    expect(track(short, { minNoteLengthMs: 50 })).toHaveLength(2);
  });

  it('honours the onset threshold, the frame threshold and the frequency range', () => {
    const tones = frames(60, [
      { pitch: 40, start: 5, end: 30, onset: 0.6, level: 0.4 },
      { pitch: 80, start: 5, end: 30 },
    ]);
    expect(notesOf(track(tones)).sort()).toEqual(['off 40 @30', 'off 80 @30', 'on 40 @5', 'on 80 @5']);
    expect(notesOf(track(tones, { onsetThreshold: 0.7, melodiaTrick: false }))).toEqual(['on 80 @5', 'off 80 @30']);
    expect(notesOf(track(tones, { frameThreshold: 0.5 }))).toEqual(['on 80 @5', 'off 80 @30']);
    expect(notesOf(track(tones, { maxFrequency: 440 }))).toEqual(['on 40 @5', 'off 40 @30']);
    expect(notesOf(track(tones, { minFrequency: 440 }))).toEqual(['on 80 @5', 'off 80 @30']);
  });

  it('infers an onset where the note rises without a predicted one, unless told not to', () => {
    const rising = frames(60, [{ pitch: 60, start: 5, end: 30, onset: QUIET }]);
    expect(notesOf(track(rising))).toEqual(['on 60 @5', 'off 60 @30']);
    expect(track(rising, { inferOnsets: false, melodiaTrick: false })).toEqual([]);
  });

  it('starts a note at an onset peak next to the largest rise so far, as offline where a later note rises more', () => {
    // Frame 5 rises most so far and frame 6 holds the largest onset so far: scaled by maxima that held both, the
    // inferred onset of frame 5 would tie with frame 6's onset and neither would be a peak.
    const all = frames(80, [
      { pitch: 60, start: 5, end: 30, onset: QUIET },
      { pitch: 72, start: 50, end: 70, level: 0.95, onset: 0.98 },
    ]);
    const bin = 60 - MIDI_OFFSET;
    all[5].note[bin] = 0.4;
    all[6].note[bin] = 0.6;
    all[6].onset[bin] = 0.97;
    expect(notesOf(track(all))).toEqual(['on 60 @6', 'off 60 @30', 'on 72 @50', 'off 72 @70']);
  });

  it('ends a note where a later note on the same or a neighbouring semitone starts', () => {
    const events = track(
      frames(80, [
        { pitch: 60, start: 5, end: 50 },
        { pitch: 61, start: 25, end: 50 },
      ]),
    );
    expect(notesOf(events)).toEqual(['on 60 @5', 'off 60 @25', 'on 61 @25', 'off 61 @50']);
  });

  it('drops a note that a later onset would cut shorter than the minimum length', () => {
    const events = track(
      frames(80, [
        { pitch: 60, start: 5, end: 50 },
        { pitch: 60, start: 8, end: 50, onset: 0.95 },
      ]),
    );
    expect(notesOf(events)).toEqual(['on 60 @8', 'off 60 @50']);
  });

  it('traces energy no onset started into a note once it is longer than the minimum length, timed at its first frame', () => {
    // As offline's melodia trick: the note ends before its last frame above the frame threshold.
    const unstarted = frames(60, [{ pitch: 60, start: 5, end: 30, onset: QUIET }]);
    const options = { inferOnsets: false, minNoteLengthMs: 127.7 };
    expect(notesOf(track(unstarted, options))).toEqual(['on 60 @5', 'off 60 @29']);
    // Its note-on waits until frame 5 + 12 is settled, which needs frame 18.
    expect(framesBeforeFirstOn(unstarted, options)).toBe(19);
  });

  it('leaves leftover energy no longer than the minimum length alone, and traces nothing without the melodia trick', () => {
    expect(track(frames(60, [{ pitch: 60, start: 5, end: 17, onset: QUIET }]), { inferOnsets: false })).toEqual([]);
    expect(
      track(frames(60, [{ pitch: 60, start: 5, end: 30, onset: QUIET }]), { inferOnsets: false, melodiaTrick: false }),
    ).toEqual([]);
  });

  it('traces only energy that no sounding note uses up on its own or a neighbouring semitone', () => {
    const leaking = frames(60, [
      { pitch: 60, start: 5, end: 30 },
      { pitch: 61, start: 5, end: 30, level: 0.5, onset: QUIET },
      { pitch: 63, start: 5, end: 30, level: 0.5, onset: QUIET },
    ]);
    expect(notesOf(track(leaking, { inferOnsets: false }))).toEqual([
      'on 60 @5',
      'on 63 @5',
      'off 60 @30',
      'off 63 @29',
    ]);
  });

  it('traces the stronger of two neighbouring semitones, whose trace uses up the other', () => {
    const pair = frames(60, [
      { pitch: 60, start: 5, end: 30, level: 0.5, onset: QUIET },
      { pitch: 61, start: 5, end: 30, level: 0.8, onset: QUIET },
    ]);
    expect(notesOf(track(pair, { inferOnsets: false }))).toEqual(['on 61 @5', 'off 61 @29']);
  });

  it('sends a bend where the contour moves off the note, and only changes', () => {
    const events = track(frames(60, [{ pitch: 60, start: 5, end: 30, bend: 1, bendFrom: 20 }]));
    const bends = events.filter((event) => event.type === 'bend');
    expect(bends).toEqual([{ type: 'bend', time: frameTime(20), pitch: 60, value: 1 / 3 }]);
    expect(
      track(frames(60, [{ pitch: 60, start: 5, end: 30, bend: 1 }]), { pitchBends: false }).some(
        (event) => event.type === 'bend',
      ),
    ).toBe(false);
  });

  it('closes every sounding note at the end of the stream', () => {
    const events = track(
      frames(40, [
        { pitch: 60, start: 5, end: 40 },
        { pitch: 64, start: 8, end: 40 },
      ]),
    );
    expect(notesOf(events).sort()).toEqual(['off 60 @39', 'off 64 @39', 'on 60 @5', 'on 64 @8']);
  });

  it('refuses frames that leave a gap', () => {
    const tracker = new StreamingNoteTracker();
    const all = frames(20, []);
    tracker.update(0, all.slice(0, 10));
    expect(() => tracker.update(12, all.slice(12, 20))).toThrow(/gap/);
  });
});
