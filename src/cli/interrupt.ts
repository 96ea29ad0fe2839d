/**
 * Ctrl-C and SIGTERM (and a reader of standard output that goes away). Most commands just exit (130, 143: 128 + the
 * signal's number). A command with something to put right first (live notes sounding on a synth, a file to finish)
 * asks for a stop signal: the first Ctrl-C aborts it and the command exits after cleaning up, with the same code; a
 * second Ctrl-C exits at once.
 */
import { abandonedReads } from '../files.js';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

let stopper: AbortController | undefined;

export function handleSignals(): void {
  for (const [name, code] of Object.entries(EXIT_CODES)) process.on(name, () => stopOrExit(code, name));
}

/**
 * Stops the command that asked for a stop signal, to exit with `code` once it has cleaned up; or exits now. The
 * abort reason is an AbortError whose message is `reason` (SIGINT, SIGTERM, EPIPE), as timers and streams expect.
 */
export function stopOrExit(code: number, reason: string): void {
  if (!stopper || stopper.signal.aborted) return exitNow(code, reason);
  process.exitCode = code;
  stopper.abort(new DOMException(reason, 'AbortError'));
}

/** A signal that Ctrl-C or SIGTERM aborts, for a command that cleans up before it exits. */
export function stopSignal(): AbortSignal {
  stopper = new AbortController();
  return stopper.signal;
}

/**
 * Ends a command that was stopped once its cleaning up is done: what it reads or listens to (standard input, an
 * input port) would otherwise keep the process alive.
 */
export function exitIfStopped(signal: AbortSignal): void {
  if (signal.aborted) exitNow(process.exitCode, (signal.reason as Error | undefined)?.message ?? '');
}

/**
 * Exits with `code`. A read still blocked in the thread pool (a silent FIFO) would hold process.exit back for ever:
 * then, once the exit handlers have removed the temporaries, the process ends by the signal that stopped it.
 */
function exitNow(code: number | string | undefined, reason: string): void {
  if (abandonedReads() > 0 && (reason === 'SIGINT' || reason === 'SIGTERM')) {
    process.emit('exit', Number(code ?? 0));
    process.removeAllListeners(reason);
    process.kill(process.pid, reason);
    return;
  }
  process.exit(code);
}
