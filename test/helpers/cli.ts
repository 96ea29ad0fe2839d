/**
 * Runs the real `jam` command line (bin/jam.js over the compiled dist/) in a child process, the way a
 * user or a pipeline would, and collects what it printed.
 */
import { expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const JAM = join(ROOT, 'bin', 'jam.js');
export const FIXTURES = join(ROOT, 'fixtures');

export interface JamRun {
  /** Exit code; null when a signal ended the process. */
  code: number | null;
  stdout: string;
  /** Standard output as bytes, for binary output such as `-o -`. */
  stdoutBytes: Buffer;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** Piped to standard input; without it standard input is empty (/dev/null-like, not a TTY). */
  input?: Buffer | string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the child is killed. */
  timeout?: number;
}

export function runJam(args: string[], { cwd, input, env, timeout = 60_000 }: RunOptions): Promise<JamRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JAM, ...args], {
      cwd,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(err).toString('utf8') });
    });
    // The child may exit before reading its input (e.g. a usage error): that is not a test failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** Every file below `folder`, as paths relative to it, sorted (folders themselves are not listed). */
export function listFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const files: string[] = [];
  // Entries' own types, not a stat each: a temporary file may vanish between the listing and a stat.
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(relative(folder, full));
    }
  };
  walk(folder);
  return files.sort();
}

/** The compiled sources that are older than their TypeScript, so the CLI under test is not the code in src/. */
export function staleDistFiles(): string[] {
  const stale: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) {
        const compiled = join(ROOT, 'dist', relative(join(ROOT, 'src'), full)).replace(/\.ts$/, '.js');
        if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(full).mtimeMs)
          stale.push(relative(ROOT, full));
      }
    }
  };
  walk(join(ROOT, 'src'));
  return stale;
}

/** A line of a stack trace: users see one only with --debug. */
export const STACK_LINE = /^\s+at /m;

export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** The run failed with `code` and one `jam:` line on stderr naming `name` and matching `hint`; nothing on stdout, no stack. */
export function expectOneLineError(run: JamRun, code: number, name: string, hint: RegExp): void {
  const stderr = lines(run.stderr);
  expect(run.code, run.stderr).toBe(code);
  expect(stderr, run.stderr).toHaveLength(1);
  expect(stderr[0]).toMatch(/^jam: /);
  expect(stderr[0]).toContain(name);
  expect(stderr[0]).toMatch(hint);
  expect(run.stderr).not.toMatch(STACK_LINE);
  expect(run.stdout).toBe('');
}

/** These tests run the compiled CLI: fail at once when dist/ is missing, and warn when it is older than src/. */
export function checkCompiledCli(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` before these tests');
  const stale = staleDistFiles();
  if (stale.length > 0)
    console.warn(
      `dist/ is older than ${stale.join(', ')}: these tests run the compiled CLI; rebuild with \`npx tsc -p tsconfig.json\``,
    );
}

/**
 * Lends a test its own workspace folder (so tests can run concurrently) and removes it afterwards; no `.partial` file
 * may be left behind in it.
 */
export async function lendWorkspace<W extends { path: string }>(
  work: W,
  use: (work: W) => Promise<void>,
): Promise<void> {
  try {
    await use(work);
    expect(
      listFiles(work.path).filter((file) => file.endsWith('.partial')),
      'temporary files left behind',
    ).toEqual([]);
  } finally {
    rmSync(work.path, { recursive: true, force: true });
  }
}
