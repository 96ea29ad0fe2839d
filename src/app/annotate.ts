/**
 * A copy of a MIDI file with its analysis written in, so that a DAW shows it: each chord as a marker
 * event at the chord's start (its lead-sheet symbol, "N.C." where nothing sounds) and each key as a
 * key-signature event. The notes and everything else are left as they are; key signatures already in the
 * file give way to the analysed ones, and markers already there are kept.
 */
import ToneMidi from '@tonejs/midi';
import { Key } from 'tonal';
import { NO_CHORD_SYMBOL } from '../theory/analysis/chords.js';
import type { Analysis, KeyEstimate } from '../theory/analysis/types.js';
import { midiToBytes, type Midi } from '../midi/write.js';

const { Midi: MidiFile } = ToneMidi;

const MARKER = 'marker';
/** What a chart writes for "no chord". */
export const NO_CHORD_MARKER = 'N.C.';

/** The annotated copy, as the bytes of a Standard MIDI File. */
export function annotatedMidiBytes(midi: Midi, analysis: Analysis): Uint8Array {
  return midiToBytes(annotateMidi(midi, analysis));
}

export function annotateMidi(midi: Midi, analysis: Analysis): Midi {
  const copy = new MidiFile();
  copy.fromJSON(midi.toJSON());
  const { header } = copy;
  header.keySignatures = analysis.keyChanges.map((segment) => ({
    ticks: header.secondsToTicks(segment.start),
    key: signatureTonic(segment.key),
    scale: segment.key.mode,
  }));
  const markers = analysis.chords.map((chord) => ({
    type: MARKER,
    text: chord.symbol === NO_CHORD_SYMBOL ? NO_CHORD_MARKER : chord.symbol,
    ticks: header.secondsToTicks(chord.start),
  }));
  const ours = new Set(markers.map(({ ticks, text }) => `${ticks} ${text}`));
  // A file annotated before keeps its own markers but not a second copy of the same chord markers.
  header.meta = [
    ...header.meta.filter((event) => event.type !== MARKER || !ours.has(`${event.ticks} ${event.text}`)),
    ...markers,
  ].sort((a, b) => a.ticks - b.ticks);
  return copy;
}

/**
 * A key signature names its major key (@tonejs/midi, like the MIDI file itself, stores sharps or flats
 * and a mode): C for A minor, A for F# minor.
 */
function signatureTonic(key: KeyEstimate): string {
  return key.mode === 'major' ? key.tonic : Key.minorKey(key.tonic).relativeMajor;
}
