/** An audio file's format from its first bytes, never its name: a misnamed file still works. */
import { fourCC } from './format.js';

export type AudioFormat =
  'WAV' | 'AIFF' | 'MP3' | 'FLAC' | 'Ogg Vorbis' | 'Opus' | 'Ogg FLAC' | 'M4A' | 'WebM' | 'AAC' | 'CAF' | 'unknown';

/** Bytes `sniff` looks at. */
export const SNIFF_BYTES = 64;

export function sniff(head: Uint8Array): AudioFormat {
  if (head.length < 4) return 'unknown';
  const first = fourCC(head, 0);
  const at8 = head.length >= 12 ? fourCC(head, 8) : '';
  if ((first === 'RIFF' || first === 'RF64' || first === 'BW64') && at8 === 'WAVE') return 'WAV';
  if (first === 'FORM' && (at8 === 'AIFF' || at8 === 'AIFC')) return 'AIFF';
  if (first === 'fLaC') return 'FLAC';
  if (first === 'OggS') return oggCodec(head);
  if (first === 'caff') return 'CAF';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'WebM';
  if (head.length >= 8 && ['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip'].includes(fourCC(head, 4))) return 'M4A';
  if (first.startsWith('ID3')) return 'MP3';
  if (head[0] === 0xff && (head[1] & 0xf6) === 0xf0) return 'AAC'; // ADTS: sync, layer 00
  if (head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) !== 0 && (head[1] & 0x18) !== 0x08)
    return 'MP3';
  return 'unknown';
}

/** The codec of an Ogg stream's first packet. */
function oggCodec(head: Uint8Array): AudioFormat {
  if (head.length < 28) return 'unknown';
  const packet = 27 + head[26];
  const text = (offset: number, length: number) =>
    String.fromCharCode(...head.subarray(packet + offset, packet + offset + length));
  if (text(0, 7) === '\x01vorbis') return 'Ogg Vorbis';
  if (text(0, 8) === 'OpusHead') return 'Opus';
  if (text(0, 5) === '\x7fFLAC') return 'Ogg FLAC';
  return 'unknown';
}
