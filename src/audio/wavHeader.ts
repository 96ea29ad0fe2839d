/**
 * A WAV file whose data chunk is shorter than its header says was cut off in a copy or a crashed
 * recording; decoders play what is there without a word, so jam checks for it and says so.
 */
import { JamError } from '../errors.js';

const RIFF_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
/** Streaming writers put these in the data size when they do not know it yet. */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);

function fourCC(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

/**
 * Throws when a RIFF/WAVE file's data chunk runs past the end of the file. `bytes` is the file, or its
 * first bytes with `fileSize` the whole file's size.
 */
export function checkWavIsWhole(bytes: Uint8Array, name: string, fileSize = bytes.length): void {
  if (bytes.length < RIFF_HEADER_BYTES || fourCC(bytes, 0) !== 'RIFF' || fourCC(bytes, 8) !== 'WAVE') return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = RIFF_HEADER_BYTES;
  while (offset + CHUNK_HEADER_BYTES <= bytes.length) {
    const id = fourCC(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const available = fileSize - offset - CHUNK_HEADER_BYTES;
    if (id === 'data') {
      if (!UNKNOWN_SIZES.has(size) && size > available) {
        throw new JamError(
          `${name}: the file is truncated (its header promises ${size} bytes of audio, ${available} are there); export or copy it again`,
        );
      }
      return;
    }
    // Chunks are padded to an even size.
    offset += CHUNK_HEADER_BYTES + size + (size % 2);
  }
  if (bytes.length < fileSize) return; // the data chunk lies beyond the bytes read: the stream reader checks it
  throw new JamError(`${name}: the WAV file has no audio data (no data chunk); export it again`);
}
