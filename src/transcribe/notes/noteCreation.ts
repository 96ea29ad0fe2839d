/**
 * Posteriorgrams → notes, following basic-pitch's note_creation.py step by step, in time linear in the
 * number of frames (the melodia trick visits cells in one sorted pass instead of a global argmax per note).
 * The steps live beside this file: settings, onsets, frame notes and the melodia trick, bends, frame times.
 */
import { MAX_VELOCITY, MIN_VELOCITY } from '../../notes.js';
import type { NoteEvent } from '../../types.js';
import { pitchBendsOf } from './bends.js';
import { frameToTime, type ModelOutput } from './frames.js';
import { outputToFrameNotes } from './frameNotes.js';
import { noteSettings, type NoteCreationOptions } from './settings.js';

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

export function amplitudeToVelocity(amplitude: number): number {
  return Math.min(MAX_VELOCITY, Math.max(MIN_VELOCITY, Math.round(MAX_VELOCITY * amplitude)));
}
