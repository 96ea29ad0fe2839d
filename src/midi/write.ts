/**
 * Notes → a Standard MIDI File, as basic-pitch writes its transcriptions: one Electric Piano track, pitch
 * bends where a note sounds alone, or each pitch on its own channel so every note keeps its bends
 * (`multiplePitchBends`). The tracks are laid out once in ticks, then written straight to bytes
 * (smfWrite.ts, lean enough for an hour of notes) or into @tonejs/midi's object model for callers that
 * edit the file further; smfWrite.ts writes both, and both give the same file.
 */
import ToneMidi from '@tonejs/midi';
import { MAX_VELOCITY, MIN_VELOCITY } from '../notes.js';
import type { NoteEvent } from '../types.js';
import { DRUM_CHANNEL, MICROSECONDS_PER_MINUTE, MIDI_CHANNEL_COUNT, PITCH_BEND_RANGE_SEMITONES } from './constants.js';
import { BEND_CENTRE, bendPosition } from './messages.js';
import { encodeSmf, type SmfFile, type SmfTrack } from './smfWrite.js';
import { toneMidiToSmf, toneVelocity } from './toneWrite.js';

const { Midi } = ToneMidi;
export type Midi = InstanceType<typeof Midi>;

/** General MIDI program 5, Electric Piano 1 (0-based 4), the instrument basic-pitch writes. */
export const TRANSCRIPTION_PROGRAM = 4;
/** Ticks per quarter note, as @tonejs/midi writes them. */
const PPQ = 480;
const DEFAULT_TEMPO = 120;

/** One player's or instrument's notes, written as its own named track on its own channel. */
export interface MidiPart {
  name: string;
  notes: NoteEvent[];
  /** General MIDI program 0–127 (default: the transcription's Electric Piano). */
  program?: number;
}

export interface MidiWriteOptions {
  /** Tempo written to the file, in beats per minute (notes keep their times in seconds). */
  tempo?: number;
  /** Give each pitch its own track and channel so overlapping notes keep their bends. */
  multiplePitchBends?: boolean;
  program?: number;
  trackName?: string;
}

/** The Standard MIDI File's bytes. */
export function notesToMidiBytes(notes: NoteEvent[], options: MidiWriteOptions = {}): Uint8Array {
  return encodeSmf(layOut(notes, options));
}

/** A file of several parts, one track and channel each (drums' channel skipped), on one clock. */
export function partsToMidiBytes(parts: MidiPart[], options: Pick<MidiWriteOptions, 'tempo'> = {}): Uint8Array {
  const clock = fileClock(options.tempo ?? DEFAULT_TEMPO);
  const tracks = parts.map((part, i) => {
    const track = emptyTrack(channelForTrack(i), part.name, part.program ?? TRANSCRIPTION_PROGRAM);
    addNotesSharingChannel(track, sortedNotes(part.notes), clock);
    return track;
  });
  return encodeSmf(fileOf(tracks, options.tempo ?? DEFAULT_TEMPO));
}

/** The same file in @tonejs/midi's object model. */
export function notesToMidi(notes: NoteEvent[], options: MidiWriteOptions = {}): Midi {
  const file = layOut(notes, options);
  const midi = new Midi();
  midi.header.setTempo(options.tempo ?? DEFAULT_TEMPO);
  for (const planned of file.tracks) {
    const track = midi.addTrack();
    track.name = planned.name;
    track.channel = planned.channel;
    track.instrument.number = planned.program;
    for (const note of planned.notes)
      track.addNote({
        midi: note.pitch,
        ticks: note.start,
        durationTicks: note.end - note.start,
        velocity: toneVelocity(note.velocity),
      });
    for (const bend of planned.bends) track.addPitchBend({ ticks: bend.ticks, value: bend.value });
  }
  return midi;
}

interface Clock {
  ticksOf(seconds: number): number;
  secondsOf(ticks: number): number;
}

function fileClock(tempo: number): Clock {
  const beatSeconds = 60 / tempo;
  return {
    ticksOf: (seconds) => Math.round((seconds / beatSeconds) * PPQ),
    secondsOf: (ticks) => beatSeconds * (ticks / PPQ),
  };
}

function emptyTrack(channel: number, name: string, program: number): SmfTrack {
  return { name, channel, program, notes: [], bends: [] };
}

function sortedNotes(notes: NoteEvent[]): NoteEvent[] {
  return [...notes].sort((a, b) => a.start - b.start || a.end - b.end || a.pitch - b.pitch);
}

/** Notes on one channel: only those that sound alone keep their bends. */
function addNotesSharingChannel(track: SmfTrack, sorted: NoteEvent[], clock: Clock): void {
  const alone = notesSoundingAlone(sorted);
  sorted.forEach((note, i) => addNote(track, note, { withBends: alone[i], clock }));
}

function fileOf(tracks: SmfTrack[], tempo: number): SmfFile {
  const tempos = [{ ticks: 0, microsecondsPerBeat: Math.floor(MICROSECONDS_PER_MINUTE / tempo) }];
  return { ppq: PPQ, conductor: { name: '', tempos }, tracks };
}

function layOut(notes: NoteEvent[], options: MidiWriteOptions): SmfFile {
  const tempo = options.tempo ?? DEFAULT_TEMPO;
  const clock = fileClock(tempo);
  const program = options.program ?? TRANSCRIPTION_PROGRAM;
  const name = options.trackName ?? 'jam transcription';
  const sorted = sortedNotes(notes);
  const tracks: SmfTrack[] = [];
  if (options.multiplePitchBends) {
    const byPitch = new Map<number, SmfTrack>();
    for (const note of sorted) {
      let track = byPitch.get(note.pitch);
      if (!track) {
        track = emptyTrack(channelForTrack(byPitch.size), `${name} ${note.pitch}`, program);
        byPitch.set(note.pitch, track);
        tracks.push(track);
      }
      addNote(track, note, { withBends: true, clock });
    }
  } else {
    const track = emptyTrack(0, name, program);
    addNotesSharingChannel(track, sorted, clock);
    tracks.push(track);
  }
  return fileOf(tracks, tempo);
}

/** Channels in order, skipping the drum channel, wrapping after sixteen. */
function channelForTrack(index: number): number {
  const melodic = index % (MIDI_CHANNEL_COUNT - 1);
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

/** How a note is placed: on the file's clock, and with its bends or without (when other notes sound with it). */
interface Placing {
  withBends: boolean;
  clock: Clock;
}

function addNote(track: SmfTrack, note: NoteEvent, { withBends, clock: { ticksOf, secondsOf } }: Placing): void {
  const start = ticksOf(note.start);
  // The end follows the rounded start by the note's length, as @tonejs/midi placed it, so files stay as they were.
  const end = ticksOf(secondsOf(start) + (note.end - note.start));
  track.notes.push({
    pitch: note.pitch,
    start,
    end,
    velocity: Math.max(MIN_VELOCITY, Math.min(MAX_VELOCITY, Math.round(note.velocity))),
  });
  const bends = note.bends;
  if (!withBends || !bends || bends.every((bend) => bend === 0)) return;
  const step = (note.end - note.start) / bends.length;
  // The wheel holds its position, so only changes are written: a steady stretch is one event, not one a frame.
  let last: number | undefined;
  bends.forEach((bend, i) => {
    const value = bendValue(bend);
    if (value !== last) track.bends.push({ ticks: ticksOf(note.start + i * step), value });
    last = value;
  });
  // Back to centre as the note ends, so the bend does not carry into the next note.
  track.bends.push({ ticks: ticksOf(note.end), value: 0 });
}

/** Semitones → a signed 14-bit MIDI pitch-bend value for the ±2 semitone range, clipped to it. */
export function bendValue(semitones: number): number {
  return bendPosition(semitones, PITCH_BEND_RANGE_SEMITONES) - BEND_CENTRE;
}

/** The bytes of a file built or edited with @tonejs/midi, written by smfWrite.ts. */
export function midiToBytes(midi: Midi): Uint8Array {
  return encodeSmf(toneMidiToSmf(midi));
}
