/**
 * MIDI ports through RtMidi (@julusian/midi), opened by index, by name or as a virtual port. RtMidi is loaded only
 * after the system's MIDI layer is known to be there: on Linux without the ALSA sequencer it fails and its native
 * code prints ALSA noise on stderr, so jam says so in one line instead.
 */
import { existsSync } from 'node:fs';
import type { Input, Output } from '@julusian/midi';
import { JamError } from '../errors.js';

const ALSA_SEQUENCER = '/dev/snd/seq';

type MidiLibrary = typeof import('@julusian/midi');

/** The part of RtMidi's Output that the live sinks and the player use, so tests can hand them a stand-in. */
export interface MidiOutputPort {
  sendMessage(message: number[]): void;
  closePort(): void;
}

export interface PortList {
  inputs: string[];
  outputs: string[];
}

/** Why MIDI ports cannot work on this machine, or undefined when they may. */
export function missingMidiSystem(
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  if (platform === 'linux' && !exists(ALSA_SEQUENCER)) {
    return `no MIDI system: the ALSA sequencer (${ALSA_SEQUENCER}) is absent; load it (sudo modprobe snd-seq) or use --record or --events instead`;
  }
  return undefined;
}

async function midiLibrary(): Promise<MidiLibrary> {
  const missing = missingMidiSystem();
  if (missing) throw new JamError(missing);
  return import('@julusian/midi');
}

/** Constructs an RtMidi object, turning its failure into a one-line error. */
function create<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new JamError(
      `the MIDI system could not be opened (${(error as Error).message}); check that ALSA/CoreMIDI works, or use --record or --events instead`,
    );
  }
}

export async function listPorts(): Promise<PortList> {
  const midi = await midiLibrary();
  return { inputs: create(() => midi.Input.getPortNames()), outputs: create(() => midi.Output.getPortNames()) };
}

/**
 * The index of the port `wanted` names: an index, an exact name, or a part of one name (RtMidi's names carry client
 * numbers, e.g. "FLUID Synth (1234):Synth input port (1234:0)").
 */
export function findPort(names: string[], wanted: string, kind: 'input' | 'output'): number {
  const hint = `jam ports lists the ${kind}s`;
  if (/^\d+$/.test(wanted)) {
    const index = Number(wanted);
    if (index < names.length) return index;
    throw new JamError(
      `MIDI ${kind} ${wanted}: there ${names.length === 1 ? 'is 1 port' : `are ${names.length} ports`}; ${hint}`,
    );
  }
  const exact = names.indexOf(wanted);
  if (exact >= 0) return exact;
  const partial = names.flatMap((name, index) => (name.toLowerCase().includes(wanted.toLowerCase()) ? [index] : []));
  if (partial.length === 1) return partial[0];
  if (partial.length > 1)
    throw new JamError(
      `MIDI ${kind} "${wanted}" matches ${partial.length} ports (${partial.map((i) => names[i]).join('; ')}); give more of the name or its index`,
    );
  throw new JamError(`no MIDI ${kind} named "${wanted}"; ${hint}`);
}

export async function openOutput(wanted: string): Promise<MidiOutputPort & { name: string }> {
  const midi = await midiLibrary();
  const output: Output = create(() => new midi.Output());
  const names = Array.from({ length: output.getPortCount() }, (_, i) => output.getPortName(i));
  const index = findPort(names, wanted, 'output');
  create(() => output.openPort(index));
  return Object.assign(output, { name: names[index] });
}

/** A port other programs connect to (ALSA and CoreMIDI only). */
export async function openVirtualOutput(name: string): Promise<MidiOutputPort & { name: string }> {
  const midi = await midiLibrary();
  const output: Output = create(() => new midi.Output());
  create(() => output.openVirtualPort(name));
  return Object.assign(output, { name });
}

export async function openInput(wanted: string): Promise<Input & { name: string }> {
  const midi = await midiLibrary();
  const input: Input = create(() => new midi.Input());
  const names = Array.from({ length: input.getPortCount() }, (_, i) => input.getPortName(i));
  const index = findPort(names, wanted, 'input');
  create(() => input.openPort(index));
  return Object.assign(input, { name: names[index] });
}

/** Opens every port `to` names and the virtual port, if any; on a failure closes those already open. */
export async function openOutputs(to: string[], virtual?: string): Promise<Array<MidiOutputPort & { name: string }>> {
  const opened: Array<MidiOutputPort & { name: string }> = [];
  try {
    for (const wanted of to) opened.push(await openOutput(wanted));
    if (virtual !== undefined) opened.push(await openVirtualOutput(virtual));
  } catch (error) {
    for (const port of opened) port.closePort();
    throw error;
  }
  return opened;
}
