/** The words on a piano roll: note names, times, and how much text fits in a box at which font size. */
import { round } from '../numbers.js';
import { PITCH_CLASS_NAMES, SIZES } from './rollStyle.js';

export const SEMITONES_PER_OCTAVE = 12;

/** MIDI number → scientific pitch name with sharps: 60 → C4, 61 → C#4. */
export function noteName(pitch: number): string {
  return `${PITCH_CLASS_NAMES[pitch % SEMITONES_PER_OCTAVE]}${Math.floor(pitch / SEMITONES_PER_OCTAVE) - 1}`;
}

export function seconds(time: number): string {
  return `${round(time, 3)} s`;
}

export function minutes(time: number): string {
  const whole = Math.floor(time / 60);
  const rest = time - whole * 60;
  const restText = Number.isInteger(Math.round(rest * 1000) / 1000)
    ? String(Math.round(rest)).padStart(2, '0')
    : rest.toFixed(1).padStart(4, '0');
  return `${whole}:${restText}`;
}

/** The largest font, down to the smallest readable one, at which `text` fits in `room` px; none if it never does. */
export function fittingFont(text: string, room: number, largest: number): number | undefined {
  for (let font = largest; font >= SIZES.smallestLabelFont; font--) {
    if (textWidth(text, font) <= room) return font;
  }
  return undefined;
}

export function fitText(text: string, room: number, font: number): string {
  if (textWidth(text, font) <= room) return text;
  const characters = Math.max(1, Math.floor(room / (font * SIZES.characterWidth)) - 1);
  return `${text.slice(0, characters)}…`;
}

export function textWidth(text: string, font: number): number {
  return text.length * font * SIZES.characterWidth;
}
