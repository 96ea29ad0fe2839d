/** The numbers of MIDI itself and the choices jam makes within them, named once for every reader and writer. */

/** The MIDI pitch-bend range jam writes and assumes: ±2 semitones over 14 bits, the General MIDI default. */
export const PITCH_BEND_RANGE_SEMITONES = 2;
export const MIDI_CHANNEL_COUNT = 16;
/** General MIDI's channel 10, counted from 0: its notes are drums, not pitches. */
export const DRUM_CHANNEL = 9;
/** The largest value of a 7-bit data byte (a controller's value, a program). */
export const MIDI_DATA_MAX = 127;

/** A chunk of a Standard MIDI File starts with its four-letter type and a 32-bit length. */
export const CHUNK_HEADER_BYTES = 8;
export const HEADER_CHUNK = 'MThd';
export const TRACK_CHUNK = 'MTrk';
/** A tempo event's microseconds per quarter note, over this, is beats per minute. */
export const MICROSECONDS_PER_MINUTE = 60_000_000;

/** The status byte of a meta event in a file, and the meta event types jam reads or writes. */
export const META = 0xff;
export const META_TEXT = 0x01;
export const META_TRACK_NAME = 0x03;
export const META_LYRICS = 0x05;
export const META_MARKER = 0x06;
export const META_CUE_POINT = 0x07;
export const META_END_OF_TRACK = 0x2f;
export const META_TEMPO = 0x51;
export const META_TIME_SIGNATURE = 0x58;
export const META_KEY_SIGNATURE = 0x59;
