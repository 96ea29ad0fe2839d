import { describe, expect, it } from 'vitest';
import { excerpt, MAX_MESSAGE_CHARS, oneLineMessage } from '../src/errors.js';

describe('quoting user input in messages', () => {
  it('quotes a short escaped excerpt: control bytes escaped, long text cut with …', () => {
    expect(excerpt('C major')).toBe('"C major"');
    expect(excerpt('RIFF\u0000\u0001\n"x"')).toBe('"RIFF\\x00\\x01\\n\\"x\\""');
    const long = excerpt('x'.repeat(100_000));
    expect(long.length).toBeLessThan(70);
    expect(long.endsWith('…"')).toBe(true);
  });

  it('a message printed by the CLI is one line of bounded length, keeping its start and its advice', () => {
    const message = oneLineMessage(`take.wav: ${'\u0000'.repeat(5000)}\nmore; give a MIDI file`);
    expect(message.includes('\n') || message.includes('\u0000')).toBe(false);
    expect([...message].length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(message.startsWith('take.wav: ')).toBe(true);
    expect(message.endsWith('give a MIDI file')).toBe(true);
  });
});
