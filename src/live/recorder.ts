/**
 * Recording a MIDI input port: its messages become live events, timed from the start of the recording on a
 * monotonic clock, and go to the same crash-safe file as a live take (and to any other sinks, a jam session's say),
 * until the signal aborts.
 */
import { once } from 'node:events';
import { systemClock, type Clock } from '../clock.js';
import { closeSinks, type LiveSink } from './pipeline.js';
import { recordSink } from './recordSink.js';
import type { LiveEvent, NoteEvent } from '../types.js';
import { PITCH_BEND_RANGE_SEMITONES } from '../midi/constants.js';
import { InputEventReader } from '../midi/inputEvents.js';
import { NoteCollector } from './noteCollector.js';

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
  /** Where else the events go as they are played. */
  sinks?: LiveSink[];
}

/** Records `input` into `file` (when given) and the sinks until `signal` aborts; resolves with the notes played. */
export async function recordPort(
  input: MidiInputPort,
  file: string | undefined,
  { bendRange = PITCH_BEND_RANGE_SEMITONES, clock = systemClock, signal, sinks = [] }: RecordPortOptions,
): Promise<NoteEvent[]> {
  const reader = new InputEventReader(bendRange);
  const started = clock.now();
  // Listening starts at once; what is played while the file is first written waits for it.
  const early: LiveEvent[] = [];
  let ready = false;
  const played = new NoteCollector();
  const all: LiveSink[] = [...sinks];
  let lastTime = 0;
  const play = (event: LiveEvent): void => {
    lastTime = Math.max(lastTime, event.time);
    played.add(event);
    for (const sink of all) void sink.write(event);
  };
  const listener: MessageListener = (_deltaTime, message) => {
    const event = reader.read(message, (clock.now() - started) / 1000);
    if (!event) return;
    if (ready) play(event);
    else early.push(event);
  };
  input.on('message', listener);
  let recorded = false;
  try {
    if (file !== undefined) all.push(await recordSink(file, { trackName: 'jam record' }));
    ready = true;
    for (const event of early) play(event);
    if (!signal.aborted) await once(signal, 'abort');
    recorded = true;
  } finally {
    input.off('message', listener);
    played.finish(lastTime);
    // A sink that could not be finished is the user's to know, unless the recording itself failed first.
    await closeSinks(all).catch((error) => {
      if (recorded) throw error;
    });
  }
  return played.notes;
}
