/** yargs-parser drops a lone "-" (standard input/output), so it travels through parsing as this. */
export const STDIO_ARG = 'jam:stdio';

/** The argument as the user wrote it: "-" for standard input or output. */
export function userArg(value: string): string {
  return value === STDIO_ARG ? '-' : value;
}
