import ToneMidi from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { encodeSmf, type SmfFile } from '../../src/midi/smfWrite.js';
import { midiToBytes } from '../../src/midi/write.js';

const { Midi } = ToneMidi;

const file = (overrides: Partial<SmfFile> = {}): SmfFile => ({
  ppq: 480,
  conductor: {
    name: 'song',
    keySignatures: [
      { ticks: 0, accidentals: -3, minor: true },
      { ticks: 960, accidentals: 2, minor: false },
    ],
    texts: [{ ticks: 480, type: 'marker', text: 'Cm7' }],
    tempos: [{ ticks: 0, microsecondsPerBeat: 500_000 }],
    timeSignatures: [{ ticks: 0, numerator: 3, denominator: 4 }],
  },
  tracks: [
    {
      name: 'keys',
      channel: 2,
      program: 4,
      notes: [{ pitch: 60, start: 0, end: 480, velocity: 90, releaseVelocity: 40 }],
      controls: [{ ticks: 240, controller: 64, value: 127 }],
      bends: [],
    },
  ],
  ...overrides,
});

describe('encodeSmf', () => {
  it('writes the conductor: name, key signatures (flats and minor too), markers, tempo and meter', () => {
    const { header } = new Midi(encodeSmf(file()));
    expect(header.name).toBe('song');
    expect(header.keySignatures).toEqual([
      { ticks: 0, key: 'Eb', scale: 'minor' },
      { ticks: 960, key: 'D', scale: 'major' },
    ]);
    expect(header.meta).toEqual([{ ticks: 480, type: 'marker', text: 'Cm7' }]);
    expect(header.tempos.map(({ bpm }) => bpm)).toEqual([120]);
    expect(header.timeSignatures.map(({ timeSignature }) => timeSignature)).toEqual([[3, 4]]);
  });

  it('writes controllers and note-off velocities on the track channel', () => {
    const [track] = new Midi(encodeSmf(file())).tracks;
    expect(track.channel).toBe(2);
    expect(track.controlChanges[64].map(({ ticks, value }) => [ticks, value])).toEqual([[240, 1]]);
    expect(track.notes.map((note) => Math.round(note.noteOffVelocity * 127))).toEqual([40]);
  });

  it('writes texts as UTF-8, or a byte a character when asked', () => {
    const named = (textEncoding?: SmfFile['textEncoding']) =>
      encodeSmf(file({ conductor: { name: 'Café', tempos: [] }, textEncoding }));
    expect(named().length - named('latin-1').length).toBe(1);
    expect(new Midi(named('latin-1')).header.name).toBe('Café');
  });
});

describe('midiToBytes', () => {
  it('writes the key signatures that @tonejs/midi holds, which its own writer gets wrong', () => {
    const midi = new Midi();
    midi.header.keySignatures.push({ ticks: 0, key: 'Ab', scale: 'minor' });
    expect(new Midi(midiToBytes(midi)).header.keySignatures).toEqual([{ ticks: 0, key: 'Ab', scale: 'minor' }]);
    expect(new Midi(midi.toArray()).header.keySignatures).not.toEqual([{ ticks: 0, key: 'Ab', scale: 'minor' }]);
  });

  it('refuses a key signature no MIDI file can hold', () => {
    const midi = new Midi();
    midi.header.keySignatures.push({ ticks: 0, key: 'G#', scale: 'major' });
    expect(() => midiToBytes(midi)).toThrow(/no key signature names the key "G#"/);
  });
});
