/**
 * What a hostile user tried (issue 20), through the real command line: special files as outputs, a folder as
 * output, `--`, tiny files that claim huge times, endless inputs and signals, binary files where text belongs,
 * unknown subcommands, bad keys, read-only file systems and an unwritable HOME. Each ends in a one-line `jam:` error
 * with the right exit code, or does what a Unix user expects.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCompiledCli, expectOneLineError, FIXTURES, JAM, lines, runJam, STACK_LINE } from '../helpers/cli.js';

let folder: string;
beforeAll(() => {
  checkCompiledCli();
  folder = mkdtempSync(join(tmpdir(), 'jam-hostile-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let count = 0;
function fresh(): string {
  const cwd = join(folder, `case-${++count}`);
  mkdirSync(cwd);
  return cwd;
}

/** A 86-byte MIDI file of eight maximal delta times (0x0FFFFFFF ticks each at 1 tick a beat): centuries of music. */
function hugeTimesMidi(): Buffer {
  const big = [0xff, 0xff, 0xff, 0x7f];
  const track = [0x00, 0x90, 0x3c, 0x40];
  for (let i = 0; i < 7; i++) track.push(...big, 0x90, 0x3e, 0x40);
  track.push(...big, 0x80, 0x3c, 0x00, 0x00, 0xff, 0x2f, 0x00);
  const header = Buffer.from([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0, 1]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(track.length);
  return Buffer.concat([header, Buffer.from('MTrk'), length, Buffer.from(track)]);
}

describe('outputs that are devices, FIFOs or folders', () => {
  it('-o /dev/null is written into and stays a character device, with no --force needed', async () => {
    const run = await runJam(['progression', 'I IV V I', '-o', '/dev/null'], { cwd: fresh() });
    expect(run.code, run.stderr).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('-o /dev/stdout writes the MIDI file to standard output', async () => {
    const run = await runJam(['progression', 'I IV V I', '-o', '/dev/stdout'], { cwd: fresh() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdoutBytes.subarray(0, 4).toString()).toBe('MThd');
  });

  it.runIf(process.platform === 'linux')(
    '--annotate into a FIFO: the reader gets the file, the FIFO stays',
    async () => {
      const cwd = fresh();
      execFileSync('mkfifo', [join(cwd, 'out.mid')]);
      const reader = spawn('cat', [join(cwd, 'out.mid')]);
      const bytes: Buffer[] = [];
      reader.stdout.on('data', (chunk: Buffer) => bytes.push(chunk));
      const read = new Promise((resolve) => reader.on('close', resolve));
      const run = await runJam(['analyze', join(FIXTURES, 'scale.mid'), '--annotate', 'out.mid', '-q'], { cwd });
      await read;
      expect(run.code, run.stderr).toBe(0);
      expect(Buffer.concat(bytes).subarray(0, 4).toString()).toBe('MThd');
      expect(statSync(join(cwd, 'out.mid')).isFIFO()).toBe(true);
    },
  );

  it('a folder named as output with -f is a one-line error, not EISDIR', async () => {
    const cwd = fresh();
    mkdirSync(join(cwd, 'out'));
    const run = await runJam(['progression', 'I IV', '-o', 'out', '-f'], { cwd });
    expectOneLineError(run, 1, 'out', /is a folder; give a file name/);
  });
});

describe('inputs that claim too much', () => {
  it('a tiny MIDI file with maximal delta times is refused in one line, quickly and in little memory', async () => {
    const cwd = fresh();
    writeFileSync(join(cwd, 'huge.mid'), hugeTimesMidi());
    const run = await runJam(['analyze', 'huge.mid'], { cwd, timeout: 30_000 });
    expectOneLineError(run, 1, 'huge.mid', /past the 6 hours jam analyses/);
  });

  it.runIf(process.platform === 'linux')('SIGTERM stops jam analyze reading a FIFO that never ends', async () => {
    const cwd = fresh();
    const fifo = join(cwd, 'endless');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `exec 3>"${fifo}"; sleep 30`]);
    const child = spawn(process.execPath, [JAM, 'analyze', fifo], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stopped = Date.now();
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    writer.kill();
    expect(Date.now() - stopped).toBeLessThan(5000);
    expect(code === 143 || signal === 'SIGTERM', stderr).toBe(true);
    expect(stderr).toMatch(/endless: not read to its end: stopped \(SIGTERM\)/);
    expect(stderr).not.toMatch(STACK_LINE);
  });
});

describe('messages and usage errors', () => {
  it('jam eval quotes a short escaped excerpt of a binary file given as a key, not the file', async () => {
    const run = await runJam(['eval', 'key', join(FIXTURES, 'chords.wav'), 'C major'], { cwd: fresh() });
    expectOneLineError(run, 1, 'chords.wav', /is not a key/);
    expect(run.stderr.length).toBeLessThan(400);
    expect(run.stderr).toMatch(/\\x00/);
  });

  it('jam eval tempo a b names the unknown subcommand', async () => {
    const run = await runJam(['eval', 'tempo', 'a', 'b'], { cwd: fresh() });
    expectOneLineError(run, 2, '"tempo"', /no subcommand .*notes, chords, key/);
  });

  it('a bad --key exits 2, like every other bad option', async () => {
    const run = await runJam(['progression', 'I IV', '--key', 'H'], { cwd: fresh() });
    expectOneLineError(run, 2, '--key', /unknown key "H"/);
  });

  it('jam pack --keys "" is a usage error, not all twelve keys', async () => {
    const cwd = fresh();
    const run = await runJam(['pack', '--out', 'pack', '--keys', ''], { cwd });
    expectOneLineError(run, 2, '--keys', /names no key/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('-- is honoured: jam transcribe -- -dash.wav transcribes the file named -dash.wav', async () => {
    const cwd = fresh();
    copyFileSync(join(FIXTURES, 'scale.wav'), join(cwd, '-dash.wav'));
    const run = await runJam(['transcribe', '-q', '--', '-dash.wav'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['-dash.mid', '-dash.wav']);
  });

  it('jam progression of 48 long chords and no -o writes a file with a shortened name', async () => {
    const cwd = fresh();
    const chords = Array.from({ length: 12 }, () => 'Cmaj9/G Am11 Dm7b5/Ab G13').join(' ');
    const run = await runJam(['progression', chords], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const [name] = readdirSync(cwd);
    expect(name).toMatch(/^Cmaj9∕G-Am11-.*-… \(\+\d+ more\) in C major\.mid$/);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
  });

  it('jam view on a MIDI file with no tracks draws an empty roll, with a warning', async () => {
    const cwd = fresh();
    writeFileSync(join(cwd, 'empty.mid'), Buffer.from([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 0, 1, 0xe0]));
    const run = await runJam(['view', 'empty.mid', '-o', 'empty.svg'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^jam: warning: empty\.mid: no pitched notes/)]);
    expect(readdirSync(cwd).sort()).toEqual(['empty.mid', 'empty.svg']);
  });
});

describe('the environment', () => {
  it('an unwritable HOME keeps ONNX Runtime off stderr: stderr stays jam own', async () => {
    const cwd = fresh();
    const run = await runJam(['transcribe', join(FIXTURES, 'scale.wav'), '-o', 'out.mid', '--engine', 'onnx'], {
      cwd,
      env: { HOME: '/proc/1/nonexistent' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('jam pack on a read-only file system says so', async () => {
    const mount = join(folder, 'read-only');
    mkdirSync(mount);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro', 'none', mount], { stdio: 'ignore' });
    } catch {
      console.warn('skipped: cannot mount a read-only tmpfs here (needs root)');
      return;
    }
    try {
      const run = await runJam(['pack', '--out', join(mount, 'pack'), '--keys', 'C'], { cwd: fresh() });
      expectOneLineError(run, 1, '--out', /the file system is read-only/);
    } finally {
      execFileSync('umount', [mount]);
    }
  });
});

describe('jam view into special files', () => {
  it('-o /dev/stdout writes the SVG there and nothing after it; -o /dev/null needs no extension', async () => {
    const run = await runJam(['view', join(FIXTURES, 'scale.mid'), '-o', '/dev/stdout'], { cwd: fresh() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.startsWith('<svg')).toBe(true);
    expect(run.stdout.trimEnd().endsWith('</svg>')).toBe(true);
    const quiet = await runJam(['view', join(FIXTURES, 'scale.mid'), '-o', '/dev/null'], { cwd: fresh() });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});
