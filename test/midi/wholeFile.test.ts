import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { midiToBytes, notesToMidi } from '../../src/midi/write.js';
import { checkMidiIsWhole } from '../../src/midi/wholeFile.js';
import { FIXTURES } from '../helpers/cli.js';

const CHORDS = readFileSync(join(FIXTURES, 'chords.mid'));

describe('whether a MIDI file is all there', () => {
  it('accepts whole files, the fixtures and jam’s own, and padding after the last track', () => {
    for (const name of ['chords.mid', 'bend.mid', 'scale.mid', 'bass.mid']) {
      expect(() => checkMidiIsWhole(readFileSync(join(FIXTURES, name)), name)).not.toThrow();
    }
    expect(() =>
      checkMidiIsWhole(midiToBytes(notesToMidi([], { multiplePitchBends: true })), 'empty.mid'),
    ).not.toThrow();
    expect(() => checkMidiIsWhole(Buffer.concat([CHORDS, Buffer.alloc(5)]), 'padded.mid')).not.toThrow();
  });

  it('refuses a file cut anywhere after its header, saying what is missing', () => {
    // chords.mid: a 14-byte header chunk, then its tracks.
    for (const length of [15, 22, 40, CHORDS.length - 100, CHORDS.length - 1]) {
      expect(() => checkMidiIsWhole(CHORDS.subarray(0, length), 'cut.mid')).toThrow(
        /^cut\.mid: the MIDI file is truncated \(.* are there\); export or copy it again$/,
      );
    }
    expect(() => checkMidiIsWhole(CHORDS.subarray(0, CHORDS.length - 1), 'cut.mid')).toThrow(
      /track \d promises \d+ bytes, \d+ are there/,
    );
    expect(() => checkMidiIsWhole(CHORDS.subarray(0, 12), 'cut.mid')).toThrow(
      /header chunk promises 6 bytes, 4 are there/,
    );
  });

  it('refuses what is not a MIDI file', () => {
    expect(() => checkMidiIsWhole(Buffer.from('C E G\n'), 'notes.mid')).toThrow(
      /^notes\.mid: not a MIDI file \(it does not start with "MThd"\)/,
    );
    const shortHeader = Buffer.from([...Buffer.from('MThd'), 0, 0, 0, 2, 0, 1]);
    expect(() => checkMidiIsWhole(shortHeader, 'odd.mid')).toThrow(
      /not a readable MIDI file \(its header chunk has 2 bytes, not 6\)/,
    );
  });
});
