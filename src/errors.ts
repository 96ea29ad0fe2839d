/**
 * An error the user caused and can fix: the message names the input and what to do.
 * The CLI prints it as one line; anything else is a bug and keeps its stack.
 */
export class JamError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'JamError';
  }
}

/** A bad command line: exit code 2, as for usage errors. */
export function usageError(message: string): JamError {
  return new JamError(message, 2);
}

/** The longest excerpt of a user's input that a message quotes. */
export const EXCERPT_CHARS = 60;

/**
 * A short, printable excerpt of user input for a message, in double quotes: control characters and bytes that are
 * not text are escaped (\n, \x00, \ufffd), and anything past `max` characters is cut to "…". A binary file given
 * where text was expected is thus named in a line, not echoed whole.
 */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const chars = [...text];
  const shown = chars.length > max ? chars.slice(0, max) : chars;
  const escaped = shown
    .map((char) => {
      const code = char.codePointAt(0)!;
      if (char === '"' || char === '\\') return `\\${char}`;
      if (char === '\n') return '\\n';
      if (char === '\r') return '\\r';
      if (char === '\t') return '\\t';
      if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
      if ((code >= 0x80 && code < 0xa0) || code === 0xfffd || (code >= 0xd800 && code < 0xe000))
        return `\\u${code.toString(16).padStart(4, '0')}`;
      return char;
    })
    .join('');
  return `"${escaped}${chars.length > max ? '…' : ''}"`;
}

/** The longest message the CLI prints: past it, the middle is cut (the start names the input, the end says what to do). */
export const MAX_MESSAGE_CHARS = 400;

/** A message as one printable line of bounded length, whatever input it quotes. */
export function oneLineMessage(message: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped here
  const line = message.replace(/[\x00-\x1f\x7f]/g, (char) =>
    char === '\n' ? '\\n' : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  const chars = [...line];
  if (chars.length <= MAX_MESSAGE_CHARS) return line;
  const tail = Math.floor(MAX_MESSAGE_CHARS / 4);
  return `${chars.slice(0, MAX_MESSAGE_CHARS - tail - 1).join('')}…${chars.slice(-tail).join('')}`;
}
