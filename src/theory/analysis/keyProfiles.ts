/**
 * Key profiles: how strongly each of the 12 pitch classes, counted up from the tonic, belongs to a major
 * and to a minor key. The numbers are as published; key finding correlates them with a piece's pitch-class
 * weights, so their scale does not matter.
 */
import type { ProfileName } from './types.js';

export interface KeyProfile {
  major: readonly number[];
  minor: readonly number[];
  source: string;
}

export const KEY_PROFILES: Readonly<Record<ProfileName, KeyProfile>> = {
  'krumhansl-kessler': {
    major: [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
    minor: [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17],
    source: 'Krumhansl & Kessler (1982), probe-tone ratings',
  },
  temperley: {
    major: [0.748, 0.06, 0.488, 0.082, 0.67, 0.46, 0.096, 0.715, 0.104, 0.366, 0.057, 0.4],
    minor: [0.712, 0.084, 0.474, 0.618, 0.049, 0.46, 0.105, 0.747, 0.404, 0.067, 0.133, 0.33],
    source: 'Temperley (2007), Music and Probability: the Kostka–Payne corpus',
  },
  'temperley-de-clercq': {
    major: [0.231, 0.002, 0.091, 0.004, 0.149, 0.111, 0.004, 0.193, 0.004, 0.126, 0.011, 0.076],
    minor: [0.202, 0.006, 0.102, 0.127, 0.047, 0.113, 0.005, 0.177, 0.046, 0.051, 0.09, 0.034],
    source:
      'Temperley & de Clercq (2013), J. New Music Research 42(3): chord tones of the rock corpus, as Vuvan & Hughes (2021) report them',
  },
  'albrecht-shanahan': {
    major: [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.08, 0.008, 0.081],
    minor: [0.22, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052],
    source: 'Albrecht & Shanahan (2013), Music Perception 31(1)',
  },
};

export const PROFILE_NAMES = Object.keys(KEY_PROFILES) as ProfileName[];

/**
 * The profile jam uses unless told otherwise: the one that measured best on jam's test material. Its minor keys
 * have the flat seventh of pop and rock (Am G F G is A minor) where the classical profiles expect a leading tone.
 */
export const DEFAULT_PROFILE: ProfileName = 'temperley-de-clercq';
