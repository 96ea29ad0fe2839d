/**
 * Standard MIDI File bytes straight from notes and pitch bends in ticks, the writing half of smf.ts: a
 * format 1 file with a tempo track, then one track per channel. Events are packed into numbers rather
 * than objects, so an hour of notes and bends costs a few megabytes, not hundreds.
 */
import { BEND_CENTRE, NOTE_OFF, NOTE_ON, PITCH_BEND, PROGRAM_CHANGE } from './messages.js';
import { CHUNK_HEADER_BYTES, META, META_TEMPO } from './smf.js';

/** A note in ticks. */
export interface SmfNote {
  pitch: number;
  start: number;
  end: number;
  velocity: number;
}

/** A pitch-wheel position (signed 14-bit, 0 is centre) from `ticks` on. */
export interface SmfBend {
  ticks: number;
  value: number;
}

export interface SmfTrack {
  name: string;
  channel: number;
  program: number;
  notes: SmfNote[];
  bends: SmfBend[];
}

export interface SmfFile {
  /** Ticks per quarter note. */
  ppq: number;
  microsecondsPerBeat: number;
  tracks: SmfTrack[];
}

const MULTI_TRACK_FORMAT = 1;
const META_TRACK_NAME = 0x03;
const META_END_OF_TRACK = 0x2f;
/** The most bytes one event takes: a four-byte delta time and a three-byte message. */
const MAX_EVENT_BYTES = 7;
const END_OF_TRACK = [META, META_END_OF_TRACK, 0];

/** The file's bytes. At equal ticks the program comes first, then notes on and off in the order given, then bends. */
export function encodeSmf(file: SmfFile): Uint8Array {
  const conductor = [
    ...trackName(''),
    0,
    META,
    META_TEMPO,
    3,
    ...bigEndian(file.microsecondsPerBeat, 3),
    0,
    ...END_OF_TRACK,
  ];
  const chunks = [
    chunk('MTrk', Uint8Array.from(conductor)),
    ...file.tracks.map((track) => chunk('MTrk', trackBytes(track))),
  ];
  const header = chunk(
    'MThd',
    Uint8Array.from([...bigEndian(MULTI_TRACK_FORMAT, 2), ...bigEndian(chunks.length, 2), ...bigEndian(file.ppq, 2)]),
  );
  return concat([header, ...chunks]);
}

/** A track's channel messages, each packed into a number as status << 16 | data1 << 8 | data2, with their ticks. */
function trackEvents(track: SmfTrack): { ticks: number[]; messages: number[] } {
  const message = (status: number, data1: number, data2: number): number =>
    ((status | track.channel) << 16) | (data1 << 8) | data2;
  const ticks = [0];
  const messages = [message(PROGRAM_CHANGE, track.program, 0)];
  for (const note of track.notes) {
    ticks.push(note.start, note.end);
    messages.push(message(NOTE_ON, note.pitch, note.velocity), message(NOTE_OFF, note.pitch, 0));
  }
  for (const bend of track.bends) {
    const raw = bend.value + BEND_CENTRE;
    ticks.push(bend.ticks);
    messages.push(message(PITCH_BEND, raw & 0x7f, (raw >> 7) & 0x7f));
  }
  return { ticks, messages };
}

function trackBytes(track: SmfTrack): Uint8Array {
  const name = trackName(track.name);
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
    // A program change carries one data byte; notes and bends carry two.
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

/** A track-name meta event at tick 0, delta time included. */
function trackName(name: string): Uint8Array {
  const text = new TextEncoder().encode(name);
  const length = new Uint8Array(4);
  const lengthBytes = writeNumber(length, 0, text.length);
  return Uint8Array.from([0, META, META_TRACK_NAME, ...length.subarray(0, lengthBytes), ...text]);
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
