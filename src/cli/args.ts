/** yargs-parser drops a lone "-" (standard input/output), so it travels through parsing as this. */
export const STDIO_ARG = 'jam:stdio';

/** The argument as the user wrote it: "-" for standard input or output. */
export function userArg(value: string): string {
  return value === STDIO_ARG ? '-' : value;
}

/**
 * yargs keeps what follows `--` out of the commands' positionals, so an argument after it that starts with a dash
 * (`jam transcribe -- -take.wav`) travels through parsing with this prefix, and loses it before the command runs.
 */
export const DASHED_ARG = 'jam:dashed:';

/** The command line with `--` honoured: every argument after it is a positional, whatever it starts with. */
export function encodeAfterDoubleDash(argv: string[]): string[] {
  const end = argv.indexOf('--');
  if (end < 0) return argv;
  return [
    ...argv.slice(0, end),
    ...argv.slice(end + 1).map((arg) => (arg.startsWith('-') && arg !== '-' ? `${DASHED_ARG}${arg}` : arg)),
  ];
}

/** Parsed arguments with the prefix of DASHED_ARG taken off again (in place). */
export function decodeDashedArgs(args: Record<string, unknown>): void {
  const decode = (value: unknown): unknown =>
    typeof value === 'string' && value.startsWith(DASHED_ARG)
      ? value.slice(DASHED_ARG.length)
      : Array.isArray(value)
        ? value.map(decode)
        : value;
  for (const key of Object.keys(args)) args[key] = decode(args[key]);
}
