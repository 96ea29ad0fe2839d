/**
 * MIDI ports: finding a port by index or name, the one-line reason when the machine has no MIDI system, and, where
 * it has one, notes sent through RtMidi from a virtual output to an input. Where it has none (CI, containers) the
 * RtMidi test is skipped and says so.
 */
import { describe, expect, it } from 'vitest';
import { portSink } from '../../src/live/portSink.js';
import { InputEventReader } from '../../src/midi/inputEvents.js';
import { findPort, missingMidiSystem, openVirtualOutput } from '../../src/midi/ports.js';

const NO_MIDI = missingMidiSystem();
if (NO_MIDI) console.log(`SKIPPED: the RtMidi port test, because this machine has ${NO_MIDI.split(';')[0]}`);

describe('findPort', () => {
  const names = [
    'Midi Through:Midi Through Port-0 14:0',
    'FLUID Synth (1234):Synth input port (1234:0)',
    'FLUID Synth (99):Synth input port (99:0)',
  ];

  it('takes an index, an exact name or a part of one name', () => {
    expect(findPort(names, '1', 'output')).toBe(1);
    expect(findPort(names, names[2], 'output')).toBe(2);
    expect(findPort(names, 'through', 'output')).toBe(0);
  });

  it('says what went wrong in one line: an index too high, a name matching several ports or none', () => {
    expect(() => findPort(names, '3', 'output')).toThrow(
      /MIDI output 3: there are 3 ports; jam ports lists the outputs/,
    );
    expect(() => findPort(names, 'fluid', 'output')).toThrow(/matches 2 ports .*give more of the name or its index/);
    expect(() => findPort([], 'Synth', 'input')).toThrow(/no MIDI input named "Synth"; jam ports lists the inputs/);
  });
});

describe('missingMidiSystem', () => {
  it('on Linux, needs the ALSA sequencer device; elsewhere leaves it to RtMidi', () => {
    expect(missingMidiSystem('linux', () => false)).toMatch(
      /^no MIDI system: the ALSA sequencer \(\/dev\/snd\/seq\) is absent/,
    );
    expect(missingMidiSystem('linux', () => true)).toBeUndefined();
    expect(missingMidiSystem('darwin', () => false)).toBeUndefined();
  });
});

describe('InputEventReader', () => {
  it('turns note messages into note events and the wheel into a bend of the last note on its channel', () => {
    const reader = new InputEventReader(2);
    expect(reader.read([0xe0, 0, 64], 0)).toBeUndefined();
    expect(reader.read([0x90, 60, 100], 0.5)).toEqual({ type: 'on', time: 0.5, pitch: 60, velocity: 100 });
    expect(reader.read([0xe0, 0, 96], 0.6)).toEqual({ type: 'bend', time: 0.6, pitch: 60, value: 1 });
    expect(reader.read([0x90, 60, 0], 0.7)).toEqual({ type: 'off', time: 0.7, pitch: 60, velocity: 0 });
    expect(reader.read([0xb0, 7, 100], 0.8)).toBeUndefined();
  });
});

describe.skipIf(NO_MIDI)('through RtMidi', () => {
  it("sends the port sink's notes from a virtual output to an input that connects to it", async () => {
    const midi = await import('@julusian/midi');
    const output = await openVirtualOutput('jam test');
    const input = new midi.Input();
    const received: number[][] = [];
    input.on('message', (_delta, message) => received.push(message));
    const index = Array.from({ length: input.getPortCount() }, (_, i) => input.getPortName(i)).findIndex((name) =>
      name.includes('jam test'),
    );
    expect(index).toBeGreaterThanOrEqual(0);
    input.openPort(index);
    const sink = portSink(output, { channel: 0 });
    sink.write({ type: 'on', time: 0, pitch: 60, velocity: 100 });
    sink.write({ type: 'off', time: 0.1, pitch: 60, velocity: 0 });
    await expect.poll(() => received).toContainEqual([0x80, 60, 0]);
    expect(received).toContainEqual([0x90, 60, 100]);
    sink.close();
    input.closePort();
  });
});
