/** Channels → mono, and the edge's guard against samples no recording has. */

/**
 * Averages the channels into a new array. Always a copy: a decoder's channel data may live in memory it reuses
 * (WebAssembly's heap, node-web-audio-api's buffers), so a view of it would turn to garbage later.
 */
export function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0].slice();
  const mono = new Float32Array(channels[0].length);
  // Stereo, the common case, in one pass: a float sum rounded from a double is the float sum.
  if (channels.length === 2) {
    const [left, right] = channels;
    for (let i = 0; i < mono.length; i++) mono[i] = (left[i] + right[i]) / 2;
    return mono;
  }
  for (const channel of channels) for (let i = 0; i < mono.length; i++) mono[i] += channel[i];
  for (let i = 0; i < mono.length; i++) mono[i] /= channels.length;
  return mono;
}

/**
 * The same average, written over the first channel (the caller owns the arrays: a decoder's copies of its output),
 * so a stream of blocks leaves half the garbage.
 */
export function downmixInPlace(channels: Float32Array[]): Float32Array {
  const mono = channels[0];
  if (channels.length === 1) return mono;
  if (channels.length === 2) {
    const right = channels[1];
    for (let i = 0; i < mono.length; i++) mono[i] = (mono[i] + right[i]) / 2;
    return mono;
  }
  // As downmix does it: the sum from 0, then divided.
  const sum = new Float32Array(mono.length);
  for (const channel of channels) for (let i = 0; i < sum.length; i++) sum[i] += channel[i];
  for (let i = 0; i < sum.length; i++) sum[i] /= channels.length;
  return sum;
}

/**
 * Samples beyond this level (60 dB over full scale) are not sound but damage: a float file's garbage, a stray
 * 1e30. Float audio may go a little over 1; nothing recorded goes this far.
 */
export const ABSURD_LEVEL = 1000;

/**
 * Replaces NaN, ±Infinity and absurdly loud samples by silence, in place; how many there were. One such sample
 * would otherwise spread through the resampler and the model and silence everything after it.
 */
export function sanitize(samples: Float32Array): number {
  let bad = 0;
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i];
    // Written so that NaN fails the test: NaN compares false with everything.
    if (!(sample <= ABSURD_LEVEL && sample >= -ABSURD_LEVEL)) {
      samples[i] = 0;
      bad++;
    }
  }
  return bad;
}

/** The warning for samples `sanitize` replaced. */
export function sanitizedWarning(name: string, count: number): string {
  return `${name}: ${count} sample${count === 1 ? '' : 's'} not a number, infinite or absurdly loud (over ${ABSURD_LEVEL}× full scale) replaced by silence; the file is damaged`;
}
