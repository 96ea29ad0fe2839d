/**
 * The files jam writes say what their names say: every library progression, in all 24 keys of a pack (the
 * tonics of its 12 major and 12 minor keys, each in the progression's own mode), written as MIDI and read back, has one
 * marker per chord naming it, exactly that chord's pitch classes (as tonal's Chord.get spells it) between
 * its marker and the next, and the key's signature.
 */
import { Mode, Note } from 'tonal';
import ToneMidi from '@tonejs/midi';
import { describe, expect, it, test } from 'vitest';
import { arrangementToMidi, arrangementToMidiBytes, BASS_PROGRAM } from '../../src/app/progressionFile.js';
import { arrangeProgression } from '../../src/theory/progression/arrange.js';
import { PROGRESSIONS } from '../../src/theory/progression/data/progressions.js';
import { packKeyPairs } from '../../src/theory/progression/pack.js';
import {
  keyName,
  parseMusicalKey,
  parseProgression,
  TONAL_MODE,
  type MusicalKey,
} from '../../src/theory/progression/parse.js';
import { RHYTHM_STYLES } from '../../src/theory/progression/rhythm.js';
import { VOICING_STYLES } from '../../src/theory/progression/voicing.js';
import { chordPitchClasses, chordSegments, keySignatureIn, readMidi } from './chordSegments.js';

/** The tonics of the pack's 24 keys (12 major, 12 relative minor): every pitch class, in every spelling the pack uses. */
const PACK_TONICS = [...new Set(packKeyPairs().flatMap((pair) => [pair.major.tonic, pair.minor.tonic]))];
const PPQ = 480;

/**
 * The signature worked out from the scale itself: its sharps minus its flats (a signature past seven
 * becomes its enharmonic twin, D# major's nine sharps being E flat's three flats); minor for minor keys,
 * while a church mode is written as its parent major scale.
 */
function expectedSignature(key: MusicalKey): { accidentals: number; minor: boolean } {
  const notes = Mode.notes(TONAL_MODE[key.mode], key.tonic);
  let accidentals = notes.reduce((sum, note) => sum + (Note.get(note).alt ?? 0), 0);
  if (accidentals > 7) accidentals -= 12;
  if (accidentals < -7) accidentals += 12;
  return { accidentals, minor: key.mode === 'minor' };
}

describe('progression MIDI files', () => {
  test("the 24 keys' tonics: the 12 pitch classes, spelled with sharps and with flats where the keys differ", () => {
    expect(PACK_TONICS).toEqual(['C', 'A', 'Db', 'Bb', 'D', 'B', 'Eb', 'E', 'C#', 'F', 'F#', 'D#', 'G', 'Ab', 'G#']);
    expect(new Set(PACK_TONICS.map((tonic) => Note.chroma(tonic))).size).toBe(12);
  });

  test('every library progression in all 24 keys: markers, chords per segment, key signature, tempo', () => {
    const problems: string[] = [];
    let files = 0;
    for (const tonic of PACK_TONICS) {
      for (const progression of PROGRESSIONS) {
        const key: MusicalKey = { tonic, mode: progression.mode };
        const chords = parseProgression(progression.numerals, { key }).chords;
        const midi = readMidi(
          arrangementToMidiBytes(arrangeProgression(parseProgression(progression.numerals, { key })), progression.name),
        );
        files++;
        const where = `${progression.name} (${progression.numerals}) in ${keyName(key)}`;
        const segments = chordSegments(midi);
        const markers = segments.map((segment) => segment.marker);
        if (markers.join(' ') !== chords.map((chord) => chord.symbol).join(' '))
          problems.push(`${where}: markers ${markers.join(' ')}`);
        let beat = 0;
        segments.forEach((segment, i) => {
          if (segment.startTicks !== beat * PPQ)
            problems.push(`${where}: ${segment.marker} marker at tick ${segment.startTicks}`);
          beat += chords[i]?.beats ?? 0;
          if (segment.pitchClasses.join() !== chordPitchClasses(segment.marker).join())
            problems.push(`${where}: ${segment.marker} sounds ${segment.pitchClasses}`);
          if (segment.spilling > 0) problems.push(`${where}: ${segment.marker} has notes sounding into the next chord`);
        });
        const signature = keySignatureIn(midi);
        if (JSON.stringify(signature) !== JSON.stringify(expectedSignature(key)))
          problems.push(`${where}: key signature ${JSON.stringify(signature)}`);
        if (midi.header.tempos[0]?.bpm !== 120 || midi.header.timeSignatures[0]?.timeSignature.join('/') !== '4/4')
          problems.push(`${where}: tempo or metre`);
        if (midi.tracks[0]?.name !== progression.name) problems.push(`${where}: track name ${midi.tracks[0]?.name}`);
      }
    }
    expect(problems).toEqual([]);
    expect(files).toBe(PACK_TONICS.length * PROGRESSIONS.length);
  });

  // The pack test checks every rhythm in the C major – A minor folder's real files; here every voicing,
  // with a bass line, a human feel and a rhythm each, in F#.
  test('every voicing, with --bass, --humanize and a rhythm, keeps each segment to its chord (all progressions in F#)', () => {
    const problems: string[] = [];
    const variants = VOICING_STYLES.map((voicing, i) => ({
      voicing,
      bass: true,
      humanize: true,
      rhythm: RHYTHM_STYLES[RHYTHM_STYLES.length - 1 - i],
    }));
    expect(new Set(variants.map((variant) => variant.rhythm)).size).toBe(VOICING_STYLES.length);
    for (const tonic of ['F#']) {
      for (const progression of PROGRESSIONS) {
        const progressionInKey = parseProgression(progression.numerals, { key: { tonic, mode: progression.mode } });
        for (const options of variants) {
          const midi = readMidi(
            arrangementToMidiBytes(arrangeProgression(progressionInKey, options), progression.name),
          );
          for (const segment of chordSegments(midi)) {
            if (segment.pitchClasses.join() !== chordPitchClasses(segment.marker).join() || segment.spilling > 0) {
              problems.push(
                `${progression.name} in ${tonic} ${JSON.stringify(options)}: ${segment.marker} sounds ${segment.pitchClasses}`,
              );
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test("a slash chord's bass is in its segment, and --bass writes a bass track", () => {
    const arrangement = arrangeProgression(parseProgression('C/E F/G C'), { bass: true, bpm: 90 });
    const midi = arrangementToMidi(arrangement, 'slash chords');
    expect(midi.tracks.map((track) => [track.name, track.channel, track.instrument.number])).toEqual([
      ['slash chords', 0, 0],
      ['Bass', 1, BASS_PROGRAM],
    ]);
    expect(midi.tracks[1].notes.map((note) => note.midi)).toEqual([40, 43, 36]);
    const segments = chordSegments(readMidi(midi.toArray()));
    expect(segments.map((segment) => segment.marker)).toEqual(['C/E', 'F/G', 'C']);
    expect(segments[1].pitchClasses).toEqual(chordPitchClasses('F/G'));
    expect(readMidi(midi.toArray()).header.tempos[0].bpm).toBeCloseTo(90);
  });

  test("the key signature bytes: @tonejs/midi's wrong count is set right, and it reads them back as written", () => {
    for (const [text, accidentals, minor] of [
      ['C', 0, false],
      ['F# minor', 3, true],
      ['Db', -5, false],
      ['Bb minor', -5, true],
      ['C#', 7, false],
    ] as const) {
      const arrangement = arrangeProgression(parseProgression('I', { key: parseMusicalKey(text) }));
      const bytes = arrangementToMidiBytes(arrangement, text);
      const at = Buffer.from(bytes).indexOf(Buffer.from([0xff, 0x59, 0x02]));
      expect([...bytes.subarray(at + 3, at + 5)]).toEqual([accidentals & 0xff, minor ? 1 : 0]);
      expect(keySignatureIn(readMidi(bytes))).toEqual({ accidentals, minor });
      // The object model names the signature as @tonejs/midi reads it.
      expect(keySignatureIn(readMidi(bytes))).toEqual(keySignatureIn(arrangementToMidi(arrangement, text)));
    }
  });

  test('velocities survive the file: a humanized note keeps its velocity exactly', () => {
    const arrangement = arrangeProgression(parseProgression('I IV V I'), { rhythm: 'pop', humanize: true, seed: 3 });
    const written = readMidi(arrangementToMidiBytes(arrangement, 'velocities')).tracks[0].notes.map((note) =>
      Math.round(note.velocity * 127),
    );
    expect(written.sort()).toEqual(arrangement.notes.map((note) => note.velocity).sort());
  });
});

describe('long progressions', () => {
  const chords = (count: number): string =>
    Array.from({ length: count }, (_, i) => ['I', 'IV', 'V7', 'vi', 'ii7', 'V7/V'][i % 6]).join(' ');
  const write = (text: string, loop = 1): Uint8Array =>
    arrangementToMidiBytes(arrangeProgression(parseProgression(text), { loop, bass: true, humanize: 0.5 }), 'long');

  it('10 000 chords, and 200 chords looped 64 times, are written whole', () => {
    const bytes = write(chords(10_000));
    expect(new ToneMidi.Midi(bytes).tracks[0].notes.length).toBeGreaterThan(30_000);
    const looped = arrangeProgression(parseProgression(chords(200)), { loop: 64 });
    expect(looped.chords).toHaveLength(12_800);
    expect(write(chords(200), 64).length).toBeGreaterThan(100_000);
  });
});
