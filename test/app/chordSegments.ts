/**
 * Reads a progression MIDI file back the way a test checks it: the markers cut the file into chord
 * segments, and each segment's notes (all tracks) give the pitch classes that sound in it.
 */
import ToneMidi from '@tonejs/midi';
import { Chord, Note } from 'tonal';

const { Midi } = ToneMidi;
export type MidiFile = InstanceType<typeof Midi>;

export interface ChordSegmentInFile {
  marker: string;
  startTicks: number;
  endTicks: number;
  /** Pitch classes (0–11) of the notes that start in the segment, sorted. */
  pitchClasses: number[];
  /** Notes that start in the segment but sound past its end. */
  spilling: number;
}

export function readMidi(bytes: Uint8Array): MidiFile {
  return new Midi(bytes);
}

export function chordSegments(midi: MidiFile): ChordSegmentInFile[] {
  const notes = midi.tracks.flatMap((track) => track.notes);
  const lastTick = Math.max(0, ...notes.map((note) => note.ticks + note.durationTicks));
  const markers = midi.header.meta.filter((event) => event.type === 'marker').sort((a, b) => a.ticks - b.ticks);
  return markers.map((marker, i) => {
    const startTicks = marker.ticks;
    const endTicks = markers[i + 1]?.ticks ?? lastTick;
    const inside = notes.filter((note) => note.ticks >= startTicks && note.ticks < endTicks);
    return {
      marker: marker.text,
      startTicks,
      endTicks,
      pitchClasses: [...new Set(inside.map((note) => note.midi % 12))].sort((a, b) => a - b),
      spilling: inside.filter((note) => note.ticks + note.durationTicks > endTicks).length,
    };
  });
}

/** The pitch classes tonal says a chord symbol has, sorted. */
export function chordPitchClasses(symbol: string): number[] {
  return [...new Set(Chord.get(symbol).notes.map((note) => Note.chroma(note) ?? -1))].sort((a, b) => a - b);
}

/** @tonejs/midi names a key signature by the major key with that many sharps or flats: the count back. */
const SIGNATURE_KEYS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];
export function keySignatureIn(midi: MidiFile): { accidentals: number; minor: boolean } | undefined {
  const [signature] = midi.header.keySignatures;
  return signature && { accidentals: SIGNATURE_KEYS.indexOf(signature.key) - 7, minor: signature.scale === 'minor' };
}
