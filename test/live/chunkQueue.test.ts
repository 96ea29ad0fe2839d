/** A sound card's chunks queue while the consumer works and come out joined, in order, none lost. */
import { expect, it } from 'vitest';
import { ChunkQueue } from '../../src/live/chunkQueue.js';

it('hands over everything queued while the consumer was busy as one chunk, then ends when closed', async () => {
  const queue = new ChunkQueue();
  const taken: number[][] = [];
  queue.push(Float32Array.from([1]));
  const consumer = (async () => {
    for await (const chunk of queue) {
      taken.push([...chunk]);
      // While the consumer "works", the producer delivers two more chunks.
      if (taken.length === 1) {
        queue.push(Float32Array.from([2, 3]));
        queue.push(Float32Array.from([4]));
        expect(queue.queuedSamples).toBe(3);
      }
    }
  })();
  await new Promise((resolve) => setImmediate(resolve));
  queue.push(Float32Array.from([5]));
  queue.close();
  queue.push(Float32Array.from([6]));
  await consumer;
  expect(taken).toEqual([[1], [2, 3, 4], [5]]);
});
