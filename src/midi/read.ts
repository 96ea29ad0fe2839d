/**
 * A Standard MIDI File → jam's notes, for scoring transcriptions against their source and for analysis.
 * Drum tracks (channel 10) carry no pitch, so they are left out.
 */
import ToneMidi from '@tonejs/midi';
import { JamError } from '../errors.js';
import { MAX_VELOCITY } from '../notes.js';
import type { NoteEvent } from '../types.js';
import { CHUNK_HEADER_BYTES, DRUM_CHANNEL, TRACK_CHUNK } from './constants.js';

const { Midi } = ToneMidi;

/** The chunks in a file that are tracks ("MTrk"), counted by walking the chunk lengths. */
function trackChunks(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let tracks = 0;
  for (
    let offset = 0;
    offset + CHUNK_HEADER_BYTES <= bytes.length;
    offset += CHUNK_HEADER_BYTES + view.getUint32(offset + 4)
  )
    if (String.fromCharCode(...bytes.subarray(offset, offset + 4)) === TRACK_CHUNK) tracks++;
  return tracks;
}

/** Reads a MIDI file with @tonejs/midi; a file with no tracks at all is an empty piece (which @tonejs/midi cannot read). */
export function midiFromBytes(bytes: Uint8Array, name: string): InstanceType<typeof Midi> {
  if (bytes.length >= CHUNK_HEADER_BYTES + 6 && trackChunks(bytes) === 0) {
    const empty = new Midi();
    const division = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(CHUNK_HEADER_BYTES + 4);
    if (division > 0 && division < 0x8000)
      empty.header.fromJSON({ name: '', ppq: division, meta: [], tempos: [], timeSignatures: [], keySignatures: [] });
    return empty;
  }
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
