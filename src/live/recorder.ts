/**
 * Recording a MIDI input port: its messages become live events, timed from the start of the recording on a
 * monotonic clock, and go to the same crash-safe file as a live take, until the signal aborts.
 */
import { once } from 'node:events';
import { systemClock, type Clock } from '../clock.js';
import { recordSink, type RecordSink } from './recordSink.js';
import type { LiveEvent, NoteEvent } from '../types.js';
import { PITCH_BEND_RANGE_SEMITONES } from '../midi/constants.js';
import { InputEventReader } from '../midi/inputEvents.js';

type MessageListener = (deltaTime: number, message: number[]) => void;

/** The part of RtMidi's Input that recording uses, so tests can hand it a stand-in. */
export interface MidiInputPort {
  on(event: 'message', listener: MessageListener): unknown;
  off(event: 'message', listener: MessageListener): unknown;
}

export interface RecordPortOptions {
  /** Semitones the instrument's full wheel spans. */
  bendRange?: number;
  clock?: Clock;
  signal: AbortSignal;
}

/** Records `input` into `file` until `signal` aborts; resolves with the notes written. */
export async function recordPort(
  input: MidiInputPort,
  file: string,
  { bendRange = PITCH_BEND_RANGE_SEMITONES, clock = systemClock, signal }: RecordPortOptions,
): Promise<NoteEvent[]> {
  const reader = new InputEventReader(bendRange);
  const started = clock.now();
  // Listening starts at once; what is played while the file is first written waits for it.
  const early: LiveEvent[] = [];
  let sink: RecordSink | undefined;
  const listener: MessageListener = (_deltaTime, message) => {
    const event = reader.read(message, (clock.now() - started) / 1000);
    if (!event) return;
    if (sink) sink.write(event);
    else early.push(event);
  };
  input.on('message', listener);
  try {
    sink = await recordSink(file, { trackName: 'jam record' });
    for (const event of early) sink.write(event);
    if (!signal.aborted) await once(signal, 'abort');
  } finally {
    input.off('message', listener);
    await sink?.close();
  }
  return sink.notes;
}
