// The HELD-OUT song generator: pop-song arrangements (melody, piano, bass, drums) written before the
// analyser was tuned and never used to tune it. Its progressions, voicings, accompaniment figures and
// melodies come from here only; the development generator (dev.js) is separate code with other material.
//
// Labels are written the way an annotator hears the song: the chord the accompaniment plays, at the bar
// (or half bar) where it starts even when the piano anticipates it, sevenths and added notes as played,
// inversions where the bass takes a chord note other than the root, N where no pitched instrument plays.
// The key is the song's home key (a final chorus a step up does not change it).
import { chordIn, DRUM_CHANNEL, random } from './common.js';

const MAJOR_PROGRESSIONS = [
  ['I', 'V', 'vi', 'IV'],
  ['vi', 'IV', 'I', 'V'],
  ['I', 'vi', 'IV', 'V'],
  ['I', 'IV', 'vi', 'V'],
  ['I', 'V/3', 'vi', 'I/5', 'IV', 'I/3', 'ii7', 'V'],
  ['IVmaj7', 'V', 'iii7', 'vi'],
  ['I', 'iii', 'IV', 'V7'],
  ['ii7', 'V7', 'Imaj7', 'vi7'],
  ['I', 'bVII', 'IV', 'I'],
  ['I', 'V7/vi', 'vi', 'IV'],
  ['IV', 'iv', 'I', 'V7/V', 'V'],
  ['I', 'Iadd9', 'IV', 'Vsus4', 'V'],
  ['vi', 'V', 'IV', 'V'],
  ['I', 'bVI', 'bVII', 'I'],
  ['I', 'IV/3', 'V', 'V7'],
  ['Imaj7', 'IVmaj7', 'ii7', 'V7'],
];
const MINOR_PROGRESSIONS = [
  ['i', 'bVI', 'bIII', 'bVII'],
  ['i', 'iv', 'v', 'i'],
  ['i', 'bVII', 'bVI', 'bVII'],
  ['i', 'iv', 'bVII', 'bIII'],
  ['i', 'bVI', 'iv', 'V7'],
  ['i7', 'iv7', 'bVIImaj7', 'bIIImaj7'],
  ['bVI', 'bVII', 'i', 'i'],
  ['i', 'i/b3', 'iv', 'V'],
  ['i', 'bIII', 'bVII', 'iv'],
  ['iiø7', 'V7', 'i', 'i'],
];
/** Bar rhythms of the melody, in quarter notes (a null is a rest). */
const MELODY_RHYTHMS_4 = [
  [1, 1, 1, 1],
  [1.5, 0.5, 1, 1],
  [0.5, 0.5, 1, 2],
  [2, 1, 1],
  [1, 0.5, 0.5, 2],
  [0.5, 1, 0.5, 1, 1],
  [0.5, 0.5, 0.5, 0.5, 1, 1],
  [1, 1, 2],
  [1.5, 1.5, 1],
];
const MELODY_RHYTHMS_3 = [[1, 1, 1], [2, 1], [1.5, 0.5, 1], [0.5, 0.5, 1, 1], [3]];
const MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11];
const MINOR_SCALE = [0, 2, 3, 5, 7, 8, 10];
const PIANO = 0;
const ELECTRIC_PIANO = 4;
const FINGERED_BASS = 33;
const MELODY_PROGRAMS = [73, 65, 56, 80, 54];
const STYLES = ['syncopated', 'ballad', 'pad', 'stride'];

/** The held-out songs: `count` songs from `seed`. */
export function heldOutSongs(count, seed = 9000) {
  return Array.from({ length: count }, (_, i) => heldOutSong(seed + i, `heldout-${String(i + 1).padStart(3, '0')}`));
}

export function heldOutSong(seed, name) {
  const r = random(seed);
  const mode = r.chance(0.3) ? 'minor' : 'major';
  const tonic = r.int(12);
  const waltz = r.chance(0.12);
  const meter = waltz ? (r.chance(0.5) ? [3, 4] : [6, 8]) : [4, 4];
  const barLength = waltz ? 3 : 4;
  const bpm = waltz ? 70 + r.int(50) : 72 + r.int(64);
  const style = waltz ? 'waltz' : r.pick(STYLES);
  const pool = mode === 'major' ? MAJOR_PROGRESSIONS : MINOR_PROGRESSIONS;
  const verse = r.pick(pool);
  const chorus = r.pick(pool);
  const bridge = r.pick(pool);
  const modulateLastChorus = !waltz && r.chance(0.2);

  // Sections: [progression, bars, chords per bar, tonic shift].
  const sections = [
    ['verse', verse, 8, 1, 0],
    ['chorus', chorus, 8, chordsPerBar(r, chorus), 0],
    ['verse', verse, 8, 1, 0],
    ['chorus', chorus, 8, chordsPerBar(r, chorus), 0],
    ['bridge', bridge, 4, 1, 0],
    ['chorus', chorus, 8, chordsPerBar(r, chorus), modulateLastChorus ? r.pick([1, 2]) : 0],
  ];
  const parts = { melody: [], piano: [], bass: [], drums: [] };
  const labels = [];
  const introBars = 1 + r.int(3);
  const introKind = r.pick(['drums', 'silence', 'piano']);
  let time = 0;
  if (introKind !== 'piano') {
    if (introKind === 'drums')
      for (let bar = 0; bar < introBars; bar++) drumBar(parts.drums, bar * barLength, barLength, r);
    labels.push({ start: 0, end: introBars * barLength, label: 'N' });
    time = introBars * barLength;
  }
  const home = chordIn('I', tonic);
  const state = { previousVoicing: null, melodyPitch: 60 + ((tonic + 12 - 0) % 12) + (tonic > 7 ? -12 : 0) };
  if (introKind === 'piano') {
    for (let bar = 0; bar < introBars; bar++) {
      const chord = chordIn(mode === 'major' ? 'I' : 'i', tonic);
      accompany(parts, chord, null, time, barLength, barLength, style, r, state);
      labels.push({ start: time, end: time + barLength, label: chord.label });
      time += barLength;
    }
  }
  const keys = [{ start: 0, tonic, mode }];
  for (const [sectionName, progression, bars, perBar, shift] of sections) {
    const key = (tonic + shift) % 12;
    if (key !== keys[keys.length - 1].tonic) keys.push({ start: time, tonic: key, mode });
    const span = barLength / perBar;
    const total = bars * perBar;
    for (let i = 0; i < total; i++) {
      const chord = chordIn(progression[i % progression.length], key);
      const next = chordIn(progression[(i + 1) % progression.length], key);
      const barStart = time + Math.floor(i / perBar) * barLength;
      const start = time + i * span;
      accompany(parts, chord, next, start, span, barLength, style, r, state);
      labels.push({ start, end: start + span, label: chord.label });
      if (i % perBar === 0 && start === barStart) {
        drumBar(parts.drums, barStart, barLength, r);
        const phraseEnd = (Math.floor(i / perBar) + 1) % 4 === 0;
        melodyBar(
          parts.melody,
          progression,
          i,
          perBar,
          key,
          mode,
          barStart,
          barLength,
          phraseEnd,
          sectionName,
          r,
          state,
        );
      }
    }
    time += bars * barLength;
  }
  // Outro: the home chord held for two bars.
  if (keys[keys.length - 1].tonic !== tonic) keys.push({ start: time, tonic, mode });
  const last = chordIn(mode === 'major' ? 'I' : 'i', tonic);
  const voicing = voiceLead(last, state.previousVoicing);
  for (const pitch of voicing) parts.piano.push(note(pitch, time, time + 2 * barLength, 62, r));
  parts.bass.push(note(bassPitch(last.root), time, time + 2 * barLength, 85, r));
  parts.melody.push(note(nearestChordTone(state.melodyPitch, last), time, time + 2 * barLength, 90, r));
  labels.push({ start: time, end: time + 2 * barLength, label: last.label });
  time += 2 * barLength;

  const melodyProgram = r.pick(MELODY_PROGRAMS);
  const keyName = `${['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'][home.root]} ${mode}`;
  return {
    name,
    key: keyName,
    bpm,
    meter,
    parts: [
      { name: 'melody', channel: 0, program: melodyProgram, notes: parts.melody },
      { name: 'piano', channel: 1, program: style === 'pad' ? ELECTRIC_PIANO : PIANO, notes: parts.piano },
      { name: 'bass', channel: 2, program: FINGERED_BASS, notes: parts.bass },
      { name: 'drums', channel: DRUM_CHANNEL, program: 0, notes: parts.drums },
    ],
    labels,
    keys,
    length: time,
  };
}

function chordsPerBar(r, progression) {
  return progression.length === 4 && r.chance(0.3) ? 2 : 1;
}

function note(pitch, start, end, velocity, r) {
  const jitter = (r.next() - 0.5) * 0.03;
  return {
    pitch,
    start: Math.max(0, start + jitter),
    end: end + jitter,
    velocity: Math.round(velocity + (r.next() - 0.5) * 16),
  };
}

/** The chord's notes in the octave from F3, then moved to the inversion nearest the previous voicing. */
function voiceLead(chord, previous) {
  const base = chord.intervals.map((interval) => 53 + ((chord.root + interval - 5 + 24) % 12));
  const candidates = [];
  for (let shift = -12; shift <= 12; shift += 12) {
    for (let rotation = 0; rotation < base.length; rotation++) {
      const voiced = base.map((pitch, i) => pitch + shift + (i < rotation ? 12 : 0)).sort((a, b) => a - b);
      if (voiced[0] >= 52 && voiced[voiced.length - 1] <= 79) candidates.push(voiced);
    }
  }
  if (!previous) return candidates[0] ?? base;
  const centre = (notes) => notes.reduce((s, p) => s + p, 0) / notes.length;
  return candidates.reduce(
    (best, c) => (Math.abs(centre(c) - centre(previous)) < Math.abs(centre(best) - centre(previous)) ? c : best),
    candidates[0],
  );
}

function bassPitch(pc) {
  return 40 + ((pc - 4 + 12) % 12); // E2 .. Eb3
}

/** One chord's span of accompaniment, piano and bass, in the section's style. */
function accompany(parts, chord, next, start, span, barLength, style, r, state) {
  const voicing = voiceLead(chord, state.previousVoicing);
  state.previousVoicing = voicing;
  const bass = bassPitch(chord.bass);
  const fifth = bassPitch(chord.root + 7);
  const end = start + span;
  switch (style) {
    case 'syncopated': {
      const hits = span >= 4 ? [0, 1.5, 3] : [0, 1];
      const anticipate = next && span >= 4 && r.chance(0.2);
      for (const hit of hits) {
        const hitEnd = Math.min(end, start + hit + 1);
        if (anticipate && hit === 3) break;
        for (const pitch of voicing) parts.piano.push(note(pitch, start + hit, hitEnd, 68, r));
      }
      if (anticipate) {
        // The next chord pushed an eighth early, as pop pianists play it; the label still changes at the bar.
        for (const pitch of voiceLead(next, voicing)) parts.piano.push(note(pitch, end - 0.5, end + 0.5, 70, r));
      }
      parts.bass.push(note(bass, start, start + Math.min(span, 1.5), 88, r));
      if (span >= 4) {
        parts.bass.push(note(r.chance(0.5) ? fifth : bass, start + 2, start + 3, 80, r));
        if (next && r.chance(0.4)) parts.bass.push(note(approach(bass, bassPitch(next.bass)), start + 3.5, end, 78, r));
        else parts.bass.push(note(bass, start + 3, end, 78, r));
      }
      break;
    }
    case 'ballad': {
      // Broken chord in eighths over the pedal: low root, fifth, octave, then the voicing upwards.
      const low = bassPitch(chord.bass) + 12;
      const figure = [
        low,
        low + (((chord.intervals[2] ?? 7) - ((chord.bass - chord.root + 12) % 12) + 12) % 12),
        ...voicing,
        voicing[1] ?? voicing[0],
      ];
      for (let step = 0; step * 0.5 < span; step++) {
        parts.piano.push(note(figure[step % figure.length], start + step * 0.5, end, 58, r));
      }
      parts.bass.push(note(bass, start, end, 80, r));
      break;
    }
    case 'pad': {
      for (const pitch of voicing) parts.piano.push(note(pitch, start, end, 60, r));
      for (let beat = 0; beat < span; beat += 1) {
        const pitch = beat % 2 === 1 && r.chance(0.5) ? bass + 12 : beat === 2 ? fifth : bass;
        parts.bass.push(note(pitch, start + beat, start + beat + 0.9, 86, r));
      }
      break;
    }
    case 'stride': {
      for (let beat = 0; beat < span; beat += 1) {
        if (beat % 2 === 0) parts.piano.push(note(beat === 0 ? bass : fifth, start + beat, start + beat + 0.9, 75, r));
        else for (const pitch of voicing) parts.piano.push(note(pitch, start + beat, start + beat + 0.8, 64, r));
      }
      break;
    }
    case 'waltz': {
      parts.piano.push(note(bass, start, start + 1, 78, r));
      for (let beat = 1; beat < span; beat += 1)
        for (const pitch of voicing) parts.piano.push(note(pitch, start + beat, start + beat + 0.9, 60, r));
      parts.bass.push(note(bass - 12 < 28 ? bass : bass - 12, start, end, 70, r));
      break;
    }
    default:
      throw new Error(`unknown style ${style}`);
  }
}

/** A bass note a step from the target: a semitone below, or a scale step above. */
function approach(from, target) {
  return target > from ? target - 1 : target + 2;
}

function drumBar(drums, start, barLength, r) {
  for (let beat = 0; beat < barLength; beat += 0.5) {
    drums.push(note(42, start + beat, start + beat + 0.25, 60, r));
  }
  drums.push(note(36, start, start + 0.5, 100, r));
  if (barLength === 4) {
    drums.push(note(38, start + 1, start + 1.5, 95, r));
    drums.push(note(36, start + 2, start + 2.5, 95, r));
    drums.push(note(38, start + 3, start + 3.5, 95, r));
  }
}

function nearestChordTone(pitch, chord) {
  let best = pitch;
  for (let d = 0; d <= 6; d++) {
    for (const candidate of [pitch - d, pitch + d]) {
      if (chord.intervals.some((interval) => (chord.root + interval) % 12 === ((candidate % 12) + 12) % 12))
        return candidate;
    }
  }
  return best;
}

/** The next scale note from `pitch` in `direction` (±1). */
function scaleStep(pitch, direction, keyPc, mode) {
  const scale = mode === 'major' ? MAJOR_SCALE : MINOR_SCALE;
  let candidate = pitch + direction;
  while (!scale.includes((((candidate - keyPc) % 12) + 12) % 12)) candidate += direction;
  return candidate;
}

/**
 * One bar of melody over the chords of bar `index` (one or two chords): strong beats on chord tones or,
 * now and then, an appoggiatura a step above that falls to one; weak beats pass by step between them; the
 * last bar of a four-bar phrase ends early with a rest.
 */
function melodyBar(melody, progression, index, perBar, keyPc, mode, start, barLength, phraseEnd, section, r, state) {
  const rhythms = barLength === 4 ? MELODY_RHYTHMS_4 : MELODY_RHYTHMS_3;
  let rhythm = r.pick(rhythms);
  if (phraseEnd) rhythm = barLength === 4 ? [1, 1, 2] : [2, 1];
  const loud = section === 'chorus' ? 104 : 92;
  let position = 0;
  rhythm.forEach((length, k) => {
    if (phraseEnd && k === rhythm.length - 1) return; // the rest that closes the phrase
    const chordIndex = index + (perBar === 2 && position >= barLength / 2 ? 1 : 0);
    const chord = chordIn(progression[chordIndex % progression.length], keyPc);
    const strong = position === 0 || position === barLength / 2;
    let pitch;
    if (strong) {
      const target = nearestChordTone(state.melodyPitch + (r.chance(0.5) ? 2 : -2), chord);
      pitch = r.chance(0.15) ? scaleStep(target, 1, keyPc, mode) : target;
    } else {
      pitch = scaleStep(state.melodyPitch, r.chance(0.5) ? 1 : -1, keyPc, mode);
    }
    while (pitch > 81) pitch -= 12;
    while (pitch < 62) pitch += 12;
    melody.push(note(pitch, start + position, start + position + length * 0.95, loud, r));
    state.melodyPitch = pitch;
    position += length;
  });
}
