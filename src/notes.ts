/** The ranges of the note event every layer shares (types.ts): MIDI's, since notes come from and go to MIDI. */

/** The softest velocity a sounding note has: 0 is a note-off. */
export const MIN_VELOCITY = 1;
export const MAX_VELOCITY = 127;
/** The highest MIDI note number (G9); the lowest is 0. */
export const MAX_PITCH = 127;
