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
import type { Midi } from '../midi/write.js';

const { Midi: MidiFile } = ToneMidi;

const MARKER = 'marker';
/** What a chart writes for "no chord". */
export const NO_CHORD_MARKER = 'N.C.';

/** The annotated copy, as the bytes of a Standard MIDI File. */
export function annotatedMidiBytes(midi: Midi, analysis: Analysis): Uint8Array {
  return withKeySignaturesFixed(annotateMidi(midi, analysis).toArray());
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

const META = 0xff;
const KEY_SIGNATURE = 0x59;
const CHUNK_HEADER_BYTES = 8;
/**
 * @tonejs/midi 2.0.28 writes a key signature's sharps-or-flats byte 14 too high (its list index + 7
 * where the count is the index − 7; Tonejs/Midi issue #173, fixed after the last release), though it
 * reads them right. Its first track holds only meta events, so they are found by walking it. A count
 * above 7 cannot be right, so a fixed release would be left alone.
 */
const TONEJS_KEY_OFFSET = 14;
const MOST_SHARPS = 7;

function withKeySignaturesFixed(bytes: Uint8Array): Uint8Array {
  const fixed = Uint8Array.from(bytes);
  const view = new DataView(fixed.buffer);
  const headerLength = view.getUint32(4);
  const trackStart = CHUNK_HEADER_BYTES + headerLength + CHUNK_HEADER_BYTES;
  const trackEnd = trackStart + view.getUint32(trackStart - 4);
  let offset = trackStart;
  const readNumber = (): number => {
    let value = 0;
    let byte: number;
    do {
      byte = fixed[offset++];
      value = (value << 7) | (byte & 0x7f);
    } while (byte & 0x80);
    return value;
  };
  while (offset < trackEnd) {
    readNumber(); // delta time
    if (fixed[offset] !== META)
      throw new Error('the first track of a MIDI file written by @tonejs/midi holds a non-meta event');
    const type = fixed[offset + 1];
    offset += 2;
    const length = readNumber();
    if (type === KEY_SIGNATURE && view.getInt8(offset) > MOST_SHARPS)
      view.setInt8(offset, view.getInt8(offset) - TONEJS_KEY_OFFSET);
    offset += length;
  }
  return fixed;
}
