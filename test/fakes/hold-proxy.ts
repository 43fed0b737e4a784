import type { Socket } from 'node:net';
import { listenProxy, type ProxyServer } from './proxy-server.ts';

/** A running holding proxy: held(n) resolves once n connections were held; release() lets everything through from then on. */
export interface HoldProxy extends ProxyServer {
  held(n?: number): Promise<void>;
  release(): void;
}

/**
 * A TCP proxy on 127.0.0.1 that forwards both ways until one connection has carried `afterBytes`
 * in the given direction (to the server: an upload; to the client: a download), then stops reading
 * that direction on that connection, as a server or a link that stalls mid-literal: the sender's
 * buffers fill and nothing more arrives, while the connection stays open. TLS passes through
 * untouched (it only counts bytes).
 */
export async function startHoldProxy(upstreamHost: string, upstreamPort: number, options: { direction: 'toServer' | 'toClient'; afterBytes: number }): Promise<HoldProxy> {
  let released = false;
  let holds = 0;
  const parked: (() => void)[] = [];
  const waiting: { n: number; go: () => void }[] = [];
  const pipe = (from: Socket, to: Socket, holding: boolean): void => {
    let seen = 0;
    from.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (holding && !released && seen > options.afterBytes) {
        from.pause();
        holds++;
        parked.push(() => {
          if (!to.destroyed) to.write(chunk);
          from.resume();
        });
        for (const w of waiting.filter((x) => x.n <= holds)) {
          waiting.splice(waiting.indexOf(w), 1);
          w.go();
        }
        // Stays paused: every later chunk of this connection waits behind this one.
        holding = false;
        return;
      }
      if (!to.destroyed) to.write(chunk);
    });
    from.on('end', () => to.end());
  };
  const proxy = await listenProxy(upstreamHost, upstreamPort, (client, upstream) => {
    pipe(client, upstream, options.direction === 'toServer');
    pipe(upstream, client, options.direction === 'toClient');
  });
  return {
    ...proxy,
    held: (n = 1) => (holds >= n ? Promise.resolve() : new Promise<void>((go) => waiting.push({ n, go }))),
    release: () => {
      released = true;
      for (const go of parked.splice(0)) go();
    },
  };
}
