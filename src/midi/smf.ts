/**
 * Standard MIDI Files read just as far as analysis needs, and fast: every note with its channel, the
 * tempo map and the time signatures. @tonejs/midi reads everything, in time that grows with the square
 * of a track's notes; its Header still does the tempo arithmetic here, so times agree with it to the tick.
 */
import ToneMidi from '@tonejs/midi';
import { JamError } from '../errors.js';
import {
  CHUNK_HEADER_BYTES,
  META,
  META_TEMPO,
  META_TIME_SIGNATURE,
  META_TRACK_NAME,
  MICROSECONDS_PER_MINUTE,
  TRACK_CHUNK,
} from './constants.js';
import { NOTE_OFF, NOTE_ON, PROGRAM_CHANGE } from './messages.js';
import { checkMidiIsWhole } from './wholeFile.js';

const { Header } = ToneMidi;
export type MidiHeader = InstanceType<typeof Header>;

export interface FileNote {
  pitch: number;
  /** Seconds. */
  start: number;
  end: number;
  velocity: number;
  /** 0–15; 9 is the drums. */
  channel: number;
  /** The track chunk it came from, counted from 0. */
  track: number;
}

export interface MidiFileContents {
  header: MidiHeader;
  notes: FileNote[];
  /** Seconds: the end of the last note, drums included. */
  duration: number;
  /** Each track chunk's name (its first track-name event), '' when it has none; indexed as `FileNote.track`. */
  trackNames: string[];
}

const SEQUENCES_FORMAT = 2;
/** The header's division with its top bit set counts SMPTE frames, not ticks per quarter note. */
const SMPTE_DIVISION = 0x8000;
const CHANNEL_PRESSURE = 0xd0;
const SYSEX = 0xf0;
const SYSEX_CONTINUATION = 0xf7;

interface Pending {
  ticks: number;
  velocity: number;
}

interface TickNote {
  pitch: number;
  channel: number;
  track: number;
  velocity: number;
  startTicks: number;
  endTicks: number;
}

/** Reads a Standard MIDI File of format 0 or 1; anything malformed is a JamError naming `name`. */
export function readMidiFile(bytes: Uint8Array, name: string): MidiFileContents {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (what: string): never => {
    throw new JamError(`${name}: not a readable MIDI file (${what}); check the file, or export it again`);
  };
  checkMidiIsWhole(bytes, name);
  const format = view.getUint16(CHUNK_HEADER_BYTES);
  const division = view.getUint16(CHUNK_HEADER_BYTES + 4);
  if (format === SEQUENCES_FORMAT) {
    throw new JamError(
      `${name}: a format 2 MIDI file (independent sequences, not one piece); export it as format 0 or 1 and try again`,
    );
  }
  if (division & SMPTE_DIVISION || division === 0)
    throw new JamError(
      `${name}: the MIDI file counts time in SMPTE frames, which jam does not read; ` +
        'export it with a tempo (ticks per quarter note)',
    );

  const tempos: Array<{ ticks: number; bpm: number }> = [];
  const timeSignatures: Array<{ ticks: number; timeSignature: number[] }> = [];
  const notes: TickNote[] = [];
  const trackNames: string[] = [];
  for (
    let offset = CHUNK_HEADER_BYTES + view.getUint32(4);
    offset + CHUNK_HEADER_BYTES <= bytes.length;
    offset += CHUNK_HEADER_BYTES + view.getUint32(offset + 4)
  ) {
    if (chunkType(bytes, offset) !== TRACK_CHUNK) continue; // unknown chunks are to be skipped
    // A chunk past the tracks the header counts is not checked by checkMidiIsWhole: it ends where the file does.
    readTrack(
      bytes,
      offset + CHUNK_HEADER_BYTES,
      Math.min(bytes.length, offset + CHUNK_HEADER_BYTES + view.getUint32(offset + 4)),
      { tempos, timeSignatures, notes, trackNames },
      fail,
    );
  }
  const header = new Header();
  header.fromJSON({ name: '', ppq: division, meta: [], tempos, timeSignatures, keySignatures: [] });
  const inSeconds = notes
    .map((note) => ({
      pitch: note.pitch,
      channel: note.channel,
      track: note.track,
      velocity: note.velocity,
      start: header.ticksToSeconds(note.startTicks),
      end: header.ticksToSeconds(note.endTicks),
    }))
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  return {
    header,
    notes: inSeconds,
    duration: inSeconds.reduce((end, note) => Math.max(end, note.end), 0),
    trackNames,
  };
}

function chunkType(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

interface Collected {
  tempos: Array<{ ticks: number; bpm: number }>;
  timeSignatures: Array<{ ticks: number; timeSignature: number[] }>;
  notes: TickNote[];
  trackNames: string[];
}

/** One track's events from `start` to `end`: notes paired first-on first-off per channel and pitch. */
function readTrack(
  bytes: Uint8Array,
  start: number,
  end: number,
  into: Collected,
  fail: (what: string) => never,
): void {
  let offset = start;
  let ticks = 0;
  let status = 0;
  const track = into.trackNames.length;
  into.trackNames.push('');
  const sounding = new Map<number, Pending[]>();
  const byte = (): number => (offset < end ? bytes[offset++] : fail('a track ends inside an event'));
  const number = (): number => {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const next = byte();
      value = value * 128 + (next & 0x7f);
      if (!(next & 0x80)) return value;
    }
    return fail('a number longer than four bytes');
  };
  const release = (channel: number, pitch: number): void => {
    const pending = sounding.get(channel * 128 + pitch)?.shift();
    if (pending)
      into.notes.push({
        pitch,
        channel,
        track,
        velocity: pending.velocity,
        startTicks: pending.ticks,
        endTicks: ticks,
      });
  };
  while (offset < end) {
    ticks += number();
    let first = byte();
    if (first & 0x80) {
      if (first < SYSEX) status = first; // channel messages set the running status; others do not use it
      if (first === META) {
        const type = byte();
        const length = number();
        if (offset + length > end) fail('a track ends inside an event');
        if (type === META_TEMPO && length >= 3) {
          const microseconds = (bytes[offset] << 16) | (bytes[offset + 1] << 8) | bytes[offset + 2];
          if (microseconds > 0) into.tempos.push({ ticks, bpm: MICROSECONDS_PER_MINUTE / microseconds });
        } else if (type === META_TIME_SIGNATURE && length >= 2) {
          into.timeSignatures.push({ ticks, timeSignature: [bytes[offset], 2 ** bytes[offset + 1]] });
        } else if (type === META_TRACK_NAME && into.trackNames[track] === '') {
          into.trackNames[track] = new TextDecoder().decode(bytes.subarray(offset, offset + length));
        }
        offset += length;
        continue;
      }
      if (first === SYSEX || first === SYSEX_CONTINUATION) {
        offset += number();
        continue;
      }
      if (first >= SYSEX) fail(`a stray status byte 0x${first.toString(16)}`);
      first = byte();
    } else if (!status) {
      fail('a data byte where an event should start');
    }
    const kind = status & 0xf0;
    const channel = status & 0x0f;
    const second = kind === PROGRAM_CHANGE || kind === CHANNEL_PRESSURE ? 0 : byte();
    if (kind === NOTE_ON && second > 0) {
      const key = channel * 128 + first;
      const pending = sounding.get(key);
      if (pending) pending.push({ ticks, velocity: second });
      else sounding.set(key, [{ ticks, velocity: second }]);
    } else if (kind === NOTE_OFF || kind === NOTE_ON) {
      release(channel, first);
    }
  }
  // A note never released sounds to the end of its track.
  for (const [key, pending] of sounding) {
    for (const note of pending)
      into.notes.push({
        pitch: key % 128,
        channel: Math.floor(key / 128),
        track,
        velocity: note.velocity,
        startTicks: note.ticks,
        endTicks: ticks,
      });
  }
}
