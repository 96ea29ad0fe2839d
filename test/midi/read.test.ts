import { describe, expect, it } from 'vitest';
import { midiFromBytes } from '../../src/midi/read.js';

describe('midiFromBytes', () => {
  it('reads a MIDI file with no tracks as an empty piece with its division', () => {
    const midi = midiFromBytes(Uint8Array.of(0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 0, 0x01, 0xe0), 'empty.mid');
    expect(midi.tracks).toEqual([]);
    expect(midi.header.ppq).toBe(480);
  });
});
