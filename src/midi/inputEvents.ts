/**
 * Messages from a MIDI input port → live events, so a recording from a port goes through the same note collection
 * and crash-safe file as a live transcription. The wheel bends the note that sounds last on its channel; its
 * position becomes semitones over the ±`bendRange` the file is written with.
 */
import type { LiveEvent } from '../types.js';
import { BEND_CENTRE, parseMessage } from './messages.js';

export class InputEventReader {
  private readonly lastNote = new Map<number, number[]>();

  constructor(private readonly bendRange: number) {}

  /** The live event a message means at `time` (seconds), or undefined for messages a file of notes does not keep. */
  read(message: readonly number[], time: number): LiveEvent | undefined {
    const parsed = parseMessage(message);
    if (parsed.kind === 'other') return undefined;
    const notes = this.lastNote.get(parsed.channel) ?? [];
    if (parsed.kind === 'wheel') {
      const pitch = notes[notes.length - 1];
      if (pitch === undefined) return undefined;
      return { type: 'bend', time, pitch, value: ((parsed.position - BEND_CENTRE) / BEND_CENTRE) * this.bendRange };
    }
    const others = notes.filter((pitch) => pitch !== parsed.pitch);
    this.lastNote.set(parsed.channel, parsed.kind === 'on' ? [...others, parsed.pitch] : others);
    return { type: parsed.kind, time, pitch: parsed.pitch, velocity: parsed.velocity };
  }
}
