import ToneMidi from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { annotatedMidiBytes, NO_CHORD_MARKER } from '../../src/app/annotate.js';
import { midiToBytes, notesToMidi } from '../../src/midi/write.js';
import { analyzeMidi } from '../../src/app/analyze.js';
import { progression } from '../theory/progression/progressions.js';

const { Midi } = ToneMidi;

function annotated(bytes: Uint8Array) {
  const analysis = analyzeMidi(bytes, 'song.mid');
  return { analysis, midi: new Midi(annotatedMidiBytes(new Midi(bytes), analysis)) };
}

function notesOf(midi: InstanceType<typeof Midi>) {
  return midi.tracks.flatMap((track) =>
    track.notes.map(({ midi: pitch, ticks, durationTicks, velocity }) => ({ pitch, ticks, durationTicks, velocity })),
  );
}

describe('annotateMidi', () => {
  it('writes each chord as a marker at its start and the key as a key signature, notes untouched', () => {
    const piece = progression('E', 'major', 'block');
    const original = notesToMidi(
      [
        { pitch: 64, start: 0, end: 0.2, velocity: 1 },
        ...piece.notes.map((note) => ({ ...note, start: note.start + 2, end: note.end + 2 })),
      ],
      { tempo: 120 },
    );
    const bytes = midiToBytes(original);
    const { analysis, midi } = annotated(bytes);
    const markers = midi.header.meta.filter((event) => event.type === 'marker');
    expect(markers.map((marker) => marker.text)).toEqual(
      analysis.chords.map((chord) => (chord.symbol === 'N' ? NO_CHORD_MARKER : chord.symbol)),
    );
    expect(markers.map((marker) => marker.text).slice(1, 5)).toEqual(['E', 'C#m', 'A', 'B']);
    expect(markers.map((marker) => midi.header.ticksToSeconds(marker.ticks))).toEqual(
      analysis.chords.map((chord) => chord.start),
    );
    expect(midi.header.keySignatures).toEqual([{ key: 'E', scale: 'major', ticks: 0 }]);
    expect(notesOf(midi)).toEqual(notesOf(new Midi(bytes)));
  });

  it("writes a minor key as its signature (the relative major's sharps or flats) in minor, as the MIDI standard has it", () => {
    const bytes = midiToBytes(notesToMidi(progression('F#', 'minor', 'block').notes, { tempo: 120 }));
    const { midi } = annotated(bytes);
    expect(midi.header.keySignatures).toEqual([{ key: 'A', scale: 'minor', ticks: 0 }]);
    // In the file: FF 59 02, then three sharps and 1 for minor.
    const written = annotatedMidiBytes(new Midi(bytes), analyzeMidi(bytes, 'song.mid'));
    const at = Buffer.from(written).indexOf(Buffer.from([0xff, 0x59, 0x02]));
    expect([...written.subarray(at + 3, at + 5)]).toEqual([3, 1]);
    const flats = annotatedMidiBytes(new Midi(bytes), {
      ...analyzeMidi(bytes, 'song.mid'),
      keyChanges: [{ start: 0, end: 16, bar: 1, key: { tonic: 'Eb', mode: 'minor', name: 'Eb minor', confidence: 1 } }],
    });
    const flatAt = Buffer.from(flats).indexOf(Buffer.from([0xff, 0x59, 0x02]));
    expect([(flats[flatAt + 3] << 24) >> 24, flats[flatAt + 4]]).toEqual([-6, 1]);
  });

  it("keeps the file's own markers, replaces its key signatures, and does not repeat itself when run twice", () => {
    const original = notesToMidi(progression('C', 'major', 'block').notes, { tempo: 120 });
    original.header.meta.push({ type: 'marker', text: 'Verse', ticks: 0 });
    original.header.keySignatures.push({ key: 'G', scale: 'major', ticks: 0 });
    const once = annotated(midiToBytes(original)).midi;
    const twice = annotated(midiToBytes(once)).midi;
    expect(twice.header.meta).toEqual(once.header.meta);
    expect(twice.header.meta.filter((event) => event.text === 'Verse')).toHaveLength(1);
    expect(twice.header.keySignatures).toEqual([{ key: 'C', scale: 'major', ticks: 0 }]);
  });
});
