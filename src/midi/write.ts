/**
 * Notes → a Standard MIDI File with @tonejs/midi, as basic-pitch writes its transcriptions: one Electric
 * Piano track, pitch bends where a note sounds alone, or each pitch on its own channel so every note keeps
 * its bends (`multiplePitchBends`).
 */
import ToneMidi from '@tonejs/midi';
import type { NoteEvent } from '../types.js';
import { PITCH_BEND_RANGE_SEMITONES } from '../transcribe/constants.js';

const { Midi } = ToneMidi;
export type Midi = InstanceType<typeof Midi>;
type Track = ReturnType<Midi['addTrack']>;

/** General MIDI program 5, Electric Piano 1 (0-based 4), the instrument basic-pitch writes. */
export const TRANSCRIPTION_PROGRAM = 4;
export const DRUM_CHANNEL = 9;
const MIDI_CHANNELS = 16;
/** Pitch bends are signed 14-bit values: ±8192 spans the bend range. */
const PITCH_BEND_STEPS = 8192;

export interface MidiWriteOptions {
  /** Tempo written to the file, in beats per minute (notes keep their times in seconds). */
  tempo?: number;
  /** Give each pitch its own track and channel so overlapping notes keep their bends. */
  multiplePitchBends?: boolean;
  program?: number;
  trackName?: string;
}

export function notesToMidi(notes: NoteEvent[], options: MidiWriteOptions = {}): Midi {
  const midi = new Midi();
  midi.header.setTempo(options.tempo ?? 120);
  const program = options.program ?? TRANSCRIPTION_PROGRAM;
  const newTrack = (channel: number, name: string): Track => {
    const track = midi.addTrack();
    track.channel = channel;
    track.instrument.number = program;
    track.name = name;
    return track;
  };
  const sorted = [...notes].sort((a, b) => a.start - b.start || a.end - b.end || a.pitch - b.pitch);
  const name = options.trackName ?? 'jam transcription';
  if (options.multiplePitchBends) {
    const tracks = new Map<number, Track>();
    for (const note of sorted) {
      let track = tracks.get(note.pitch);
      if (!track) {
        track = newTrack(channelForTrack(tracks.size), `${name} ${note.pitch}`);
        tracks.set(note.pitch, track);
      }
      addNote(track, note, true);
    }
  } else {
    const track = newTrack(0, name);
    const alone = notesSoundingAlone(sorted);
    sorted.forEach((note, i) => addNote(track, note, alone[i]));
  }
  return midi;
}

/** Channels in order, skipping the drum channel, wrapping after sixteen. */
function channelForTrack(index: number): number {
  const melodic = index % (MIDI_CHANNELS - 1);
  return melodic >= DRUM_CHANNEL ? melodic + 1 : melodic;
}

/** On one channel a bend moves every sounding note, so only notes that overlap no other keep theirs. */
export function notesSoundingAlone(sortedByStart: NoteEvent[]): boolean[] {
  const alone = sortedByStart.map(() => true);
  for (let i = 0; i < sortedByStart.length; i++) {
    for (let j = i + 1; j < sortedByStart.length && sortedByStart[j].start < sortedByStart[i].end; j++) {
      alone[i] = false;
      alone[j] = false;
    }
  }
  return alone;
}

function addNote(track: Track, note: NoteEvent, withBends: boolean): void {
  // Half a step up so @tonejs/midi's floor(velocity × 127) gives back the integer velocity.
  track.addNote({ midi: note.pitch, time: note.start, duration: note.end - note.start, velocity: (note.velocity + 0.5) / 127 });
  const bends = note.bends;
  if (!withBends || !bends || bends.every((bend) => bend === 0)) return;
  const step = (note.end - note.start) / bends.length;
  // The wheel holds its position, so only changes are written: a steady stretch is one event, not one a frame.
  let last: number | undefined;
  bends.forEach((bend, i) => {
    const value = bendValue(bend);
    if (value !== last) track.addPitchBend({ time: note.start + i * step, value });
    last = value;
  });
  // Back to centre as the note ends, so the bend does not carry into the next note.
  track.addPitchBend({ time: note.end, value: 0 });
}

/** Semitones → a signed 14-bit MIDI pitch-bend value for the ±2 semitone range, clipped to it. */
export function bendValue(semitones: number): number {
  const value = Math.round((semitones / PITCH_BEND_RANGE_SEMITONES) * PITCH_BEND_STEPS);
  return Math.max(-PITCH_BEND_STEPS, Math.min(PITCH_BEND_STEPS - 1, value));
}

export function midiToBytes(midi: Midi): Uint8Array {
  return midi.toArray();
}
