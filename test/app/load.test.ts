import { describe, expect, it } from 'vitest';
import { MAX_PIECE_SECONDS, pieceFromBytes } from '../../src/app/load.js';
import { notesToMidiBytes } from '../../src/midi/write.js';

describe('pieces sized by their claimed times', () => {
  it('refuses note JSON whose notes run past the longest piece, before any beat grid or chroma is made', async () => {
    const notes = [{ pitch: 60, start: 1e9, end: 1e9 + 1, velocity: 80 }];
    await expect(pieceFromBytes(Buffer.from(JSON.stringify(notes)), 'far.json')).rejects.toThrow(
      /far\.json: its notes run on .* hours, past the 6 hours jam analyses/,
    );
  });

  it('reads a MIDI file up to the longest piece', async () => {
    const bytes = notesToMidiBytes([
      { pitch: 60, start: MAX_PIECE_SECONDS - 10, end: MAX_PIECE_SECONDS - 9, velocity: 80 },
    ]);
    const piece = await pieceFromBytes(bytes, 'long.mid');
    expect(piece.duration).toBeCloseTo(MAX_PIECE_SECONDS - 9, 0);
  });
});
