// Writes the project's own test fixtures: small MIDI files (the ground truth) and the audio FluidSynth
// renders from them with the FluidR3 GM soundfont. Run with `npm run fixtures`.
//
// Needs the Debian packages fluidsynth, fluid-soundfont-gm and ffmpeg. The MIDI bytes are the same on
// every run; the audio depends only on those bytes and the installed FluidSynth/ffmpeg versions.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// @tonejs/midi is CommonJS: Node cannot see its named exports from ESM, so take them off the default.
import toneMidi from '@tonejs/midi';
import { missingTool, renderWav } from './lib/fluidsynth.js';

const { Midi } = toneMidi;

const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

// Every clip is at 120 bpm, so one beat is 0.5 s and a tick is exactly 1/960 s: note times written in
// beats convert to ticks and seconds without rounding.
const BPM = 120;
const PPQ = 480;
const TICKS_PER_SECOND = (PPQ * BPM) / 60;

const RENDER_SAMPLE_RATE = 44100;
// FluidSynth's default master gain (0.2) renders these clips at -30 to -23 dBFS; 1.5 brings the
// loudest (four-note piano chords) to about -6 dBFS, a level a real recording would have, unclipped.
const FLUIDSYNTH_GAIN = 1.5;
// Silence kept after the last note-off, so release tails are in the clip but the clip stays short.
const TAIL_SECONDS = 0.5;
// A short fade at the cut, so truncating a still-ringing tail does not add a click (a false onset).
const FADE_OUT_SECONDS = 0.05;

// General MIDI programs, 0-based as written in the file.
const ACOUSTIC_GRAND_PIANO = 0;
const ACOUSTIC_BASS = 32;
const TRUMPET = 56;

// Pitch bend. The range is set explicitly (RPN 0) rather than trusting the synth's default of 2.
const BEND_RANGE_SEMITONES = 2;
// @tonejs/midi writes PitchBend.value to the file untouched, as a signed 14-bit number (-8192..8191),
// but reads it back divided by 8192 (so -1..1, in units of the bend range). We write raw values.
const BEND_UNITS_PER_RANGE = 8192;
const BEND_MAX = 8191;
// One bend message every 8 ticks (8.3 ms): smooth to the ear, a few hundred events per clip.
const BEND_STEP_TICKS = 8;

const VIBRATO_DEPTH_SEMITONES = 0.3;
const VIBRATO_RATE_HZ = 5;

// MIDI note numbers used below.
const B3 = 59,
  C4 = 60,
  D4 = 62,
  E4 = 64,
  F4 = 65,
  G4 = 67,
  A4 = 69,
  B4 = 71;
const C5 = 72,
  D5 = 74,
  E5 = 76;
const C3 = 48,
  E3 = 52,
  F3 = 53,
  G3 = 55,
  A3 = 57;

// Each output format: ffmpeg arguments after the input and filters.
const WAV_MONO_44K = ['-ac', '1', '-ar', '44100', '-c:a', 'pcm_s16le'];
const WAV_STEREO_44K = ['-ac', '2', '-ar', '44100', '-c:a', 'pcm_s16le'];
const MP3_128K = ['-ac', '2', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '128k'];
const FLAC_MONO_48K = ['-ac', '1', '-ar', '48000', '-c:a', 'flac'];
const OGG_MONO_22K = ['-ac', '1', '-ar', '22050', '-c:a', 'libvorbis', '-q:a', '4'];
// The formats read by jam's own readers or decoders (AIFF, Opus) and through ffmpeg (M4A/AAC, Opus in WebM).
const AIFF_STEREO_44K = ['-ac', '2', '-ar', '44100', '-c:a', 'pcm_s16be', '-f', 'aiff'];
const OPUS_STEREO_48K = ['-ac', '2', '-ar', '48000', '-c:a', 'libopus', '-b:a', '96k', '-f', 'ogg'];
const M4A_AAC_44K = ['-ac', '2', '-ar', '44100', '-c:a', 'aac', '-b:a', '128k', '-f', 'ipod'];
const WEBM_OPUS_48K = ['-ac', '2', '-ar', '48000', '-c:a', 'libopus', '-b:a', '96k', '-f', 'webm'];

/** Notes of one clip, in beats: `{ pitch, beat, beats, velocity }`. */
function note(pitch, beat, beats, velocity) {
  return { pitch, beat, beats, velocity };
}

/** C major scale C4..C5, one quarter note (0.5 s) each. */
function scaleNotes() {
  return [C4, D4, E4, F4, G4, A4, B4, C5].map((pitch, i) => note(pitch, i, 1, 90));
}

// Close voicings around middle C, voice-led: C – Am – F – G – C.
const CHORD_VOICINGS = [
  [C4, E4, G4, C5],
  [C4, E4, A4, C5],
  [C4, F4, A4, C5],
  [B3, D4, G4, B4],
  [C4, E4, G4, C5],
];
const CHORD_BEATS = 2; // 1 s
const CHORD_SPACING_BEATS = 2.5; // so a 0.25 s gap between chords

function chordNotes() {
  return CHORD_VOICINGS.flatMap((voicing, i) =>
    voicing.map((pitch) => note(pitch, i * CHORD_SPACING_BEATS, CHORD_BEATS, 80)),
  );
}

/** A bass line in octaves 2–3; notes are 0.45 s with 50 ms gaps so every onset is clear. */
function bassNotes() {
  const line = [C3, E3, G3, C4, A3, F3, G3, B3, C4];
  const last = line.length - 1;
  return line.map((pitch, i) => note(pitch, i, i === last ? 1.9 : 0.9, 100));
}

// The melody of the `bend` clip: the C5 bends up a quarter tone and back, the D5 has vibrato.
const BEND_NOTE_INDEX = 2;
const VIBRATO_NOTE_INDEX = 4;

function bendNotes() {
  return [
    note(G4, 0, 0.9, 90),
    note(A4, 1, 0.9, 90),
    note(C5, 2, 2.9, 90), // 1.45 s, glide
    note(E5, 5, 0.9, 90),
    note(D5, 6, 2.9, 90), // 1.45 s, vibrato
    note(C5, 9, 1.9, 90),
  ];
}

// The glide, as (seconds after the note's start, semitones): hold, a quarter-tone blues bend up, hold, back,
// hold. A bend of a semitone or more is heard (and transcribed) as a new note, not as a bend.
const GLIDE_SHAPE = [
  [0, 0],
  [0.3, 0],
  [0.55, 0.5],
  [0.85, 0.5],
  [1.1, 0],
];
// Vibrato starts after the attack (so the onset pitch is clean) and lasts a whole number of cycles,
// so it ends back at zero bend.
const VIBRATO_DELAY_SECONDS = 0.2;
const VIBRATO_CYCLES = 6;

/** Piecewise-linear interpolation over [[x, y], ...] sorted by x. */
function interpolate(shape, x) {
  for (let i = 1; i < shape.length; i++) {
    const [x0, y0] = shape[i - 1];
    const [x1, y1] = shape[i];
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return shape[shape.length - 1][1];
}

/** Raw 14-bit pitch-bend value for an offset in semitones. */
function bendValue(semitones) {
  const raw = Math.round((semitones / BEND_RANGE_SEMITONES) * BEND_UNITS_PER_RANGE);
  return Math.max(-BEND_UNITS_PER_RANGE, Math.min(BEND_MAX, raw));
}

/**
 * Samples `semitonesAt(seconds)` every BEND_STEP_TICKS from `startTick` for `lengthTicks` (inclusive),
 * keeping only the samples where the value changes. Returns `{ ticks, value }` with raw values.
 */
function sampleBends(startTick, lengthTicks, semitonesAt) {
  const bends = [];
  for (let t = 0; t <= lengthTicks; t += BEND_STEP_TICKS) {
    const value = bendValue(semitonesAt(t / TICKS_PER_SECOND));
    if (bends.length === 0 || bends[bends.length - 1].value !== value) {
      bends.push({ ticks: startTick + t, value });
    }
  }
  return bends;
}

function glideBends(n) {
  const lastSecond = GLIDE_SHAPE[GLIDE_SHAPE.length - 1][0];
  return sampleBends(beatsToTicks(n.beat), Math.round(lastSecond * TICKS_PER_SECOND), (s) =>
    interpolate(GLIDE_SHAPE, s),
  );
}

function vibratoBends(n) {
  const delayTicks = Math.round(VIBRATO_DELAY_SECONDS * TICKS_PER_SECOND);
  const lengthTicks = Math.round((VIBRATO_CYCLES / VIBRATO_RATE_HZ) * TICKS_PER_SECOND);
  return sampleBends(
    beatsToTicks(n.beat) + delayTicks,
    lengthTicks,
    (s) => VIBRATO_DEPTH_SEMITONES * Math.sin(2 * Math.PI * VIBRATO_RATE_HZ * s),
  );
}

function melodyBends(notes) {
  return [...glideBends(notes[BEND_NOTE_INDEX]), ...vibratoBends(notes[VIBRATO_NOTE_INDEX])];
}

/** The clips: name, instrument, notes, optional raw pitch bends, and the audio files made from it. */
function fixtures() {
  const melody = bendNotes();
  return [
    { name: 'scale', program: ACOUSTIC_GRAND_PIANO, notes: scaleNotes(), outputs: [['scale.wav', WAV_MONO_44K]] },
    {
      name: 'chords',
      program: ACOUSTIC_GRAND_PIANO,
      notes: chordNotes(),
      outputs: [
        ['chords.wav', WAV_STEREO_44K],
        ['chords.mp3', MP3_128K],
        ['chords.aiff', AIFF_STEREO_44K],
        ['chords.opus', OPUS_STEREO_48K],
        ['chords.m4a', M4A_AAC_44K],
        ['chords.webm', WEBM_OPUS_48K],
      ],
    },
    { name: 'bass', program: ACOUSTIC_BASS, notes: bassNotes(), outputs: [['bass.flac', FLAC_MONO_48K]] },
    {
      name: 'bend',
      program: TRUMPET,
      notes: melody,
      bends: melodyBends(melody),
      outputs: [['bend.ogg', OGG_MONO_22K]],
    },
  ];
}

function beatsToTicks(beats) {
  return Math.round(beats * PPQ);
}

/** @tonejs/midi stores velocities and CC values as 0..1 and writes floor(v * 127). */
function toUnit(midiValue) {
  return midiValue / 127;
}

/** RPN 0 (pitch-bend sensitivity) = BEND_RANGE_SEMITONES, then RPN null so later CC 6s do nothing. */
function addBendRange(track) {
  const ccs = [
    [101, 0],
    [100, 0],
    [6, BEND_RANGE_SEMITONES],
    [38, 0],
    [101, 127],
    [100, 127],
  ];
  for (const [number, value] of ccs) track.addCC({ number, ticks: 0, value: toUnit(value) });
}

function buildMidi(fixture) {
  const midi = new Midi();
  midi.header.setTempo(BPM);
  midi.header.name = fixture.name;
  const track = midi.addTrack();
  track.name = fixture.name;
  track.channel = 0;
  track.instrument.number = fixture.program;
  for (const n of fixture.notes) {
    track.addNote({
      midi: n.pitch,
      ticks: beatsToTicks(n.beat),
      durationTicks: beatsToTicks(n.beats),
      velocity: toUnit(n.velocity),
    });
  }
  if (fixture.bends) {
    addBendRange(track);
    for (const b of fixture.bends) track.addPitchBend(b);
  }
  return midi;
}

/** Reads the written bytes back and checks every note survived exactly: the file is the ground truth. */
function checkRoundTrip(fixture, bytes) {
  const track = new Midi(bytes).tracks[0];
  const got = track.notes.map((n) => [n.midi, n.ticks, n.durationTicks, Math.round(n.velocity * 127)]);
  const want = fixture.notes
    .map((n) => [n.pitch, beatsToTicks(n.beat), beatsToTicks(n.beats), n.velocity])
    .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  got.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const bendsOk = track.pitchBends.length === (fixture.bends?.length ?? 0);
  if (JSON.stringify(got) !== JSON.stringify(want) || !bendsOk) {
    throw new Error(`${fixture.name}.mid does not read back as written`);
  }
}

function endSeconds(notes) {
  return Math.max(...notes.map((n) => beatsToTicks(n.beat + n.beats))) / TICKS_PER_SECOND;
}

function renderFixture(midPath, wavPath) {
  renderWav(midPath, wavPath, { gain: FLUIDSYNTH_GAIN, sampleRate: RENDER_SAMPLE_RATE });
}

/**
 * Converts the render to one output format, padded or cut to exactly `seconds`. The bitexact flags
 * keep ffmpeg's version string out of the files, so a rerun only changes them if the audio changes.
 */
function convert(wavPath, outPath, seconds, formatArgs) {
  const fadeStart = (seconds - FADE_OUT_SECONDS).toFixed(3);
  const filter = `apad=whole_dur=${seconds},afade=t=out:st=${fadeStart}:d=${FADE_OUT_SECONDS}`;
  execFileSync(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-i',
      wavPath,
      '-af',
      filter,
      '-t',
      String(seconds),
      '-map_metadata',
      '-1',
      '-fflags',
      '+bitexact',
      '-flags:a',
      '+bitexact',
      ...formatArgs,
      outPath,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** Copies next to the destination, then renames, so an interrupted run never leaves half a fixture. */
function moveIntoPlace(tmpPath, fileName) {
  const dest = path.join(FIXTURES_DIR, fileName);
  const partial = `${dest}.partial`;
  fs.copyFileSync(tmpPath, partial);
  fs.renameSync(partial, dest);
  console.log(`wrote fixtures/${fileName} (${fs.statSync(dest).size} bytes)`);
}

function makeFixture(fixture, tmpDir) {
  const bytes = buildMidi(fixture).toArray();
  checkRoundTrip(fixture, bytes);
  const midPath = path.join(tmpDir, `${fixture.name}.mid`);
  fs.writeFileSync(midPath, bytes);

  const wavPath = path.join(tmpDir, `${fixture.name}.render.wav`);
  renderFixture(midPath, wavPath);
  const seconds = endSeconds(fixture.notes) + TAIL_SECONDS;

  moveIntoPlace(midPath, `${fixture.name}.mid`);
  for (const [fileName, formatArgs] of fixture.outputs) {
    const outPath = path.join(tmpDir, fileName);
    convert(wavPath, outPath, seconds, formatArgs);
    moveIntoPlace(outPath, fileName);
  }
}

function main() {
  const missing = missingTool({ ffmpeg: true });
  if (missing) {
    console.error(`make-fixtures: ${missing}`);
    process.exit(1);
  }
  fs.mkdirSync(FIXTURES_DIR, { recursive: true });
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jam-fixtures-'));
  try {
    for (const fixture of fixtures()) makeFixture(fixture, tmpDir);
  } catch (err) {
    // A failed tool prints its own reason on stderr; show that, not a stack.
    const detail = err.stderr?.toString().trim().split('\n').pop() || err.message;
    console.error(`make-fixtures: ${detail}`);
    process.exitCode = 1;
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

main();
