/** Choosing a microphone or line input by index or label (no device is opened here; this machine has none). */
import { describe, expect, it } from 'vitest';
import { findInputDevice, type InputDevice } from '../../src/live/input.js';

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
