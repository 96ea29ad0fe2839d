/**
 * Choosing a microphone or line input by index or label, and reading a running audio context (no device is opened:
 * this machine has none).
 */
import { describe, expect, it } from 'vitest';
import { AudioContext, OscillatorNode } from 'node-web-audio-api';
import { contextSource, findInputDevice, type InputDevice } from '../../src/live/input.js';

const RATE = 22050;

const devices: InputDevice[] = [
  { index: 0, deviceId: 'a', label: 'Built-in Microphone' },
  { index: 1, deviceId: 'b', label: 'USB Audio CODEC' },
  { index: 2, deviceId: 'c', label: 'USB Guitar Link' },
];

describe('findInputDevice', () => {
  it('takes an index or a unique part of a label, in any case', () => {
    expect(findInputDevice(devices, '1').deviceId).toBe('b');
    expect(findInputDevice(devices, 'guitar').deviceId).toBe('c');
  });

  it('says in one line what is wrong: no devices at all, an index too high, a name matching several or none', () => {
    expect(() => findInputDevice([], '0')).toThrow(/^no audio input devices found .*--stdin/);
    expect(() => findInputDevice(devices, '3')).toThrow(/--input 3: there are 3 inputs; jam devices lists them/);
    expect(() => findInputDevice(devices, 'usb')).toThrow(/matches 2 devices/);
    expect(() => findInputDevice(devices, 'Piano')).toThrow(/no audio input named "Piano"/);
  });
});

describe('contextSource', () => {
  it("reads a node of a running audio context through a ScriptProcessor, at the model's rate, until stopped", async () => {
    const FREQUENCY = 441;
    const source = contextSource('oscillator', async () => {
      // No sound card here: a context with no output device still runs on its own clock.
      const context = new AudioContext({ sinkId: { type: 'none' } });
      const oscillator = new OscillatorNode(context, { frequency: FREQUENCY });
      oscillator.start();
      return { context, input: oscillator };
    });
    const controller = new AbortController();
    const chunks: Float32Array[] = [];
    for await (const chunk of source.chunks(controller.signal)) {
      chunks.push(chunk);
      if (chunks.reduce((sum, c) => sum + c.length, 0) >= RATE / 2) controller.abort();
    }
    const samples = Float32Array.from(chunks.flatMap((chunk) => [...chunk]));
    // Skip the resampler's start-up, then count rising zero crossings: one per cycle at 22 050 Hz.
    const steady = samples.subarray(RATE / 20);
    let cycles = 0;
    for (let i = 1; i < steady.length; i++) if (steady[i - 1] < 0 && steady[i] >= 0) cycles++;
    expect(cycles / (steady.length / RATE)).toBeCloseTo(FREQUENCY, -1);
  });
});
