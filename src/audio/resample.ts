/**
 * Streaming sample-rate conversion: band-limited interpolation with a Kaiser-windowed sinc, fed chunk by
 * chunk so a long recording never has to be in memory at its original rate. Output sample n sits at input
 * position n × inRate / outRate (no delay), and there are ceil(inputLength × outRate / inRate) of them.
 */

/** Zero crossings of the sinc on each side: 12 keeps aliasing far below what the model can hear. */
const ZERO_CROSSINGS = 12;
/** Kaiser window shape: about 80 dB of stop-band attenuation. */
const KAISER_BETA = 8;
/** Pass band as a fraction of the lower Nyquist frequency, leaving room for the transition band. */
const ROLLOFF = 0.94;
/**
 * Halving the rate (44.1 → 22.05 kHz, the common case) cuts off at the lower Nyquist frequency itself: a
 * half-band filter, every other tap of which is zero, so it takes half the multiplications. What it lets alias
 * lands above 9 kHz, far above the model's highest bin (about 4.2 kHz).
 */
const HALF_BAND_ROLLOFF = 1;
/** Most distinct fractional positions given their own kernel; rarer rates share the nearest. */
const MAX_PHASES = 4096;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

interface Kernels {
  /** Taps on each side of the output position. */
  half: number;
  phases: number;
  /** `phases` kernels of `2 × half` taps; kernel p is for the fractional position p / phases. */
  taps: Float32Array;
}

function makeKernels(inRate: number, outRate: number): Kernels {
  const rolloff = inRate === 2 * outRate ? HALF_BAND_ROLLOFF : ROLLOFF;
  const cutoff = 0.5 * Math.min(1, outRate / inRate) * rolloff; // cycles per input sample
  const reach = ZERO_CROSSINGS / (2 * cutoff); // input samples on each side
  const half = Math.ceil(reach);
  const phases = Math.min(MAX_PHASES, outRate / greatestCommonDivisor(inRate, outRate));
  const width = 2 * half;
  const taps = new Float32Array(phases * width);
  const norm = besselI0(KAISER_BETA);
  for (let p = 0; p < phases; p++) {
    const fraction = p / phases;
    let sum = 0;
    for (let j = 0; j < width; j++) {
      const distance = j - half + 1 - fraction;
      const x = 2 * cutoff * distance;
      // The sinc's zero crossings exactly zero (Math.sin(π·k) is not), which the half-band loop relies on.
      const sinc = x === 0 ? 1 : Number.isInteger(x) ? 0 : Math.sin(Math.PI * x) / (Math.PI * x);
      const ratio = distance / reach;
      const window = Math.abs(ratio) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - ratio * ratio)) / norm;
      taps[p * width + j] = sinc * window;
      sum += sinc * window;
    }
    // Unity gain at DC for every phase, so a constant stays constant.
    for (let j = 0; j < width; j++) taps[p * width + j] /= sum;
  }
  return { half, phases, taps };
}

export class Resampler {
  private readonly kernels: Kernels;
  /** Input samples kept, starting at absolute input index `bufferStart`. */
  private buffer = new Float32Array(0);
  /** Memory behind `buffer`, which is its start. */
  private storage = new Float32Array(0);
  private bufferStart = 0;
  private received = 0;
  /** Index of the next output sample. */
  private produced = 0;

  constructor(
    private readonly inRate: number,
    private readonly outRate: number,
  ) {
    this.kernels = makeKernels(inRate, outRate);
  }

  /** Output samples for `inputLength` input samples. */
  static outputLength(inputLength: number, inRate: number, outRate: number): number {
    return Math.ceil((inputLength * outRate) / inRate);
  }

  /** Adds input and returns every output sample whose kernel is now complete. */
  push(input: Float32Array): Float32Array {
    this.append(input);
    return this.produce(this.received);
  }

  /** Returns the remaining output samples, treating the input as silent after its end. */
  end(): Float32Array {
    const total = Resampler.outputLength(this.received, this.inRate, this.outRate);
    this.append(new Float32Array(2 * this.kernels.half + 1));
    return this.produce(Infinity, total);
  }

  private append(input: Float32Array): void {
    const keepFrom = Math.max(0, this.firstInputNeeded(this.produced) - this.bufferStart);
    const keptLength = this.buffer.length - keepFrom;
    const length = keptLength + input.length;
    // The storage is reused while it is large enough: a stream of blocks then leaves no garbage here.
    if (length > this.storage.length) {
      const storage = new Float32Array(Math.max(length, 2 * this.storage.length));
      storage.set(this.buffer.subarray(keepFrom));
      this.storage = storage;
    } else this.storage.copyWithin(0, keepFrom, this.buffer.length);
    this.storage.set(input, keptLength);
    this.buffer = this.storage.subarray(0, length);
    this.bufferStart += keepFrom;
    this.received += input.length;
  }

  private firstInputNeeded(outputIndex: number): number {
    return Math.max(0, Math.floor((outputIndex * this.inRate) / this.outRate) - this.kernels.half + 1);
  }

  /** Output samples up to `limit` (exclusive) whose last tap is below input index `available`. */
  private produce(available: number, limit = Infinity): Float32Array {
    const { half, phases, taps } = this.kernels;
    const width = 2 * half;
    const ready = Math.min(available, this.bufferStart + this.buffer.length) - half;
    const last = Math.min(limit, Math.ceil((ready * this.outRate) / this.inRate) + 1);
    const out = new Float32Array(Math.max(0, last - this.produced));
    const buffer = this.buffer;
    const bufferStart = this.bufferStart;
    const inRate = this.inRate;
    const outRate = this.outRate;
    const halfBand = inRate === 2 * outRate;
    let count = 0;
    for (let n = this.produced; n < last; n++) {
      const position = (n * inRate) / outRate;
      let base = Math.floor(position);
      let phase = Math.round((position - base) * phases);
      if (phase === phases) {
        base += 1;
        phase = 0;
      }
      if (base + half > ready) break;
      const first = base - half + 1 - bufferStart;
      if (halfBand && first >= 0) break;
      const kernel = phase * width;
      let sum = 0;
      for (let j = first < 0 ? -first : 0; j < width; j++) sum += buffer[first + j] * taps[kernel + j];
      out[count++] = sum;
    }
    if (halfBand)
      count += halveRate(buffer, taps, out, count, 2 * (this.produced + count) - bufferStart, ready - bufferStart);
    this.produced += count;
    return out.subarray(0, count);
  }
}

/**
 * Fills `out` from index `from` with outputs centred on input `centre`, `centre + 2`, … while their last tap
 * stays within `ready`, by the half-band kernel `taps` (centre at half − 1, zero at even distances from it):
 * only the odd distances are multiplied, each once for the sum of its two mirrored samples.
 */
function halveRate(
  input: Float32Array,
  taps: Float32Array,
  out: Float32Array,
  from: number,
  centre: number,
  ready: number,
): number {
  const half = taps.length / 2;
  const middle = half - 1;
  let n = from;
  for (let at = centre; n < out.length && at + half <= ready; at += 2, n++) {
    let sum = input[at] * taps[middle];
    for (let k = 1; k <= middle; k += 2) sum += (input[at - k] + input[at + k]) * taps[middle + k];
    out[n] = sum;
  }
  return n - from;
}

/** Resamples a whole signal at once. */
export function resample(input: Float32Array, inRate: number, outRate: number): Float32Array {
  if (inRate === outRate) return input.slice();
  const resampler = new Resampler(inRate, outRate);
  const head = resampler.push(input);
  const tail = resampler.end();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
