/**
 * How the CLI talks: results on stdout (for people on a terminal, for programs when piped), warnings and
 * errors as one `jam:` line on stderr, a stack trace only with --debug.
 */
import { JamError, oneLineMessage } from '../errors.js';

export interface Voice {
  quiet: boolean;
  debug: boolean;
}

export function warn(message: string): void {
  process.stderr.write(`jam: warning: ${oneLineMessage(message)}\n`);
}

/** Prints an error the way the user should see it and returns the exit code it calls for. */
export function reportError(error: unknown, debug: boolean): number {
  if (error instanceof JamError) {
    process.stderr.write(`jam: ${oneLineMessage(error.message)}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `jam: unexpected error: ${oneLineMessage(message)}${debug ? '' : ' (run again with --debug for details)'}\n`,
  );
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return 1;
}
