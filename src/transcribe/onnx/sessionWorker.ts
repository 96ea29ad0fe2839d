/**
 * One ONNX Runtime session on one thread, in a worker thread of its own: the onnx engine runs one of these per
 * thread it is given and sends each a batch at a time (see onnxEngine.ts for why).
 */
import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { InferenceSession } from 'onnxruntime-node';
import type { SessionReply, SessionRequest, SessionWorkerData } from '../onnxEngine.js';
import { optimizedModelPath, SESSION_OPTIONS } from './optimizedModel.js';

const { modelPath, tailPath, outputNames } = workerData as SessionWorkerData;
const port = parentPort!;

try {
  const ort = await import('onnxruntime-node');
  // Keep stderr jam's own: ONNX Runtime's warnings (a coloured "Failed to persist telemetry device ID" when HOME is
  // not writable) are not the user's business. Read when the runtime starts, at the first session.
  ort.env.logLevel = 'error';
  const open = async (path: string) => {
    const optimized = optimizedModelPath(path, ort.env.versions.common);
    if (existsSync(optimized)) {
      // A file that does not load (cut short, say) costs only the optimising it was to save.
      const session = await ort.InferenceSession.create(optimized, {
        ...SESSION_OPTIONS,
        graphOptimizationLevel: 'disabled',
        logSeverityLevel: 3,
      }).catch(() => undefined);
      if (session) return session;
    }
    return ort.InferenceSession.create(path, {
      ...SESSION_OPTIONS,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
  };
  const session = await open(modelPath);
  let tail: Promise<InferenceSession> | undefined;
  const input = session.inputMetadata[0];
  // A model with a fixed time axis (JAM_ONNX_MODEL may name one) takes 2 s windows only.
  port.postMessage({
    kind: 'ready',
    flexibleWindows: input.isTensor && typeof input.shape[1] === 'string',
  } satisfies SessionReply);
  port.on('message', async ({ id, tail: useTail, windows, count, windowSamples }: SessionRequest) => {
    try {
      const on = useTail && tailPath ? await (tail ??= open(tailPath)) : session;
      const outputs = await on.run({
        [on.inputNames[0]]: new ort.Tensor('float32', windows, [count, windowSamples, 1]),
      });
      // Each output owns its buffer, so it can be handed over instead of copied.
      const [note, onset, contour] = outputNames.map((name) => outputs[name].data as Float32Array<ArrayBuffer>);
      port.postMessage({ kind: 'done', id, outputs: { note, onset, contour }, windows } satisfies SessionReply, [
        note.buffer,
        onset.buffer,
        contour.buffer,
        windows.buffer,
      ]);
    } catch (error) {
      port.postMessage({
        kind: 'failed',
        id,
        error: String(error instanceof Error ? error.message : error),
      } satisfies SessionReply);
    }
  });
} catch (error) {
  port.postMessage({
    kind: 'failed',
    error: String(error instanceof Error ? error.message : error),
  } satisfies SessionReply);
}
