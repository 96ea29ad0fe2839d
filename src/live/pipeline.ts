/**
 * The live path: a source of audio → a streaming transcriber → any number of sinks. Each chunk is transcribed
 * before the next is read, so a source that can wait (a pipe, a file) is slowed to the transcriber's pace and one
 * that cannot (a sound card) hands over everything that queued up meanwhile in one chunk. However the run ends
 * (the source ends, the signal aborts, something fails), every note still sounding gets its note-off and every
 * sink is closed.
 */
import { AUDIO_SAMPLE_RATE } from '../transcribe/constants.js';
import type { LiveEvent } from '../types.js';

/** Mono audio at 22 050 Hz, in chunks of any size, ending when `signal` aborts. */
export interface LiveSource {
  /** For messages: a file name, "standard input", a device's label. */
  name: string;
  chunks(signal: AbortSignal): AsyncIterable<Float32Array>;
}

/** What the pipeline needs of StreamingTranscriber. */
export interface LiveTranscriber {
  push(samples: Float32Array): Promise<LiveEvent[]>;
  /** Flushes the audio still held and ends every sounding note. */
  end(): Promise<LiveEvent[]>;
}

export interface LiveSink {
  write(event: LiveEvent): void | Promise<void>;
  /** Ends whatever the sink keeps open; called once, after the last event. */
  close(): void | Promise<void>;
}

export interface LiveOptions {
  source: LiveSource;
  transcriber: LiveTranscriber;
  sinks: LiveSink[];
  /** Stops the run: the source ends, the transcriber is flushed, the sinks are closed. */
  signal?: AbortSignal;
}

export interface LiveSummary {
  /** Seconds of audio read from the source. */
  seconds: number;
  notes: number;
  events: number;
  /** True when the signal stopped the run before the source ended. */
  stopped: boolean;
}

export async function runLive({
  source,
  transcriber,
  sinks,
  signal = new AbortController().signal,
}: LiveOptions): Promise<LiveSummary> {
  const sounding = new Map<number, number>();
  const summary: LiveSummary = { seconds: 0, notes: 0, events: 0, stopped: false };
  let lastTime = 0;
  const deliver = async (events: LiveEvent[]): Promise<void> => {
    for (const event of events) {
      if (event.type === 'on') {
        sounding.set(event.pitch, (sounding.get(event.pitch) ?? 0) + 1);
        summary.notes++;
      } else if (event.type === 'off') {
        const count = sounding.get(event.pitch) ?? 0;
        if (count <= 1) sounding.delete(event.pitch);
        else sounding.set(event.pitch, count - 1);
      }
      lastTime = Math.max(lastTime, event.time);
      summary.events++;
      for (const sink of sinks) await sink.write(event);
    }
  };
  let failed = true;
  try {
    for await (const chunk of source.chunks(signal)) {
      summary.seconds += chunk.length / AUDIO_SAMPLE_RATE;
      await deliver(await transcriber.push(chunk));
    }
    summary.stopped = signal.aborted;
    await deliver(await transcriber.end());
    failed = false;
  } finally {
    await finish(failed, sinks, () => deliver(releases(sounding, Math.max(lastTime, summary.seconds))));
  }
  return summary;
}

/** Note-offs for the notes a transcriber left sounding (it should leave none). */
function releases(sounding: Map<number, number>, time: number): LiveEvent[] {
  return [...sounding].flatMap(([pitch, count]) =>
    Array.from({ length: count }, () => ({ type: 'off' as const, time, pitch, velocity: 0 })),
  );
}

/** Closes every sink, even when some fail; then throws the first failure, if any. */
export async function closeSinks(sinks: LiveSink[]): Promise<void> {
  const results = await Promise.allSettled(sinks.map(async (sink) => sink.close()));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Releases and closes every sink even when some fail; a failure is thrown only when the run itself succeeded. */
async function finish(failed: boolean, sinks: LiveSink[], release: () => Promise<void>): Promise<void> {
  const results = await Promise.allSettled([release()]);
  results.push(...(await Promise.allSettled(sinks.map(async (sink) => sink.close()))));
  const error = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (error && !failed) throw error.reason;
}
