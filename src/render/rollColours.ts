/** Velocity as colour: the ramp's gradient for the legend, a note's fill, and its darker outline. */
import { MAX_VELOCITY } from '../notes.js';
import { clamp } from './rollLayout.js';
import { OUTLINE_SHADE, VELOCITY_RAMP } from './rollStyle.js';
import { element } from './svgElements.js';

/** Velocity 1–127 → a colour on the ramp, as #rrggbb. */
export function velocityColour(velocity: number): string {
  const at = (clamp(velocity, 1, MAX_VELOCITY) - 1) / (MAX_VELOCITY - 1);
  const upper = VELOCITY_RAMP.findIndex((stop) => stop.at >= at);
  if (upper <= 0) return hex(VELOCITY_RAMP[0].rgb);
  const below = VELOCITY_RAMP[upper - 1];
  const above = VELOCITY_RAMP[upper];
  const mix = (at - below.at) / (above.at - below.at);
  return hex(below.rgb.map((channel, i) => channel + (above.rgb[i] - channel) * mix) as [number, number, number]);
}

/** The whole ramp as a gradient the legend fills with (`url(#velocity-ramp)`). */
export function velocityGradient(): string {
  const stops = VELOCITY_RAMP.map(({ at, rgb }) => `<stop offset="${at}" stop-color="${hex(rgb)}"/>`);
  return element(
    'defs',
    {},
    `<linearGradient id="velocity-ramp" x1="0" x2="1" y1="0" y2="0">${stops.join('')}</linearGradient>`,
  );
}

export function shade(colour: string): string {
  const rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16) * OUTLINE_SHADE);
  return hex(rgb);
}

function hex(rgb: readonly number[]): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}
