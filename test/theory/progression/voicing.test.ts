import { Note } from 'tonal';
import { describe, expect, test } from 'vitest';
import { PROGRESSIONS } from '../../../src/theory/progression/data/progressions.js';
import { parseMusicalKey, parseProgression } from '../../../src/theory/progression/parse.js';
import {
  bassPitch,
  closeInversions,
  smoothestVoiceLeading,
  voiceChords,
  voiceMovement,
  voicingShapes,
  VOICING_STYLES,
  type ChordToVoice,
} from '../../../src/theory/progression/voicing.js';

const chord = (symbol: string): ChordToVoice => parseProgression(symbol).chords[0];
const chroma = (pitches: number[]): number[] => [...new Set(pitches.map((pitch) => pitch % 12))].sort((a, b) => a - b);
const chromaOf = (notes: string[]): number[] =>
  [...new Set(notes.map((note) => Note.chroma(note) ?? -1))].sort((a, b) => a - b);
const MIDI_E1 = 28;
const MIDI_E7 = 100;
const semitones = (shape: string[]): number[] =>
  shape.map((interval) => Note.midi(Note.transpose('C4', interval)) ?? 0);

describe('shapes of each style', () => {
  test('close position: root position and every inversion, each within an octave for a triad', () => {
    expect(closeInversions(['1P', '3M', '5P'])).toEqual([
      ['1P', '3M', '5P'],
      ['3M', '5P', '8P'],
      ['5P', '8P', '10M'],
    ]);
    expect(closeInversions(['1P', '3m', '5P', '7m'])).toHaveLength(4);
  });

  test('open, drop-2, drop-3 and spread, in root position of C major and Cmaj7', () => {
    const c = chord('C');
    const cmaj7 = chord('Cmaj7');
    expect(semitones(voicingShapes(c, 'open')[0])).toEqual([60, 67, 76]);
    expect(semitones(voicingShapes(cmaj7, 'open')[0])).toEqual([60, 67, 76, 83]);
    // drop-2: the second note from the top an octave down; a triad doubles its root to make four voices.
    expect(semitones(voicingShapes(cmaj7, 'drop-2')[0])).toEqual([55, 60, 64, 71]);
    expect(semitones(voicingShapes(c, 'drop-2')[0])).toEqual([55, 60, 64, 72]);
    expect(semitones(voicingShapes(cmaj7, 'drop-3')[0])).toEqual([52, 60, 67, 71]);
    // spread: the open position over its lowest note an octave down.
    expect(semitones(voicingShapes(c, 'spread')[0])).toEqual([48, 60, 67, 76]);
  });

  test('a slash bass sounds below the whole shape', () => {
    for (const style of VOICING_STYLES) {
      for (const shape of voicingShapes(chord('C/E'), style)) {
        const pitches = semitones(shape);
        expect(pitches[0] % 12).toBe(4);
        expect(Math.min(...pitches.slice(1))).toBeGreaterThan(pitches[0]);
      }
    }
  });
});

describe('voice leading', () => {
  test('the first chord is in root position with its root in --octave; then the voices move little', () => {
    const progression = parseProgression('I V vi IV', { key: parseMusicalKey('C') });
    const voiced = voiceChords(progression.chords);
    expect(voiced.map((v) => v.notes)).toEqual([
      ['C4', 'E4', 'G4'],
      ['B3', 'D4', 'G4'],
      ['C4', 'E4', 'A4'],
      ['C4', 'F4', 'A4'],
    ]);
    expect(voiceChords(progression.chords, { octave: 3 })[0].notes).toEqual(['C3', 'E3', 'G3']);
  });

  test('without voice leading every chord is in root position in the octave', () => {
    const voiced = voiceChords(parseProgression('I V vi IV').chords, { voiceLead: false });
    expect(voiced.map((v) => v.notes)).toEqual([
      ['C4', 'E4', 'G4'],
      ['G4', 'B4', 'D5'],
      ['A4', 'C5', 'E5'],
      ['F4', 'A4', 'C5'],
    ]);
  });

  test('tonal voice-leading function: the candidate that moves the voices least', () => {
    const candidates = [
      ['G4', 'B4', 'D5'],
      ['B3', 'D4', 'G4'],
      ['D4', 'G4', 'B4'],
    ];
    expect(smoothestVoiceLeading(candidates, ['C4', 'E4', 'G4'])).toEqual(['B3', 'D4', 'G4']);
    expect(voiceMovement([60, 64, 67], [59, 62, 67])).toBe(3);
    // Different sizes compare each note with the nearest note of the other voicing.
    expect(voiceMovement([60, 64, 67], [60, 64, 67, 71])).toBe(4);
  });

  test("every library progression, in every style, in keys around the circle: the pitch classes are the chord's, each step moves no more than to the root position, and the voicings stay in a register", () => {
    let ledTotal = 0;
    let rootedTotal = 0;
    const problems: string[] = [];
    for (const tonic of ['C', 'F#', 'Bb', 'E']) {
      for (const progression of PROGRESSIONS) {
        const chords = parseProgression(progression.numerals, { key: { tonic, mode: progression.mode } }).chords;
        for (const style of VOICING_STYLES) {
          const led = voiceChords(chords, { voicing: style });
          const rooted = voiceChords(chords, { voicing: style, voiceLead: false });
          led.forEach((voicing, i) => {
            const where = `${progression.name} in ${tonic}, ${style}, ${chords[i].symbol} as ${voicing.notes.join(' ')}`;
            if (chroma(voicing.pitches).join() !== chromaOf(chords[i].notes).join())
              problems.push(`${where}: not the chord's pitch classes`);
            if (
              voicing.pitches.some(
                (pitch, j) => pitch !== Note.midi(voicing.notes[j]) || (j > 0 && pitch < voicing.pitches[j - 1]),
              )
            ) {
              problems.push(`${where}: pitches out of order or not the notes`);
            }
            if (voicing.pitches[0] < MIDI_E1 || voicing.pitches[voicing.pitches.length - 1] > MIDI_E7)
              problems.push(`${where}: out of register`);
            if (i === 0) return;
            const step = voiceMovement(led[i - 1].pitches, voicing.pitches);
            if (step > voiceMovement(led[i - 1].pitches, rooted[i].pitches))
              problems.push(`${where}: moves further than root position would`);
            ledTotal += step;
            rootedTotal += voiceMovement(rooted[i - 1].pitches, rooted[i].pitches);
          });
        }
      }
    }
    expect(problems).toEqual([]);
    // Over the whole library the voices move well under half as far as in root positions.
    expect(ledTotal / rootedTotal).toBeLessThan(0.5);
  });

  test('the bass line: the bass pitch class two octaves below the chords', () => {
    expect(bassPitch(chord('C'))).toBe(36);
    expect(bassPitch(chord('C/E'))).toBe(40);
    expect(bassPitch(chord('B7'), 3)).toBe(35);
  });
});
