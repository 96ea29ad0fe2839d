/**
 * Whether a Standard MIDI File is all there. @tonejs/midi reads a file cut short without complaint and
 * returns the notes before the cut, so a picture or an analysis would quietly miss the rest: the chunk
 * lengths in the file say how long it should be.
 */
import { JamError } from '../errors.js';
import { CHUNK_HEADER_BYTES, HEADER_CHUNK, TRACK_CHUNK } from './constants.js';

/** The header chunk's data: format, track count, time division (16 bits each). */
const HEADER_DATA_BYTES = 6;
const TRACK_COUNT_OFFSET = 2;

/** Throws a JamError naming `name` when a chunk runs past the end or tracks the header counts are missing. */
export function checkMidiIsWhole(bytes: Uint8Array, name: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkType = (offset: number): string => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < CHUNK_HEADER_BYTES || chunkType(0) !== HEADER_CHUNK) {
    throw new JamError(
      `${name}: not a MIDI file (it does not start with "${HEADER_CHUNK}"); give a Standard MIDI File`,
    );
  }
  const headerLength = view.getUint32(4);
  if (headerLength < HEADER_DATA_BYTES) {
    throw new JamError(
      `${name}: not a readable MIDI file ` +
        `(its header chunk has ${headerLength} bytes, not ${HEADER_DATA_BYTES}); check the file`,
    );
  }
  if (CHUNK_HEADER_BYTES + headerLength > bytes.length) {
    throw truncated(
      name,
      `its header chunk promises ${headerLength} bytes, ${Math.max(0, bytes.length - CHUNK_HEADER_BYTES)} are there`,
    );
  }
  const tracksPromised = view.getUint16(CHUNK_HEADER_BYTES + TRACK_COUNT_OFFSET);
  let tracks = 0;
  let offset = CHUNK_HEADER_BYTES + headerLength;
  // Bytes after the last track are ignored, as players do: some tools pad files.
  while (tracks < tracksPromised) {
    if (offset + CHUNK_HEADER_BYTES > bytes.length)
      throw truncated(name, `its header promises ${tracksPromised} tracks, ${tracks} are there`);
    const length = view.getUint32(offset + 4);
    const available = bytes.length - offset - CHUNK_HEADER_BYTES;
    const isTrack = chunkType(offset) === TRACK_CHUNK;
    if (length > available)
      throw truncated(
        name,
        `${isTrack ? `track ${tracks + 1}` : 'a chunk'} promises ${length} bytes, ${available} are there`,
      );
    if (isTrack) tracks++;
    offset += CHUNK_HEADER_BYTES + length;
  }
}

function truncated(name: string, detail: string): JamError {
  return new JamError(`${name}: the MIDI file is truncated (${detail}); export or copy it again`);
}
