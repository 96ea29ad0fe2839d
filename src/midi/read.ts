/**
 * A Standard MIDI File → jam's notes, for scoring transcriptions against their source and for analysis.
 * Drum tracks (channel 10) carry no pitch, so they are left out.
 */
import ToneMidi from '@tonejs/midi';
import { JamError } from '../errors.js';
import { MAX_VELOCITY } from '../notes.js';
import type { NoteEvent } from '../types.js';
import { DRUM_CHANNEL } from './constants.js';

const { Midi } = ToneMidi;

export function midiFromBytes(bytes: Uint8Array, name: string): InstanceType<typeof Midi> {
  try {
    return new Midi(bytes);
  } catch (error) {
    throw new JamError(
      `${name}: not a readable MIDI file (${String((error as Error).message ?? error)}); check the file`,
    );
  }
}

export function midiNotes(bytes: Uint8Array, name: string): NoteEvent[] {
  const midi = midiFromBytes(bytes, name);
  const notes: NoteEvent[] = [];
  for (const track of midi.tracks) {
    if (track.channel === DRUM_CHANNEL) continue;
    for (const note of track.notes) {
      notes.push({
        pitch: note.midi,
        start: note.time,
        end: note.time + note.duration,
        velocity: Math.round(note.velocity * MAX_VELOCITY),
      });
    }
  }
  return notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
}
