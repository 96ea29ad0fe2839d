// The DEVELOPMENT song generator: the material the analyser's constants were tuned on. Separate code and
// separate material from the held-out generator (heldout.js): its own progressions, guitar-like strums,
// organ pads and jazz comping, walking and pumping bass lines, and motif-based melodies.
//
// Labels follow the same annotation rules: the chord as played, inversions where the bass takes a chord
// note other than the root, N where no pitched instrument plays, the home key.
import { chordIn, DRUM_CHANNEL, random } from './common.js';

const MAJOR = [
  ['I', 'IV', 'I', 'V'],
  ['I', 'vi', 'ii', 'V'],
  ['I', 'I', 'IV', 'IV', 'I', 'I', 'V', 'IV'],
  ['vi', 'ii', 'V', 'I'],
  ['I', 'iii', 'vi', 'IV'],
  ['I', 'V/V', 'IV', 'I'],
  ['Imaj7', 'vi7', 'ii7', 'V7'],
  ['I', 'I/3', 'IV', 'V'],
  ['I', 'V7/ii', 'ii', 'V'],
  ['I', 'bVII', 'IV', 'IV'],
  ['I', 'IV', 'iv', 'I'],
  ['IV', 'V', 'iii', 'vi'],
  ['I', 'Vsus4', 'V', 'I'],
  ['ii7', 'V7', 'iii7', 'vi7'],
];
const MINOR = [
  ['i', 'bVII', 'bVI', 'V'],
  ['i', 'iv', 'bVII', 'bIII'],
  ['i', 'bVI', 'bVII', 'i'],
  ['i', 'iv', 'i', 'V7'],
  ['i7', 'iv7', 'v7', 'i7'],
  ['bIII', 'bVII', 'i', 'i'],
  ['i', 'iiø7', 'V7', 'i'],
];
const SCALES = { major: [0, 2, 4, 5, 7, 9, 11], minor: [0, 2, 3, 5, 7, 8, 10] };
/** Motifs: (scale steps from the bar's first chord tone, length in quarters). */
const MOTIFS = [
  [
    [0, 1],
    [1, 1],
    [2, 1],
    [1, 1],
  ],
  [
    [0, 0.5],
    [0, 0.5],
    [-1, 1],
    [0, 2],
  ],
  [
    [2, 1.5],
    [1, 0.5],
    [0, 2],
  ],
  [
    [0, 1],
    [2, 1],
    [4, 2],
  ],
  [
    [4, 0.5],
    [3, 0.5],
    [2, 0.5],
    [1, 0.5],
    [0, 2],
  ],
  [
    [0, 3],
    [-1, 1],
  ],
];
const TEXTURES = ['strum', 'organ', 'comp'];
const GUITAR = 25;
const ORGAN = 16;
const PIANO = 0;
const BASS = 34;
const LEADS = [0, 40, 71, 81];

export function devSongs(count, seed = 1, sections = 8) {
  return Array.from({ length: count }, (_, i) => devSong(seed + i, `dev-${String(i + 1).padStart(3, '0')}`, sections));
}

/** One song of `sections` eight-bar sections (verses and choruses, then a bridge). */
export function devSong(seed, name, sections = 8) {
  const r = random(seed * 7919);
  const mode = r.chance(0.25) ? 'minor' : 'major';
  const tonic = r.int(12);
  const bpm = 80 + r.int(60);
  const texture = r.pick(TEXTURES);
  const pool = mode === 'major' ? MAJOR : MINOR;
  const form = [r.pick(pool), r.pick(pool), r.pick(pool)];
  const order = Array.from({ length: sections }, (_, i) => [0, 0, 1, 0, 1, 2, 1, 1][i % 8]);
  const parts = { lead: [], chords: [], bass: [], drums: [] };
  const labels = [];
  let time = 0;
  if (r.chance(0.5)) {
    labels.push({ start: 0, end: 4, label: 'N' });
    for (let beat = 0; beat < 4; beat++) parts.drums.push(hit(beat % 2 ? 38 : 36, beat, r));
    time = 4;
  }
  let lead = 67 + (tonic % 5);
  const halfBars = [r.chance(0.3), r.chance(0.3), r.chance(0.3)];
  const lift = r.chance(0.2) ? 2 : 0;
  const keys = [{ start: 0, tonic, mode }];
  order.forEach((section, n) => {
    const progression = form[section];
    const key = n === order.length - 1 ? (tonic + lift) % 12 : tonic;
    if (key !== keys[keys.length - 1].tonic) keys.push({ start: time, tonic: key, mode });
    const length = halfBars[section] ? 2 : 4;
    for (let step = 0; step < 32 / length; step++) {
      const chord = chordIn(progression[step % progression.length], key);
      const next = chordIn(progression[(step + 1) % progression.length], key);
      play(parts, texture, chord, next, time, length, r);
      labels.push({ start: time, end: time + length, label: chord.label });
      for (let beat = 0; beat < length; beat++)
        parts.drums.push(hit(beat % 2 ? 38 : 36, time + beat, r), hit(42, time + beat + 0.5, r));
      const bar = Math.floor((step * length) / 4);
      if ((step * length) % 4 === 0) {
        if (bar % 4 !== 3) lead = motif(parts.lead, chord, key, mode, time, lead, r);
        else parts.lead.push(tone(nearest(lead, chord), time, time + 2, 96, r));
      }
      time += length;
    }
  });
  const home = chordIn(mode === 'major' ? 'I' : 'i', tonic);
  play(parts, 'organ', home, null, time, 4, r);
  parts.lead.push(tone(nearest(lead, home), time, time + 4, 90, r));
  if (lift) keys.push({ start: time, tonic, mode });
  labels.push({ start: time, end: time + 4, label: home.label });
  time += 4;
  return {
    name,
    key: `${['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'][tonic]} ${mode}`,
    bpm,
    meter: [4, 4],
    parts: [
      { name: 'lead', channel: 0, program: r.pick(LEADS), notes: parts.lead },
      {
        name: 'chords',
        channel: 1,
        program: texture === 'strum' ? GUITAR : texture === 'organ' ? ORGAN : PIANO,
        notes: parts.chords,
      },
      { name: 'bass', channel: 2, program: BASS, notes: parts.bass },
      { name: 'drums', channel: DRUM_CHANNEL, program: 0, notes: parts.drums },
    ],
    labels,
    keys,
    length: time,
  };
}

function tone(pitch, start, end, velocity, r) {
  return { pitch, start: start + r.next() * 0.02, end, velocity: velocity - r.int(12) };
}

function hit(pitch, time, r) {
  return tone(pitch, time, time + 0.25, 90, r);
}

/** A guitar-like voicing: root low, then fifth, octave, third, fifth (as open chords stack). */
function spread(chord) {
  const root = 40 + ((chord.root - 4 + 12) % 12);
  const stack = [root, ...chord.intervals.slice(1).map((interval) => root + 12 + (interval % 12)), root + 12];
  if (chord.intervals.length === 3) stack.push(root + 12 + chord.intervals[2]);
  return stack.sort((a, b) => a - b);
}

/** `length` quarters (2 or 4) of accompaniment for one chord. */
function play(parts, texture, chord, next, start, length, r) {
  const bass = 28 + ((chord.bass - 4 + 12) % 12);
  const voicing = spread(chord);
  if (chord.bass !== chord.root) voicing[0] = bass + 12;
  if (texture === 'strum') {
    const strokes = [
      [0, 1],
      [1, 0.5],
      [1.5, 1],
      [2.5, 0.5],
      [3, 0.5],
      [3.5, 0.5],
    ].filter(([offset]) => offset < length);
    for (const [offset, duration] of strokes) {
      voicing.forEach((pitch, i) =>
        parts.chords.push(tone(pitch, start + offset + i * 0.015, start + offset + duration, 72, r)),
      );
    }
    for (let beat = 0; beat < length; beat += 0.5)
      parts.bass.push(tone(bass, start + beat, start + beat + 0.45, 80, r));
  } else if (texture === 'organ') {
    voicing.slice(1).forEach((pitch) => parts.chords.push(tone(pitch, start, start + length, 64, r)));
    parts.bass.push(
      tone(bass, start, start + length / 2, 84, r),
      tone(bass + chord.intervals[2], start + length / 2, start + length * 0.75, 80, r),
      tone(bass, start + length * 0.75, start + length, 80, r),
    );
  } else {
    for (const offset of [1, 3].filter((offset) => offset < length))
      voicing
        .slice(1)
        .forEach((pitch) => parts.chords.push(tone(pitch + 12, start + offset, start + offset + 0.6, 66, r)));
    const walk = next ? 28 + ((next.bass - 4 + 12) % 12) : bass;
    const approach = walk > bass ? walk - 1 : walk + 1;
    const steps =
      length === 4 ? [bass, bass + chord.intervals[1], bass + chord.intervals[2], approach] : [bass, approach];
    steps.forEach((pitch, beat) => parts.bass.push(tone(pitch, start + beat, start + beat + 0.95, 86, r)));
  }
}

function nearest(pitch, chord) {
  for (let d = 0; d < 7; d++) {
    for (const candidate of [pitch + d, pitch - d]) {
      if (chord.intervals.some((interval) => (chord.root + interval) % 12 === candidate % 12)) return candidate;
    }
  }
  return pitch;
}

/** A motif from the nearest chord tone, walking the scale; returns where the melody ended. */
function motif(lead, chord, tonic, mode, start, from, r) {
  const scale = SCALES[mode];
  const anchor = nearest(from, chord);
  const degree = scale.findIndex((step) => (tonic + step) % 12 === anchor % 12);
  let position = start;
  let last = anchor;
  for (const [steps, length] of r.pick(MOTIFS)) {
    const index = (degree < 0 ? 0 : degree) + steps;
    const octave = Math.floor(index / 7);
    const pitch = anchor - ((((anchor - tonic) % 12) + 12) % 12) + scale[((index % 7) + 7) % 7] + 12 * octave;
    last = Math.min(84, Math.max(60, pitch));
    lead.push(tone(last, position, position + length * 0.9, 100, r));
    position += length;
  }
  return last;
}
