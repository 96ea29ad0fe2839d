/**
 * Every number of Basic Pitch's model and note creation, named once
 * (the values follow basic-pitch's constants.py and note_creation.py).
 */

/** The model's input sample rate. */
export const AUDIO_SAMPLE_RATE = 22050;
/** Samples between two model frames. */
export const FFT_HOP = 256;
/** Model frames per second (86). */
export const ANNOTATIONS_FPS = Math.floor(AUDIO_SAMPLE_RATE / FFT_HOP);
/** Seconds of audio per model window (before the hop is taken off). */
export const AUDIO_WINDOW_LENGTH = 2;
/** Frames the model outputs per window (172). */
export const ANNOT_N_FRAMES = ANNOTATIONS_FPS * AUDIO_WINDOW_LENGTH;
/** Samples per model window (43 844). */
export const AUDIO_N_SAMPLES = AUDIO_SAMPLE_RATE * AUDIO_WINDOW_LENGTH - FFT_HOP;

/**
 * The shortest window the model can run on, in output frames (a window of n × FFT_HOP + r samples gives n + 1
 * frames): the constant-Q transform halves the audio's rate 8 times, and its lowest octave pads each side with a
 * 128-sample reflection, which needs more than 128 samples there.
 */
export const MIN_WINDOW_FRAMES = 130;

/**
 * The tail model (models/basic-pitch-tail.onnx) gives a window's last TAIL_FRAMES frames; the first
 * NETWORK_REACH_FRAMES of them differ from the whole window's (the convolutions reach that far in time), the
 * rest are the same to the bit. Streaming needs no more than the rest, so it runs the network on those frames only.
 */
export const TAIL_FRAMES = 40;
export const NETWORK_REACH_FRAMES = 10;

/** Frames two neighbouring windows share; half of them is cut from each side of a window's output. */
export const N_OVERLAPPING_FRAMES = 30;
export const OVERLAP_LENGTH_SAMPLES = N_OVERLAPPING_FRAMES * FFT_HOP;
/** Samples from one window's start to the next one's. */
export const WINDOW_HOP_SAMPLES = AUDIO_N_SAMPLES - OVERLAP_LENGTH_SAMPLES;

/** Lowest pitch the model knows: A0, MIDI 21. */
export const MIDI_OFFSET = 21;
export const ANNOTATIONS_BASE_FREQUENCY = 27.5;
export const ANNOTATIONS_N_SEMITONES = 88;
export const N_FREQ_BINS_NOTES = ANNOTATIONS_N_SEMITONES;
export const CONTOURS_BINS_PER_SEMITONE = 3;
export const N_FREQ_BINS_CONTOURS = ANNOTATIONS_N_SEMITONES * CONTOURS_BINS_PER_SEMITONE;
/** Highest note bin index (C8). */
export const MAX_FREQ_IDX = ANNOTATIONS_N_SEMITONES - 1;

/**
 * Frame-to-time correction for the windows' overlap, as basic-pitch computes it: each window's output
 * runs slightly longer than its hop, and this offset (with its empirical alignment term) pulls it back.
 */
export const MAGIC_ALIGNMENT_OFFSET = 0.0018;
export const WINDOW_OFFSET_SECONDS =
  (FFT_HOP / AUDIO_SAMPLE_RATE) * (ANNOT_N_FRAMES - AUDIO_N_SAMPLES / FFT_HOP) + MAGIC_ALIGNMENT_OFFSET;

/** Note creation defaults (basic-pitch's CLI defaults). */
export const DEFAULT_ONSET_THRESHOLD = 0.5;
export const DEFAULT_FRAME_THRESHOLD = 0.3;
export const DEFAULT_MIN_NOTE_LENGTH_MS = 127.7;
/** Frames a note may stay below the frame threshold before it is ended. */
export const DEFAULT_ENERGY_TOLERANCE = 11;
/** Frames back in time that inferred onsets compare against. */
export const INFERRED_ONSET_FRAME_DIFFS = 2;
export const DEFAULT_MIDI_TEMPO = 120;

/**
 * The model's contour bin for an in-tune note is the middle of the note's three bins, one above
 * 3 × (pitch − 21): pure tones measure exactly one bin sharp otherwise, at every pitch. basic-pitch uses
 * 3 × (pitch − 21) and so writes a steady +1/3 semitone bend on in-tune notes; jam corrects it.
 */
export const CONTOUR_BIN_OF_NOTE_CENTRE = 1;
/** Pitch bends: how far (in contour bins) from the note's bin a bend may reach, and the weighting's width. */
export const PITCH_BEND_BINS_TOLERANCE = 25;
export const PITCH_BEND_GAUSSIAN_STD = 5;

/** The model's output tensors by name, as the tfjs graph names them (the ONNX conversion keeps them). */
export const MODEL_OUTPUT_NAMES = { note: 'Identity_1', onset: 'Identity_2', contour: 'Identity' } as const;
