/**
 * MIDI channel messages as the byte arrays ports send, for a channel 0–15. Pitch bends are 14-bit, centred on
 * 8192, and span ± the bend range a synth was told by RPN 0 (pitch-bend sensitivity).
 */
export type MidiMessage = number[];

/** Status bytes of the channel messages, for channel 0 (the low four bits carry the channel), in ports and files. */
export const NOTE_OFF = 0x80;
export const NOTE_ON = 0x90;
export const CONTROL_CHANGE = 0xb0;
export const PROGRAM_CHANGE = 0xc0;
export const PITCH_BEND = 0xe0;

const RPN_MSB = 101;
const RPN_LSB = 100;
const DATA_ENTRY_MSB = 6;
const DATA_ENTRY_LSB = 38;
const RPN_PITCH_BEND_SENSITIVITY = 0;
/** RPN 127/127 deselects the parameter, so a stray data entry later changes nothing. */
const RPN_NULL = 127;
const ALL_NOTES_OFF = 123;

export const BEND_CENTRE = 8192;
const BEND_MAX = 16383;
const CENTS_PER_SEMITONE = 100;

export function noteOn(channel: number, pitch: number, velocity: number): MidiMessage {
  return [NOTE_ON | channel, pitch, velocity];
}

export function noteOff(channel: number, pitch: number): MidiMessage {
  return [NOTE_OFF | channel, pitch, 0];
}

export function controlChange(channel: number, controller: number, value: number): MidiMessage {
  return [CONTROL_CHANGE | channel, controller, value];
}

/** `program` 0–127 (General MIDI's 1–128 less one). */
export function programChange(channel: number, program: number): MidiMessage {
  return [PROGRAM_CHANGE | channel, program];
}

export function allNotesOff(channel: number): MidiMessage {
  return controlChange(channel, ALL_NOTES_OFF, 0);
}

/** A 14-bit wheel position, 0–16383 with 8192 the centre. */
export function pitchWheel(channel: number, position: number): MidiMessage {
  const value = Math.max(0, Math.min(BEND_MAX, Math.round(position)));
  return [PITCH_BEND | channel, value & 0x7f, value >> 7];
}

/** Semitones → the wheel position for a ±`range` semitone bend range, clipped to the wheel. */
export function bendPosition(semitones: number, range: number): number {
  return Math.max(0, Math.min(BEND_MAX, Math.round(BEND_CENTRE + (semitones / range) * BEND_CENTRE)));
}

/** RPN 0: tells the synth that the full wheel spans ± `semitones` (fractions become cents). */
export function bendRangeMessages(channel: number, semitones: number): MidiMessage[] {
  const whole = Math.floor(semitones);
  const cents = Math.round((semitones - whole) * CENTS_PER_SEMITONE);
  return [
    controlChange(channel, RPN_MSB, RPN_PITCH_BEND_SENSITIVITY),
    controlChange(channel, RPN_LSB, RPN_PITCH_BEND_SENSITIVITY),
    controlChange(channel, DATA_ENTRY_MSB, whole),
    controlChange(channel, DATA_ENTRY_LSB, cents),
    controlChange(channel, RPN_MSB, RPN_NULL),
    controlChange(channel, RPN_LSB, RPN_NULL),
  ];
}

/** What a message from an input port means, for recording: notes and bends, the rest ignored. */
export type ParsedMessage =
  | { kind: 'on' | 'off'; channel: number; pitch: number; velocity: number }
  | { kind: 'wheel'; channel: number; position: number }
  | { kind: 'other' };

export function parseMessage(message: readonly number[]): ParsedMessage {
  const [status, first = 0, second = 0] = message;
  const kind = status & 0xf0;
  const channel = status & 0x0f;
  if (kind === NOTE_ON && second > 0) return { kind: 'on', channel, pitch: first, velocity: second };
  if (kind === NOTE_OFF || kind === NOTE_ON) return { kind: 'off', channel, pitch: first, velocity: 0 };
  if (kind === PITCH_BEND) return { kind: 'wheel', channel, position: first | (second << 7) };
  return { kind: 'other' };
}
