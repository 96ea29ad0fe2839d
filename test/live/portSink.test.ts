/**
 * The port sink's messages, sent to an object with RtMidi's Output interface (no port can open on a machine
 * without MIDI): set-up on connect (program, bend range by RPN 0), notes on the chosen channel, bends as 14-bit
 * wheel positions over that range, and note-offs and All Notes Off when it stops.
 */
import { describe, expect, it } from 'vitest';
import { bendPosition, bendRangeMessages, pitchWheel } from '../../src/midi/messages.js';
import type { MidiOutputPort } from '../../src/midi/ports.js';
import { portSink } from '../../src/live/portSink.js';

function fakeOutput(): MidiOutputPort & { sent: number[][]; closed: boolean } {
  const output = {
    sent: [] as number[][],
    closed: false,
    sendMessage(message: number[]) {
      output.sent.push(message);
    },
    closePort() {
      output.closed = true;
    },
  };
  return output;
}

describe('portSink', () => {
  it('selects the program, sets the bend range by RPN 0 and centres the wheel on connect', () => {
    const output = fakeOutput();
    portSink(output, { channel: 3, program: 81, bendRange: 12 });
    expect(output.sent).toEqual([
      [0xc3, 81],
      [0xb3, 101, 0],
      [0xb3, 100, 0],
      [0xb3, 6, 12],
      [0xb3, 38, 0],
      [0xb3, 101, 127],
      [0xb3, 100, 127],
      [0xe3, 0, 64],
    ]);
  });

  it('sends notes on its channel and bends a note sounding alone, over the bend range', () => {
    const output = fakeOutput();
    const sink = portSink(output, { channel: 1, bendRange: 12 });
    output.sent.length = 0;
    sink.write({ type: 'on', time: 0, pitch: 60, velocity: 100 });
    sink.write({ type: 'bend', time: 0.1, pitch: 60, value: 3 });
    sink.write({ type: 'bend', time: 0.2, pitch: 60, value: 3 });
    sink.write({ type: 'off', time: 0.5, pitch: 60, velocity: 0 });
    // +3 semitones of ±12: a quarter of the way up from the centre, 8192 + 2048.
    expect(output.sent).toEqual([
      [0x91, 60, 100],
      [0xe1, 10240 & 0x7f, 10240 >> 7],
      [0x81, 60, 0],
      [0xe1, 0, 64],
    ]);
  });

  it('leaves the wheel alone while other notes sound, since it would bend them all', () => {
    const output = fakeOutput();
    const sink = portSink(output);
    output.sent.length = 0;
    sink.write({ type: 'on', time: 0, pitch: 60, velocity: 100 });
    sink.write({ type: 'on', time: 0, pitch: 64, velocity: 100 });
    sink.write({ type: 'bend', time: 0.1, pitch: 64, value: 0.5 });
    expect(output.sent).toEqual([
      [0x90, 60, 100],
      [0x90, 64, 100],
    ]);
  });

  it('on close releases every sounding note, sends All Notes Off, recentres the wheel and closes the port, once', () => {
    const output = fakeOutput();
    const sink = portSink(output, { channel: 9 });
    sink.write({ type: 'on', time: 0, pitch: 40, velocity: 100 });
    sink.write({ type: 'bend', time: 0.1, pitch: 40, value: -1 });
    output.sent.length = 0;
    sink.close();
    sink.close();
    sink.write({ type: 'on', time: 1, pitch: 41, velocity: 100 });
    expect(output.sent).toEqual([
      [0x89, 40, 0],
      [0xb9, 123, 0],
      [0xe9, 0, 64],
    ]);
    expect(output.closed).toBe(true);
  });
});

describe('MIDI bend messages', () => {
  it('map semitones to 14-bit positions over the range, clipped to the wheel', () => {
    expect(bendPosition(0, 2)).toBe(8192);
    expect(bendPosition(-2, 2)).toBe(0);
    expect(bendPosition(1, 2)).toBe(12288);
    expect(bendPosition(5, 2)).toBe(16383);
    expect(pitchWheel(0, 16383)).toEqual([0xe0, 127, 127]);
  });

  it('give a fractional bend range to the synth in cents', () => {
    expect(bendRangeMessages(0, 2.5).slice(2, 4)).toEqual([
      [0xb0, 6, 2],
      [0xb0, 38, 50],
    ]);
  });
});
