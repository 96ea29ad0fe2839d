/**
 * Tools from Debian that some tests need (sox, ffmpeg, mir_eval, numpy, fonts). A test that needs one fails with the
 * command that installs it: CI installs them all, so a missing tool is a broken set-up, not a reason to skip.
 */
import { expect } from 'vitest';

export function requireTool(available: boolean, what: string, debianPackage: string): void {
  expect(available, `${what} is missing: apt-get install ${debianPackage}`).toBe(true);
}
