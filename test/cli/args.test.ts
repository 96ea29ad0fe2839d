import { describe, expect, it } from 'vitest';
import { decodeDashedArgs, encodeAfterDoubleDash } from '../../src/cli/args.js';

describe('--', () => {
  it('makes every argument after it a positional, dash or not, and gives each back as typed', () => {
    const encoded = encodeAfterDoubleDash(['transcribe', '-q', '--', '-dash.wav', 'take.wav', '-o']);
    expect(encoded).not.toContain('--');
    expect(encoded.slice(2).every((arg) => !arg.startsWith('-'))).toBe(true);
    const args: Record<string, unknown> = { inputs: encoded.slice(2), quiet: true };
    decodeDashedArgs(args);
    expect(args).toEqual({ inputs: ['-dash.wav', 'take.wav', '-o'], quiet: true });
  });
});
