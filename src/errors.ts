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
