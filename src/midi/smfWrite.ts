/**
 * Standard MIDI File bytes, the writing half of smf.ts and the one writer of jam: a format 1 file whose first
 * track (the conductor) holds the name, key signatures, markers and other texts, tempos and time signatures, then
 * one track per channel of notes, controllers and pitch bends in ticks. Channel events are packed into numbers
 * rather than objects, so the memory of an hour of notes and bends stays small.
 */
import {
  CHUNK_HEADER_BYTES,
  HEADER_CHUNK,
  META,
  META_CUE_POINT,
  META_END_OF_TRACK,
  META_KEY_SIGNATURE,
  META_LYRICS,
  META_MARKER,
  META_TEMPO,
  META_TEXT,
  META_TIME_SIGNATURE,
  META_TRACK_NAME,
  TRACK_CHUNK,
} from './constants.js';
import { BEND_CENTRE, CONTROL_CHANGE, NOTE_OFF, NOTE_ON, PITCH_BEND, PROGRAM_CHANGE } from './messages.js';

/** A note in ticks. */
export interface SmfNote {
  pitch: number;
  start: number;
  end: number;
  velocity: number;
  /** The note-off's velocity; 0 when not given. */
  releaseVelocity?: number;
}

/** A pitch-wheel position (signed 14-bit, 0 is centre) from `ticks` on. */
export interface SmfBend {
  ticks: number;
  value: number;
}

/** A controller's value 0–127 from `ticks` on. */
export interface SmfControl {
  ticks: number;
  controller: number;
  value: number;
}

export interface SmfTrack {
  name: string;
  channel: number;
  program: number;
  notes: SmfNote[];
  controls?: SmfControl[];
  bends: SmfBend[];
}

export type SmfTextType = 'text' | 'lyrics' | 'marker' | 'cuePoint';

/** A text event of the conductor track: a marker is what a DAW shows on its timeline. */
export interface SmfText {
  ticks: number;
  type: SmfTextType;
  text: string;
}

export interface SmfTempo {
  ticks: number;
  microsecondsPerBeat: number;
}

export interface SmfTimeSignature {
  ticks: number;
  numerator: number;
  /** A power of two: 4 for quarter notes. */
  denominator: number;
}

export interface SmfKeySignature {
  ticks: number;
  /** Sharps (above 0) or flats (below 0) of the signature, −7 to 7. */
  accidentals: number;
  minor: boolean;
}

/** The first track: what belongs to the whole piece rather than to one channel. */
export interface SmfConductor {
  name: string;
  keySignatures?: SmfKeySignature[];
  texts?: SmfText[];
  tempos: SmfTempo[];
  timeSignatures?: SmfTimeSignature[];
}

export interface SmfFile {
  /** Ticks per quarter note. */
  ppq: number;
  conductor: SmfConductor;
  tracks: SmfTrack[];
  /**
   * How names and texts become bytes. 'latin-1' writes a byte a character, as @tonejs/midi reads them, so texts
   * read from a file keep their bytes. UTF-8 when not given.
   */
  textEncoding?: TextEncoding;
}

export type TextEncoding = 'utf-8' | 'latin-1';

const MULTI_TRACK_FORMAT = 1;
/** The most bytes one channel event takes: a four-byte delta time and a three-byte message. */
const MAX_EVENT_BYTES = 7;
const END_OF_TRACK = [META, META_END_OF_TRACK, 0];
const TEXT_TYPES: Record<SmfTextType, number> = {
  text: META_TEXT,
  lyrics: META_LYRICS,
  marker: META_MARKER,
  cuePoint: META_CUE_POINT,
};
/** A time signature's metronome click (MIDI clocks) and 32nd notes a quarter: the usual values. */
const CLOCKS_PER_CLICK = 24;
const THIRTY_SECONDS_PER_QUARTER = 8;
const MINOR_MODE = 1;
const MAJOR_MODE = 0;

/**
 * The file's bytes. At equal ticks the conductor's events keep the order of SmfConductor's fields; a track's
 * program comes first, then notes on and off in the order given, then controllers, then bends.
 */
export function encodeSmf(file: SmfFile): Uint8Array {
  const encoding = file.textEncoding ?? 'utf-8';
  const chunks = [
    chunk(TRACK_CHUNK, conductorBytes(file.conductor, encoding)),
    ...file.tracks.map((track) => chunk(TRACK_CHUNK, trackBytes(track, encoding))),
  ];
  const header = chunk(
    HEADER_CHUNK,
    Uint8Array.from([...bigEndian(MULTI_TRACK_FORMAT, 2), ...bigEndian(chunks.length, 2), ...bigEndian(file.ppq, 2)]),
  );
  return concat([header, ...chunks]);
}

/** The conductor track's meta events, each as its ticks and its bytes without the delta time. */
function conductorBytes(conductor: SmfConductor, encoding: TextEncoding): Uint8Array {
  const events: Array<{ ticks: number; bytes: number[] }> = [
    { ticks: 0, bytes: textEvent(META_TRACK_NAME, conductor.name, encoding) },
    ...(conductor.keySignatures ?? []).map(({ ticks, accidentals, minor }) => ({
      ticks,
      bytes: [META, META_KEY_SIGNATURE, 2, accidentals & 0xff, minor ? MINOR_MODE : MAJOR_MODE],
    })),
    ...(conductor.texts ?? []).map(({ ticks, type, text }) => ({
      ticks,
      bytes: textEvent(TEXT_TYPES[type], text, encoding),
    })),
    ...conductor.tempos.map(({ ticks, microsecondsPerBeat }) => ({
      ticks,
      bytes: [META, META_TEMPO, 3, ...bigEndian(microsecondsPerBeat, 3)],
    })),
    ...(conductor.timeSignatures ?? []).map(({ ticks, numerator, denominator }) => ({
      ticks,
      bytes: [
        META,
        META_TIME_SIGNATURE,
        4,
        numerator,
        Math.floor(Math.log2(denominator)) & 0xff,
        CLOCKS_PER_CLICK,
        THIRTY_SECONDS_PER_QUARTER,
      ],
    })),
  ];
  const bytes: number[] = [];
  let now = 0;
  for (const i of timeOrder(events.map((event) => event.ticks))) {
    bytes.push(...variableLength(events[i].ticks - now), ...events[i].bytes);
    now = events[i].ticks;
  }
  return Uint8Array.from([...bytes, 0, ...END_OF_TRACK]);
}

/** A track's channel messages, each packed into a number as status << 16 | data1 << 8 | data2, with their ticks. */
function trackEvents(track: SmfTrack): { ticks: number[]; messages: number[] } {
  const message = (status: number, data1: number, data2: number): number =>
    ((status | track.channel) << 16) | (data1 << 8) | data2;
  const ticks = [0];
  const messages = [message(PROGRAM_CHANGE, track.program, 0)];
  for (const note of track.notes) {
    ticks.push(note.start, note.end);
    messages.push(
      message(NOTE_ON, note.pitch, note.velocity),
      message(NOTE_OFF, note.pitch, note.releaseVelocity ?? 0),
    );
  }
  for (const control of track.controls ?? []) {
    ticks.push(control.ticks);
    messages.push(message(CONTROL_CHANGE, control.controller, control.value));
  }
  for (const bend of track.bends) {
    const raw = bend.value + BEND_CENTRE;
    ticks.push(bend.ticks);
    messages.push(message(PITCH_BEND, raw & 0x7f, (raw >> 7) & 0x7f));
  }
  return { ticks, messages };
}

function trackBytes(track: SmfTrack, encoding: TextEncoding): Uint8Array {
  const name = Uint8Array.from([0, ...textEvent(META_TRACK_NAME, track.name, encoding)]);
  const { ticks, messages } = trackEvents(track);
  const bytes = new Uint8Array(name.length + messages.length * MAX_EVENT_BYTES + 1 + END_OF_TRACK.length);
  bytes.set(name);
  let at = name.length;
  let now = 0;
  for (const i of timeOrder(ticks)) {
    at = writeNumber(bytes, at, ticks[i] - now);
    now = ticks[i];
    const message = messages[i];
    const status = message >> 16;
    bytes[at++] = status;
    bytes[at++] = (message >> 8) & 0x7f;
    // A program change carries one data byte; notes, controllers and bends carry two.
    if ((status & 0xf0) !== PROGRAM_CHANGE) bytes[at++] = message & 0x7f;
  }
  bytes[at++] = 0;
  bytes.set(END_OF_TRACK, at);
  return bytes.subarray(0, at + END_OF_TRACK.length);
}

/** Event indices sorted by time, keeping the given order among events at the same tick. */
function timeOrder(ticks: number[]): Uint32Array {
  const order = new Uint32Array(ticks.length);
  let sorted = true;
  for (let i = 0; i < ticks.length; i++) {
    order[i] = i;
    if (i > 0 && ticks[i] < ticks[i - 1]) sorted = false;
  }
  return sorted ? order : order.sort((a, b) => ticks[a] - ticks[b] || a - b);
}

/** A meta event holding text, without its delta time. */
function textEvent(type: number, text: string, encoding: TextEncoding): number[] {
  const bytes = textBytes(text, encoding);
  return [META, type, ...variableLength(bytes.length), ...bytes];
}

function textBytes(text: string, encoding: TextEncoding): number[] {
  if (encoding === 'utf-8') return [...new TextEncoder().encode(text)];
  // A byte for each UTF-16 unit, its low eight bits, as @tonejs/midi's writer (midi-file) gives it.
  return Array.from({ length: text.length }, (_, i) => (text.codePointAt(i) ?? 0) & 0xff);
}

function variableLength(value: number): number[] {
  const bytes = new Uint8Array(4);
  return [...bytes.subarray(0, writeNumber(bytes, 0, value))];
}

/**
 * A variable-length quantity (seven bits a byte, most significant first, at most four bytes: 77 hours at
 * 120 bpm) at `at`; returns the next offset.
 */
function writeNumber(bytes: Uint8Array, at: number, value: number): number {
  let shift = 21;
  while (shift > 0 && value >> shift === 0) shift -= 7;
  for (; shift > 0; shift -= 7) bytes[at++] = ((value >> shift) & 0x7f) | 0x80;
  bytes[at++] = value & 0x7f;
  return at;
}

function bigEndian(value: number, bytes: number): number[] {
  return Array.from({ length: bytes }, (_, i) => (value >> (8 * (bytes - 1 - i))) & 0xff);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(CHUNK_HEADER_BYTES + data.length);
  bytes.set(Array.from(type, (char) => char.charCodeAt(0)));
  new DataView(bytes.buffer).setUint32(4, data.length);
  bytes.set(data, CHUNK_HEADER_BYTES);
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}
