// A three-minute solo piano piece of the project's own, for benchmarks: a left-hand bass, right-hand
// chords and a melody over a looping progression, the same notes on every run (seeded).
import toneMidi from '@tonejs/midi';
import { seededRandom } from '../../dist/random.js';

const { Midi } = toneMidi;

const BPM = 96;
const BEATS_PER_BAR = 4;
const BARS = 72; // 72 bars of 4/4 at 96 bpm: 180 s
const PIANO = 0;

/** Chords of the progression as pitch classes above C, root first; the piece cycles through them. */
const PROGRESSION = [
  [0, 4, 7], // C
  [7, 11, 2], // G
  [9, 0, 4], // Am
  [5, 9, 0], // F
  [2, 5, 9], // Dm
  [7, 11, 2, 5], // G7
  [0, 4, 7, 11], // Cmaj7
  [4, 7, 11], // Em
];
const C_MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11];

/** The piece's notes in beats: `{ pitch, beat, beats, velocity }`. */
export function pieceNotes(seed = 7) {
  const random = seededRandom(seed);
  const notes = [];
  for (let bar = 0; bar < BARS; bar++) {
    const chord = PROGRESSION[bar % PROGRESSION.length];
    const start = bar * BEATS_PER_BAR;
    const section = Math.floor(bar / 16) % 3;
    // Left hand: the root, held (first section) or in two halves.
    const root = 36 + chord[0];
    if (section === 0) notes.push({ pitch: root, beat: start, beats: 3.8, velocity: 80 });
    else for (const half of [0, 2]) notes.push({ pitch: root, beat: start + half, beats: 1.8, velocity: 78 });
    // Right hand chords: block on beats 1 and 3, or broken in eighth notes in the middle section.
    const voicing = chord.map((pc) => 60 + pc).map((p) => (p > 67 ? p - 12 : p));
    if (section === 1) {
      voicing.forEach((pitch, i) => notes.push({ pitch, beat: start + i * 0.5, beats: 0.45, velocity: 62 }));
    } else {
      for (const beat of [0, 2])
        for (const pitch of voicing) notes.push({ pitch, beat: start + beat, beats: 1.7, velocity: 60 });
    }
    // Melody: chord tones and passing notes in octave 5, quarter and eighth notes.
    let beat = 0;
    while (beat < BEATS_PER_BAR) {
      const length = random() < 0.3 ? 0.5 : 1;
      const tone =
        random() < 0.6 ? chord[Math.floor(random() * chord.length)] : C_MAJOR_SCALE[Math.floor(random() * 7)];
      notes.push({
        pitch: 72 + tone,
        beat: start + beat,
        beats: length * 0.9,
        velocity: 90 + Math.floor(random() * 20),
      });
      beat += length;
    }
  }
  return notes;
}

/** The piece as a Standard MIDI File. */
export function pieceMidi(seed) {
  const midi = new Midi();
  midi.header.setTempo(BPM);
  const track = midi.addTrack();
  track.name = 'jam benchmark piece';
  track.instrument.number = PIANO;
  const secondsPerBeat = 60 / BPM;
  for (const note of pieceNotes(seed)) {
    track.addNote({
      midi: note.pitch,
      time: note.beat * secondsPerBeat,
      duration: note.beats * secondsPerBeat,
      velocity: note.velocity / 127,
    });
  }
  return midi;
}
