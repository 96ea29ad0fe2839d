/**
 * Live events → a MIDI output port. On connect the port gets the program and the pitch-bend range (RPN 0); bends
 * move the wheel only while their note sounds alone, since on one channel the wheel bends every note; on close
 * every sounding note gets its note-off, then All Notes Off, and the port is closed.
 */
import {
  allNotesOff,
  BEND_CENTRE,
  bendPosition,
  bendRangeMessages,
  noteOff,
  noteOn,
  pitchWheel,
  programChange,
} from '../midi/messages.js';
import { PITCH_BEND_RANGE_SEMITONES } from '../midi/constants.js';
import type { MidiOutputPort } from '../midi/ports.js';
import type { LiveEvent } from '../types.js';
import type { LiveSink } from './pipeline.js';

export interface PortSinkOptions {
  /** MIDI channel 0–15. */
  channel?: number;
  /** General MIDI program 0–127; none leaves the synth's sound alone. */
  program?: number;
  /** Semitones the full wheel spans, told to the synth on connect. */
  bendRange?: number;
}

export function portSink(
  port: MidiOutputPort,
  { channel = 0, program, bendRange = PITCH_BEND_RANGE_SEMITONES }: PortSinkOptions = {},
): LiveSink {
  const send = (message: number[]): void => port.sendMessage(message);
  const sounding = new Map<number, number>();
  let wheel = BEND_CENTRE;
  let closed = false;
  const moveWheel = (position: number): void => {
    if (position === wheel) return;
    wheel = position;
    send(pitchWheel(channel, position));
  };

  if (program !== undefined) send(programChange(channel, program));
  for (const message of bendRangeMessages(channel, bendRange)) send(message);
  send(pitchWheel(channel, BEND_CENTRE));

  return {
    write(event: LiveEvent) {
      if (closed) return;
      if (event.type === 'on') {
        if (sounding.size === 0) moveWheel(BEND_CENTRE);
        sounding.set(event.pitch, (sounding.get(event.pitch) ?? 0) + 1);
        send(noteOn(channel, event.pitch, event.velocity));
      } else if (event.type === 'off') {
        const count = sounding.get(event.pitch) ?? 0;
        if (count === 0) return;
        if (count === 1) sounding.delete(event.pitch);
        else sounding.set(event.pitch, count - 1);
        send(noteOff(channel, event.pitch));
        if (sounding.size === 0) moveWheel(BEND_CENTRE);
      } else if (sounding.size === 1 && sounding.has(event.pitch)) {
        moveWheel(bendPosition(event.value, bendRange));
      }
    },
    close() {
      if (closed) return;
      closed = true;
      for (const [pitch, count] of sounding) for (let i = 0; i < count; i++) send(noteOff(channel, pitch));
      sounding.clear();
      send(allNotesOff(channel));
      moveWheel(BEND_CENTRE);
      port.closePort();
    },
  };
}
