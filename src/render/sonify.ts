/**
 * A plain listening-back render of transcribed notes: each note is a few harmonics under a short
 * attack/release envelope, following its pitch bends, so a transcription can be heard against its source.
 */
import { MAX_VELOCITY } from '../notes.js';
import type { NoteEvent } from '../types.js';

export const DEFAULT_SONIFY_SAMPLE_RATE = 22050;
/** Amplitudes of the 1st, 2nd and 3rd harmonics: a soft, organ-like tone where the pitch is easy to hear. */
const HARMONIC_AMPLITUDES = [1, 0.5, 0.25];
const HARMONIC_SUM = HARMONIC_AMPLITUDES.reduce((sum, amplitude) => sum + amplitude, 0);
/** Long enough to avoid a click at the onset, short enough to keep the attack crisp. */
const ATTACK_SECONDS = 0.005;
/** The fade after each note's end; the output is this much longer than the last note. */
export const RELEASE_SECONDS = 0.05;
/** The loudest sample after mixing, leaving headroom below full scale. */
const PEAK_LEVEL = 0.9;
/** With no notes to play, a short silence rather than an empty buffer, which some players reject. */
export const EMPTY_SECONDS = 0.1;
const A4_PITCH = 69;
const A4_HZ = 440;
const SEMITONES_PER_OCTAVE = 12;
const TWO_PI = 2 * Math.PI;

/**
 * Render notes to mono samples at `sampleRate`, lasting until the last note's end plus the release.
 * Notes are mixed, then scaled down if needed so no sample exceeds the peak level.
 */
export function sonify(notes: NoteEvent[], sampleRate = DEFAULT_SONIFY_SAMPLE_RATE): Float32Array {
  if (!(sampleRate > 0)) throw new RangeError(`sonify: sample rate must be positive, got ${sampleRate}`);
  const sounding = notes.filter(isPlayable);
  if (sounding.length === 0) return new Float32Array(Math.round(EMPTY_SECONDS * sampleRate));

  const releaseSamples = Math.round(RELEASE_SECONDS * sampleRate);
  const lastEnd = sounding.reduce((latest, note) => Math.max(latest, note.end), 0);
  const output = new Float32Array(Math.round(lastEnd * sampleRate) + releaseSamples);
  for (const note of sounding) addNote(output, note, sampleRate, releaseSamples);
  limitPeak(output);
  return output;
}

/** Skip notes that cannot sound: no duration, or a non-finite time or pitch (which would make the whole mix NaN). */
function isPlayable(note: NoteEvent): boolean {
  return (
    Number.isFinite(note.pitch) && Number.isFinite(note.start) && Number.isFinite(note.end) && note.end > note.start
  );
}

/** Add one note into the mix, touching only its own samples. */
function addNote(output: Float32Array, note: NoteEvent, sampleRate: number, releaseSamples: number): void {
  const first = Math.round(Math.max(0, note.start) * sampleRate);
  const heldSamples = Math.max(0, Math.round(note.end * sampleRate) - first);
  const attackSamples = Math.max(1, Math.round(ATTACK_SECONDS * sampleRate));
  const level = Math.min(Math.max(note.velocity / MAX_VELOCITY, 0), 1) / HARMONIC_SUM;
  const nyquist = sampleRate / 2;
  // The phase is accumulated sample by sample, so a changing frequency glides without discontinuities.
  let phase = 0;
  for (let i = 0; i < heldSamples + releaseSamples; i++) {
    const position = heldSamples > 0 ? Math.min(i / heldSamples, 1) : 1;
    const frequency = pitchToHz(note.pitch + bendAt(note.bends, position));
    const gain = level * envelope(i, heldSamples, attackSamples, releaseSamples);
    output[first + i] += gain * harmonics(phase, frequency, nyquist);
    phase = (phase + (TWO_PI * frequency) / sampleRate) % TWO_PI;
  }
}

function pitchToHz(pitch: number): number {
  return A4_HZ * 2 ** ((pitch - A4_PITCH) / SEMITONES_PER_OCTAVE);
}

/** The bend in semitones at `position` (0 at the note's start, 1 at its end), linear between the bend points. */
function bendAt(bends: number[] | undefined, position: number): number {
  if (bends === undefined || bends.length === 0) return 0;
  if (bends.length === 1) return bends[0];
  const x = position * (bends.length - 1);
  const index = Math.min(Math.floor(x), bends.length - 2);
  return bends[index] + (x - index) * (bends[index + 1] - bends[index]);
}

/** Linear attack up to full level while held, then a linear fade from wherever the attack reached. */
function envelope(i: number, heldSamples: number, attackSamples: number, releaseSamples: number): number {
  if (i < heldSamples) return Math.min(i / attackSamples, 1);
  return Math.min(heldSamples / attackSamples, 1) * (1 - (i - heldSamples) / releaseSamples);
}

/** Harmonics at or above Nyquist are left out: they would alias to unrelated pitches. */
function harmonics(phase: number, frequency: number, nyquist: number): number {
  let sum = 0;
  for (let k = 0; k < HARMONIC_AMPLITUDES.length && (k + 1) * frequency < nyquist; k++) {
    sum += HARMONIC_AMPLITUDES[k] * Math.sin((k + 1) * phase);
  }
  return sum;
}

/** Scale the mix down, never up, so overlapping notes cannot clip. */
function limitPeak(samples: Float32Array): void {
  let peak = 0;
  for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
  if (peak <= PEAK_LEVEL) return;
  const scale = PEAK_LEVEL / peak;
  for (let i = 0; i < samples.length; i++) samples[i] *= scale;
}
