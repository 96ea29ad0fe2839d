/**
 * The fuzz suite's parsers and their valid seed inputs. Each parser takes an input and either returns a result it
 * checks to be valid, or throws; the harness (harness.ts) accepts only a JamError with a one-line message as a throw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/wav.js';
import { decodeAudio } from '../../src/audio/decode.js';
import { checkMidiIsWhole } from '../../src/midi/wholeFile.js';
import { readMidiFile } from '../../src/midi/smf.js';
import { midiFromBytes } from '../../src/midi/read.js';
import { notesToMidiBytes } from '../../src/midi/write.js';
import { pieceFromMidi } from '../../src/app/load.js';
import { analyzePiece } from '../../src/app/analyze.js';
import { formatLab, parseLab } from '../../src/theory/analysis/lab.js';
import { notesFromJson } from '../../src/app/noteJson.js';
import { mergeReports, parseReport, REPORT_FORMAT, summarize, type FileRecord } from '../../src/batch/report.js';
import { parseMusicalKey, parseProgression } from '../../src/theory/progression/parse.js';
import { arrangeProgression } from '../../src/theory/progression/arrange.js';
import { arrangementToMidiBytes } from '../../src/app/progressionFile.js';
import { PcmDecoder, PCM_FORMATS } from '../../src/live/pcm.js';
import type { NoteEvent } from '../../src/types.js';
import { type Fuzz, mutateBytes, mutateSmf, mutateText, mutateWav } from './mutate.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

/** A parser under fuzz: seeds, a mutation, and the run that must end in a valid result or a JamError. */
export interface FuzzTarget<T> {
  name: string;
  seeds: () => T[];
  mutate: (fuzz: Fuzz, seed: T) => T;
  /** Parses `input`; throws an Error describing an invalid result (a bug), or lets a JamError through. */
  run: (input: T) => void | Promise<void>;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`invalid result: ${what}`);
}

const finite = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

function checkNotes(notes: NoteEvent[]): void {
  for (const note of notes) {
    check(
      finite(note.pitch) && finite(note.start) && finite(note.end) && finite(note.velocity),
      'a note is not finite',
    );
    check(note.end >= note.start, 'a note ends before it starts');
  }
}

const SCALE: NoteEvent[] = [60, 62, 64, 65, 67, 69, 71, 72].map((pitch, i) => ({
  pitch,
  start: i * 0.5,
  end: i * 0.5 + 0.45,
  velocity: 90,
}));

const CHORDS: NoteEvent[] = [
  [60, 64, 67],
  [57, 60, 64],
  [53, 57, 60],
  [55, 59, 62, 65],
].flatMap((pitches, i) => pitches.map((pitch) => ({ pitch, start: i, end: i + 0.9, velocity: 80 })));

function sine(seconds: number, rate: number): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * rate) },
    (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate),
  );
}

export const wavTarget: FuzzTarget<Uint8Array> = {
  name: 'WAV',
  seeds: () => [
    encodeWav([sine(0.05, 22050)], 22050),
    encodeWav([sine(0.05, 44100), sine(0.05, 44100)], 44100, 'float32'),
    readFileSync(join(FIXTURES, 'scale.wav')).subarray(0, 8192),
  ],
  mutate: mutateWav,
  async run(bytes) {
    const audio = await decodeAudio(bytes, 'fuzz.wav', 22050);
    check(audio.samples.every(finite), 'a decoded sample is not finite');
  },
};

/** Every SMF reader, then analysis of what was read: anything sized by the file's times must stay bounded. */
export const smfTarget: FuzzTarget<Uint8Array> = {
  name: 'SMF',
  seeds: () => [
    readFileSync(join(FIXTURES, 'scale.mid')),
    readFileSync(join(FIXTURES, 'chords.mid')),
    readFileSync(join(FIXTURES, 'bend.mid')),
    notesToMidiBytes(CHORDS),
  ],
  mutate: mutateSmf,
  run(bytes) {
    checkMidiIsWhole(bytes, 'fuzz.mid');
    const file = readMidiFile(bytes, 'fuzz.mid');
    check(finite(file.duration), 'the duration is not finite');
    midiFromBytes(bytes, 'fuzz.mid');
    const piece = pieceFromMidi(bytes, 'fuzz.mid');
    checkNotes(piece.notes);
    const analysis = analyzePiece(piece);
    check(Array.isArray(analysis.chords), 'no chords');
  },
};

export const labTarget: FuzzTarget<string> = {
  name: '.lab',
  seeds: () => [
    formatLab([
      { start: 0, end: 1.5, label: 'C:maj' },
      { start: 1.5, end: 3, label: 'A:min7' },
      { start: 3, end: 4, label: 'N' },
      { start: 4, end: 6.25, label: 'G:7/3' },
    ]),
    '# a comment\n0.000 2.000 F:maj(9)\n2.000 4.000 Bb:sus4\n',
  ],
  mutate: (fuzz, text) =>
    mutateText(fuzz, text, ['C:maj', 'X:yy', 'C:min/b3', '0.5', '1.0', 'N', 'C:(1,3,5)', 'H:maj']),
  run(text) {
    for (const interval of parseLab(text, 'fuzz.lab'))
      check(finite(interval.start) && finite(interval.end) && interval.start <= interval.end, 'a bad interval');
  },
};

export const noteJsonTarget: FuzzTarget<string> = {
  name: 'note JSON',
  seeds: () => [
    JSON.stringify(SCALE),
    JSON.stringify({ input: 'take.wav', notes: CHORDS, duration: 4 }),
    JSON.stringify([{ ...SCALE[0], bends: [0, 1, 2, -3] }]),
  ],
  mutate: (fuzz, text) =>
    mutateText(fuzz, text, ['"pitch"', '"start"', '"end"', '"velocity"', '"bends"', '"notes"', '60', '0.5']),
  run(text) {
    checkNotes(notesFromJson(text, 'fuzz.json'));
  },
};

function report(files: FileRecord[]): string {
  return JSON.stringify({
    format: REPORT_FORMAT,
    command: 'transcribe',
    complete: true,
    startedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:01:00.000Z',
    files,
    summary: summarize(files, files.length, 60),
  });
}

export const reportTarget: FuzzTarget<string> = {
  name: 'batch report',
  seeds: () => [
    report([
      { input: 'a.wav', status: 'done', outputs: { midi: 'a.mid' }, duration: 3, noteCount: 9, seconds: 1.2 },
      { input: 'b.wav', status: 'skipped', outputs: { midi: 'b.mid' }, seconds: 0 },
      { input: 'c.wav', status: 'failed', outputs: {}, seconds: 0.1, error: 'c.wav: broken' },
    ]),
  ],
  mutate: (fuzz, text) =>
    mutateText(fuzz, text, ['"weird"', 'null', '"done"', '"failed"', '"input"', '"status"', '"files"', '{}', '[]']),
  run(text) {
    const parsed = parseReport(text, 'fuzz.json');
    const { summary } = mergeReports([parsed, parsed]);
    check(
      summary.done + summary.skipped + summary.failed + summary.notRun === summary.files,
      `the summary does not add up: ${JSON.stringify(summary)}`,
    );
  },
};

export const progressionTarget: FuzzTarget<string> = {
  name: 'progression text',
  seeds: () => [
    'I IV V I',
    'ii7 V7 Imaj7 vi7',
    'Cmaj7 Am7/G Dm9 G13',
    'I:2 V:2 vi:8 IV',
    'i bVI bIII bVII',
    'V7/V V7 I',
  ],
  mutate: (fuzz, text) =>
    mutateText(fuzz, text, ['bII', '#iv°', 'V/V/V', 'Cmaj7#11', ':0', ':65', ':1.5', 'N.C.', 'viiø7', 'X', 'Ab/G#']),
  run(text) {
    const progression = parseProgression(text, { key: parseMusicalKey(text.length % 2 ? 'A minor' : 'Eb') });
    const arrangement = arrangeProgression(progression, { bass: true, loop: 2 });
    checkNotes(arrangement.notes);
    check(arrangementToMidiBytes(arrangement, 'fuzz').length > 0, 'no MIDI bytes');
  },
};

interface PcmCase {
  format: (typeof PCM_FORMATS)[number];
  channels: number;
  rate: number;
  bytes: Uint8Array;
  /** Where the stream is cut into reads. */
  cuts: number[];
}

export const pcmTarget: FuzzTarget<PcmCase> = {
  name: 'PCM',
  seeds: () => [
    {
      format: 's16le',
      channels: 1,
      rate: 22050,
      bytes: Buffer.from(Int16Array.from(sine(0.02, 22050), (x) => x * 32767).buffer),
      cuts: [],
    },
    { format: 'f32le', channels: 2, rate: 48000, bytes: Buffer.from(sine(0.02, 48000).buffer), cuts: [] },
  ],
  mutate(fuzz, seed) {
    const bytes = mutateBytes(fuzz, seed.bytes);
    return {
      format: fuzz.pick(PCM_FORMATS),
      channels: fuzz.pick([1, 2, 3, 8, seed.channels]),
      rate: fuzz.pick([8000, 22050, 44100, 48000, 96000, seed.rate]),
      bytes,
      cuts: Array.from({ length: fuzz.int(6) }, () => fuzz.int(bytes.length + 1)).sort((a, b) => a - b),
    };
  },
  run({ format, channels, rate, bytes, cuts }) {
    const decoder = new PcmDecoder({ format, channels, rate }, 22050);
    let samples = 0;
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      samples += decoder.push(bytes.subarray(from, cut)).length;
      from = cut;
    }
    samples += decoder.end().length;
    const frames = Math.floor(bytes.length / ((format === 's16le' ? 2 : 4) * channels));
    check(Math.abs(samples - (frames * 22050) / rate) <= 64, `${samples} samples out of ${frames} frames`);
  },
};

export const TARGETS: Array<FuzzTarget<never>> = [
  wavTarget,
  smfTarget,
  labTarget,
  noteJsonTarget,
  reportTarget,
  progressionTarget,
  pcmTarget,
] as Array<FuzzTarget<never>>;
