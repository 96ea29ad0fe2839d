/**
 * An in-process WebSocket proxy that delays every frame by a seeded random time, each direction on its own, keeping
 * each direction's order: the network jitter this machine cannot make with tc/netem.
 */
import { createServer, type Server } from 'node:http';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { seeded } from './helpers.js';

export interface JitterProxy {
  url: string;
  /** While cut, every frame either way vanishes and no socket closes: a link gone dead. */
  cut(dead: boolean): void;
  close(): Promise<void>;
}

/** `delay(random)` gives each frame's delay in ms. */
export async function jitterProxy(
  target: string,
  delay: (random: () => number) => number,
  seed = 1,
): Promise<JitterProxy> {
  const random = seeded(seed);
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  let dead = false;
  wss.on('connection', (downstream, request) => {
    const upstream = new WebSocket(`${target}${request.url ?? '/'}`, { perMessageDeflate: false });
    sockets.add(downstream).add(upstream);
    const pending: RawData[] = [];
    const forwarder = (to: WebSocket) => {
      let last = 0;
      return (data: RawData, isBinary: boolean) => {
        if (dead) return;
        const at = Math.max(last, performance.now() + delay(random));
        last = at;
        setTimeout(
          () => to.readyState === WebSocket.OPEN && to.send(data, { binary: isBinary }),
          at - performance.now(),
        );
      };
    };
    const toUpstream = forwarder(upstream);
    downstream.on('message', (data, isBinary) =>
      upstream.readyState === WebSocket.OPEN ? toUpstream(data, isBinary) : pending.push(data),
    );
    upstream.on('open', () => pending.splice(0).forEach((data) => toUpstream(data, false)));
    upstream.on('message', forwarder(downstream));
    const end = () => {
      downstream.terminate();
      upstream.terminate();
    };
    downstream.on('close', end);
    upstream.on('close', end);
    downstream.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    cut: (value) => (dead = value),
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
