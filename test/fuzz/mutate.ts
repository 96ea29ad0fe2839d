/**
 * Structure-aware mutations for the fuzz suite: a seeded generator (src/random.ts), byte mutations that know where
 * binary formats keep their lengths and times (chunk sizes, variable-length delta times, header fields), and text
 * mutations that know tokens, lines and numbers. Every choice comes from the generator, so a seed repeats a case.
 */
import { seededRandom } from '../../src/random.js';

export class Fuzz {
  readonly random: () => number;
  constructor(readonly seed: number) {
    this.random = seededRandom(seed);
  }
  int(below: number): number {
    return Math.floor(this.random() * below);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
}

/** 32-bit values that break length and size arithmetic. */
export const INTERESTING_32 = [
  0, 1, 2, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
];
export const INTERESTING_16 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff];
export const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xfe, 0xff];

/** Generic byte mutations: flips, interesting values, inserts, deletes, duplicated ranges, truncation. */
export function mutateBytes(fuzz: Fuzz, input: Uint8Array, rounds = 1 + fuzz.int(4)): Uint8Array {
  let bytes = Uint8Array.from(input);
  for (let round = 0; round < rounds; round++) {
    const at = bytes.length === 0 ? 0 : fuzz.int(bytes.length);
    switch (fuzz.int(8)) {
      case 0:
        if (bytes.length > 0) bytes[at] ^= 1 << fuzz.int(8);
        break;
      case 1:
        if (bytes.length > 0) bytes[at] = fuzz.pick(INTERESTING_8);
        break;
      case 2:
        if (bytes.length > 0) bytes[at] = fuzz.int(256);
        break;
      case 3: {
        const insert = Uint8Array.from({ length: 1 + fuzz.int(16) }, () => fuzz.int(256));
        bytes = concat(bytes.subarray(0, at), insert, bytes.subarray(at));
        break;
      }
      case 4:
        bytes = concat(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + fuzz.int(32))));
        break;
      case 5: {
        const end = Math.min(bytes.length, at + 1 + fuzz.int(64));
        bytes = concat(bytes.subarray(0, end), bytes.subarray(at, end), bytes.subarray(end));
        break;
      }
      case 6:
        bytes = bytes.subarray(0, fuzz.int(bytes.length + 1));
        break;
      default:
        if (bytes.length >= 4) {
          const offset = fuzz.int(bytes.length - 3);
          new DataView(bytes.buffer, bytes.byteOffset).setUint32(offset, fuzz.pick(INTERESTING_32), fuzz.chance(0.5));
        }
    }
  }
  return bytes;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Offsets of a RIFF or SMF file's chunk size fields (after each 4-character id). */
function chunkSizeOffsets(bytes: Uint8Array, start: number, littleEndian: boolean): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets: number[] = [];
  for (let offset = start; offset + 8 <= bytes.length && offsets.length < 64;) {
    offsets.push(offset + 4);
    const size = view.getUint32(offset + 4, littleEndian);
    offset += 8 + size + (littleEndian ? size % 2 : 0);
  }
  return offsets;
}

/** WAV mutations: the RIFF size, a chunk's size, and the fmt fields (channels, rate, bits, block align) set to extremes. */
export function mutateWav(fuzz: Fuzz, wav: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(wav);
  const view = new DataView(bytes.buffer);
  const rounds = 1 + fuzz.int(3);
  for (let round = 0; round < rounds; round++) {
    switch (fuzz.int(5)) {
      case 0:
        if (bytes.length >= 8) view.setUint32(4, fuzz.pick(INTERESTING_32), true);
        break;
      case 1: {
        const sizes = chunkSizeOffsets(bytes, 12, true);
        if (sizes.length > 0) view.setUint32(fuzz.pick(sizes), fuzz.pick(INTERESTING_32), true);
        break;
      }
      case 2: {
        // fmt fields of the canonical 44-byte header: tag 20, channels 22, rate 24, byte rate 28, align 32, bits 34.
        const field = fuzz.pick([20, 22, 32, 34]);
        if (bytes.length >= field + 2) view.setUint16(field, fuzz.pick(INTERESTING_16), true);
        break;
      }
      case 3:
        if (bytes.length >= 32) view.setUint32(fuzz.pick([24, 28]), fuzz.pick(INTERESTING_32), true);
        break;
      default:
        return mutateBytes(fuzz, bytes);
    }
  }
  return bytes;
}

/** SMF mutations: header fields (format, tracks, division), track lengths, and delta times made maximal. */
export function mutateSmf(fuzz: Fuzz, smf: Uint8Array): Uint8Array {
  let bytes = Uint8Array.from(smf);
  const rounds = 1 + fuzz.int(3);
  for (let round = 0; round < rounds; round++) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    switch (fuzz.int(6)) {
      case 0:
        if (bytes.length >= 14) view.setUint16(fuzz.pick([8, 10, 12]), fuzz.pick(INTERESTING_16));
        break;
      case 1: {
        const sizes = chunkSizeOffsets(bytes, 0, false);
        if (sizes.length > 0) view.setUint32(fuzz.pick(sizes), fuzz.pick(INTERESTING_32));
        break;
      }
      case 2: {
        // A maximal variable-length delta time (0x0FFFFFFF ticks) before an event somewhere in a track.
        const at = 22 + fuzz.int(Math.max(1, bytes.length - 22));
        bytes = concat(bytes.subarray(0, at), Uint8Array.of(0xff, 0xff, 0xff, 0x7f), bytes.subarray(at));
        fixTrackLength(bytes);
        break;
      }
      case 3: {
        // A tempo meta event with an extreme tempo at the start of the first track.
        const tempo = fuzz.pick([0, 1, 0xffffff, 500000]);
        const event = Uint8Array.of(0x00, 0xff, 0x51, 0x03, tempo >> 16, (tempo >> 8) & 0xff, tempo & 0xff);
        if (bytes.length >= 22) {
          bytes = concat(bytes.subarray(0, 22), event, bytes.subarray(22));
          fixTrackLength(bytes);
        }
        break;
      }
      case 4:
        // A stray status or running-status byte.
        if (bytes.length > 22)
          bytes[22 + fuzz.int(bytes.length - 22)] = fuzz.pick([0x80, 0x90, 0xf0, 0xf7, 0xff, 0x00]);
        break;
      default:
        bytes = mutateBytes(fuzz, bytes);
    }
  }
  return bytes;
}

/** After an insertion into the first track, its length field counts the whole rest of the file (still whole). */
function fixTrackLength(bytes: Uint8Array): void {
  if (bytes.length < 22) return;
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(18, bytes.length - 22);
}

const WEIRD_TEXT = [
  '',
  '\u0000',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '-',
  '-1',
  '0',
  '1e308',
  '-1e308',
  'NaN',
  'Infinity',
  '1e-320',
  '99999999999999999999',
  '\ufffd',
  '\ud800',
  '😀',
  '"',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  'null',
  'true',
  '#',
  '/',
  'x'.repeat(300),
];

/** Text mutations by token: replace, delete, duplicate or insert a token, a weird token, or a byte-level change. */
export function mutateText(fuzz: Fuzz, text: string, extraTokens: readonly string[] = []): string {
  let tokens = text.split(/(\s+|[{}[\]:,"])/).filter((token) => token !== '');
  const rounds = 1 + fuzz.int(4);
  for (let round = 0; round < rounds; round++) {
    const at = fuzz.int(tokens.length + 1);
    const token = (): string =>
      fuzz.chance(0.5) || extraTokens.length === 0 ? fuzz.pick(WEIRD_TEXT) : fuzz.pick(extraTokens);
    switch (fuzz.int(7)) {
      case 0:
        tokens[at] = token();
        break;
      case 1:
        tokens.splice(at, 1);
        break;
      case 2:
        tokens.splice(at, 0, token());
        break;
      case 3:
        tokens.splice(at, 0, ...tokens.slice(at, at + 1 + fuzz.int(8)));
        break;
      case 4: {
        // A number made extreme.
        const numbers = tokens.flatMap((t, i) => (/^-?\d/.test(t) ? [i] : []));
        if (numbers.length > 0)
          tokens[fuzz.pick(numbers)] = fuzz.pick(['-1', '0', '1e308', '-0', '1e-9', 'NaN', '2e9']);
        break;
      }
      case 5:
        tokens = tokens.slice(0, fuzz.int(tokens.length + 1));
        break;
      default: {
        const joined = tokens.join('');
        const cut = fuzz.int(joined.length + 1);
        tokens = [joined.slice(0, cut), String.fromCharCode(fuzz.int(0x80)), joined.slice(cut)];
      }
    }
  }
  return tokens.join('');
}
