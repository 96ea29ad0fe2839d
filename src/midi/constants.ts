/** The numbers of MIDI itself and the choices jam makes within them, named once for every reader and writer. */

/** The MIDI pitch-bend range jam writes and assumes: ±2 semitones over 14 bits, the General MIDI default. */
export const PITCH_BEND_RANGE_SEMITONES = 2;
