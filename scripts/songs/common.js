// What both song generators share: a seeded random source, chords written as Roman numerals, and turning a
// song (notes and chord labels in quarter notes) into a MIDI file and a reference .lab in seconds.
//
// A chord token is a Roman numeral against the major scale of the tonic (so minor keys write i, bIII, iv,
// bVI, bVII), case for the third, a suffix for the rest (7, maj7, 9, sus4, sus2, add9, 6, °, °7, ø7, +),
// then /3, /5, /b3, /b7, /7 for an inversion or /ii, /V, … for a secondary chord (V7/vi).
import toneMidi from '@tonejs/midi';

const { Midi } = toneMidi;

export const DRUM_CHANNEL = 9;
const PITCH_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'];
const DEGREES = { i: 0, ii: 2, iii: 4, iv: 5, v: 7, vi: 9, vii: 11 };
const UPPER = {
  '': ['maj', [0, 4, 7]],
  7: ['7', [0, 4, 7, 10]],
  maj7: ['maj7', [0, 4, 7, 11]],
  9: ['9', [0, 4, 7, 10, 14]],
  sus4: ['sus4', [0, 5, 7]],
  sus2: ['sus2', [0, 2, 7]],
  add9: ['maj(9)', [0, 4, 7, 14]],
  6: ['maj6', [0, 4, 7, 9]],
  '+': ['aug', [0, 4, 8]],
};
const LOWER = {
  '': ['min', [0, 3, 7]],
  7: ['min7', [0, 3, 7, 10]],
  '°': ['dim', [0, 3, 6]],
  '°7': ['dim7', [0, 3, 6, 9]],
  ø7: ['hdim7', [0, 3, 6, 10]],
};
const BASS_DEGREES = { 3: 4, b3: 3, 5: 7, b7: 10, 7: 11 };
const HARTE_BASS = { 3: '3', 4: '3', 7: '5', 10: 'b7', 11: '7', 6: 'b5' };

export function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

export function pitchName(pc) {
  return PITCH_NAMES[((pc % 12) + 12) % 12];
}

function degreeOf(numeral) {
  const match = /^(b|#)?([ivIV]+)$/.exec(numeral);
  if (!match) throw new Error(`bad numeral ${numeral}`);
  return (DEGREES[match[2].toLowerCase()] + (match[1] === 'b' ? -1 : match[1] === '#' ? 1 : 0) + 12) % 12;
}

/** A chord token in a key: root and bass pitch classes, the intervals above the root, the Harte label. */
export function chordIn(token, tonicPc) {
  const [head, after] = token.split('/');
  const match = /^(b|#)?([ivIV]+)(.*)$/.exec(head);
  if (!match) throw new Error(`bad chord ${token}`);
  const upper = match[2] === match[2].toUpperCase();
  const [quality, intervals] = (upper ? UPPER : LOWER)[match[3]] ?? [];
  if (!quality) throw new Error(`bad chord quality in ${token}`);
  let root = (tonicPc + degreeOf(`${match[1] ?? ''}${match[2]}`)) % 12;
  let bassInterval = 0;
  if (after !== undefined && after in BASS_DEGREES) bassInterval = BASS_DEGREES[after];
  else if (after !== undefined) root = (root + degreeOf(after)) % 12;
  const bass = (root + bassInterval) % 12;
  const label = `${pitchName(root)}:${quality}${bassInterval ? `/${HARTE_BASS[bassInterval]}` : ''}`;
  return { token, root, bass, intervals, label };
}

/** Seconds per quarter note. */
function quarterSeconds(song) {
  return 60 / song.bpm;
}

/** The song as a MIDI file: one track per instrument, tempo and time signature in the header. */
export function songMidi(song) {
  const midi = new Midi();
  midi.header.setTempo(song.bpm);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: song.meter });
  midi.header.update();
  const q = quarterSeconds(song);
  for (const part of song.parts) {
    const track = midi.addTrack();
    track.name = part.name;
    track.channel = part.channel;
    track.instrument.number = part.program;
    for (const note of part.notes) {
      if (note.end <= note.start) continue;
      track.addNote({
        midi: note.pitch,
        time: note.start * q,
        duration: (note.end - note.start) * q,
        velocity: Math.min(127, Math.max(1, note.velocity)) / 127,
      });
    }
  }
  return midi.toArray();
}

/** The reference chords in seconds, N before the first chord, as a list of { start, end, label }. */
export function songLabels(song) {
  const q = quarterSeconds(song);
  const labels = song.labels.map(({ start, end, label }) => ({ start: start * q, end: end * q, label }));
  return labels;
}

export function labText(labels) {
  return labels.map(({ start, end, label }) => `${start.toFixed(6)} ${end.toFixed(6)} ${label}\n`).join('');
}
