/**
 * Microphone and line inputs through node-web-audio-api's mediaDevices: listed, chosen by index or label, and read
 * through a ScriptProcessor into a ChunkQueue. On Linux without a sound card (/dev/snd absent) there is nothing to
 * ask for, and asking makes the native audio layers print noise, so jam says so first.
 */
import { existsSync } from 'node:fs';
import * as webAudio from 'node-web-audio-api';
import { sanitize } from '../audio/downmix.js';
import { Resampler } from '../audio/resample.js';
import { JamError } from '../errors.js';
import { AUDIO_SAMPLE_RATE } from '../transcribe/constants.js';
import { ChunkQueue } from './chunkQueue.js';
import type { LiveSource } from './pipeline.js';

const SOUND_DEVICES = '/dev/snd';
/** Samples per callback at the device's rate: about 20 ms at 48 kHz, the transcriber's hop or less. */
const PROCESSOR_BUFFER = 1024;

export interface InputDevice {
  index: number;
  deviceId: string;
  label: string;
}

/** The part of the package's mediaDevices that jam uses (its typings do not declare it). */
interface MediaDevicesLike {
  enumerateDevices(): Promise<Array<{ deviceId: string; kind: string; label: string }>>;
  getUserMedia(constraints: { audio: { deviceId: string } }): Promise<MediaStream>;
}

const mediaDevices = (webAudio as unknown as { mediaDevices: MediaDevicesLike }).mediaDevices;

export async function listInputDevices(): Promise<InputDevice[]> {
  if (process.platform === 'linux' && !existsSync(SOUND_DEVICES)) return [];
  const devices = await mediaDevices.enumerateDevices();
  return devices
    .filter((device) => device.kind === 'audioinput')
    .map((device, index) => ({ index, deviceId: device.deviceId, label: device.label }));
}

export const NO_INPUTS =
  'no audio input devices found (no sound card or microphone on this machine); pipe audio with --stdin or play a file instead';

/** The device `wanted` names: an index from `jam devices`, or all or part of its label. */
export function findInputDevice(devices: InputDevice[], wanted: string): InputDevice {
  if (devices.length === 0) throw new JamError(NO_INPUTS);
  if (/^\d+$/.test(wanted)) {
    const device = devices[Number(wanted)];
    if (device) return device;
    throw new JamError(
      `--input ${wanted}: there ${devices.length === 1 ? 'is 1 input' : `are ${devices.length} inputs`}; jam devices lists them`,
    );
  }
  const matches = devices.filter((device) => device.label.toLowerCase().includes(wanted.toLowerCase()));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1)
    throw new JamError(
      `--input "${wanted}" matches ${matches.length} devices (${matches.map((d) => d.label).join('; ')}); give more of the name or its index`,
    );
  throw new JamError(`no audio input named "${wanted}"; jam devices lists them`);
}

/** Live audio from an input device, resampled from the device's rate. */
export function inputSource(device: InputDevice): LiveSource {
  return contextSource(device.label, async () => {
    const stream = await mediaDevices.getUserMedia({ audio: { deviceId: device.deviceId } }).catch((error: Error) => {
      throw new JamError(
        `audio input "${device.label}" could not be opened (${error.message}); check that no other program holds it`,
      );
    });
    const context = new webAudio.AudioContext({ latencyHint: 'interactive' });
    return { context, input: context.createMediaStreamSource(stream) };
  });
}

/**
 * Live audio from the node `open` gives, read through a ScriptProcessor of its context into a ChunkQueue and
 * resampled to the model's rate; the context is closed when the signal aborts.
 */
export function contextSource(
  name: string,
  open: () => Promise<{ context: AudioContext; input: AudioNode }>,
): LiveSource {
  return {
    name,
    async *chunks(signal) {
      const { context, input } = await open();
      const queue = new ChunkQueue();
      const processor = context.createScriptProcessor(PROCESSOR_BUFFER, 1, 1);
      // A copy: the buffer is reused for the next callback.
      processor.onaudioprocess = (event) => queue.push(event.inputBuffer.getChannelData(0).slice());
      input.connect(processor);
      // A ScriptProcessor runs only while connected to the destination; it outputs silence.
      processor.connect(context.destination);
      const resampler =
        context.sampleRate === AUDIO_SAMPLE_RATE ? undefined : new Resampler(context.sampleRate, AUDIO_SAMPLE_RATE);
      const stop = (): void => queue.close();
      signal.addEventListener('abort', stop, { once: true });
      try {
        if (signal.aborted) return;
        for await (const block of queue) {
          // A device's driver can hand over garbage too; one NaN would silence the transcriber for good.
          sanitize(block);
          yield resampler ? resampler.push(block) : block;
        }
      } finally {
        signal.removeEventListener('abort', stop);
        // Closing the context ends the capture (the package's MediaStream has no tracks to stop).
        await context.close();
      }
    },
  };
}
