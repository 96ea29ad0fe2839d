/**
 * A MIDI file → the messages to send and when, in seconds from the start, through its tempo map (@tonejs/midi
 * turns ticks into seconds): each track's program, then its controllers, pitch bends and notes. At equal times
 * note-offs go before note-ons, so a repeated note is released before it sounds again.
 */
import { MAX_VELOCITY, MIN_VELOCITY } from '../notes.js';
import { MIDI_DATA_MAX } from './constants.js';
import {
  BEND_CENTRE,
  controlChange,
  noteOff,
  noteOn,
  pitchWheel,
  programChange,
  type MidiMessage,
} from './messages.js';
import type { Midi } from './write.js';

export interface TimedMessage {
  /** Seconds from the start. */
  time: number;
  message: MidiMessage;
}

/** Order within one instant: set-up first, then releases, then new notes. */
const ORDER = { program: 0, control: 1, bend: 2, off: 3, on: 4 } as const;

export function midiTimeline(midi: Midi): TimedMessage[] {
  const events: Array<TimedMessage & { order: number }> = [];
  const add = (time: number, order: number, message: MidiMessage): void => void events.push({ time, order, message });
  for (const track of midi.tracks) {
    const channel = track.channel;
    if (!track.instrument.percussion) add(0, ORDER.program, programChange(channel, track.instrument.number));
    for (const changes of Object.values(track.controlChanges)) {
      for (const change of changes)
        add(
          change.time,
          ORDER.control,
          controlChange(channel, change.number, Math.round(change.value * MIDI_DATA_MAX)),
        );
    }
    // @tonejs/midi reads a bend as a fraction of the wheel's half-span, -1 to 1.
    for (const bend of track.pitchBends)
      add(bend.time, ORDER.bend, pitchWheel(channel, BEND_CENTRE + bend.value * BEND_CENTRE));
    for (const note of track.notes) {
      add(
        note.time,
        ORDER.on,
        noteOn(channel, note.midi, Math.max(MIN_VELOCITY, Math.round(note.velocity * MAX_VELOCITY))),
      );
      add(note.time + note.duration, ORDER.off, noteOff(channel, note.midi));
    }
  }
  return events.sort((a, b) => a.time - b.time || a.order - b.order).map(({ time, message }) => ({ time, message }));
}

/** Seconds until the last message. */
export function timelineDuration(timeline: TimedMessage[]): number {
  return timeline.length === 0 ? 0 : timeline[timeline.length - 1].time;
}
