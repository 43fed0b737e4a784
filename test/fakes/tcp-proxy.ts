import { createServer, connect, type Server, type Socket } from 'node:net';

/** Options of the loopback TCP proxy. */
export interface ProxyOptions {
  readonly targetHost: string;
  readonly targetPort: number;
  /** Added to every chunk in each direction (a WAN stand-in). */
  readonly delayMs?: number;
  /** Drop a connection after a random number of bytes in [min, max] (both directions counted); null = never. */
  readonly dropAfterBytes?: { readonly min: number; readonly max: number } | null;
  /** Deterministic randomness for drops. */
  readonly seed?: number;
  /** Forward each delayed chunk at once (TCP_NODELAY on both legs), as a router would; default false (Nagle on, Node's default). */
  readonly noDelay?: boolean;
  /**
   * Drops the connection when this returns true for a chunk (which is then not forwarded): `up` is
   * client → server, `down` server → client, `connection` counts accepted connections from 1.
   * For plaintext IMAP, to cut at an exact protocol step.
   */
  readonly dropWhen?: (chunk: Buffer, direction: 'up' | 'down', connection: number) => boolean;
}

/** A running proxy: its port, how many connections it dropped, and a close(). */
export interface TcpProxy {
  readonly port: number;
  readonly drops: () => number;
  close(): Promise<void>;
}

/** Starts a TCP proxy on 127.0.0.1 (port 0) that can add latency and drop connections at random. */
export async function startTcpProxy(options: ProxyOptions): Promise<TcpProxy> {
  let seed = options.seed ?? 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  let drops = 0;
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const connection = ++accepted;
    const upstream = connect(options.targetPort, options.targetHost);
    if (options.noDelay) {
      client.setNoDelay(true);
      upstream.setNoDelay(true);
    }
    sockets.add(client).add(upstream);
    const limit = options.dropAfterBytes ? options.dropAfterBytes.min + random() * (options.dropAfterBytes.max - options.dropAfterBytes.min) : Infinity;
    let seen = 0;
    const kill = (): void => {
      client.destroy();
      upstream.destroy();
    };
    const pipe = (from: Socket, to: Socket, direction: 'up' | 'down'): void => {
      from.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > limit || options.dropWhen?.(chunk, direction, connection)) {
          drops++;
          kill();
          return;
        }
        if (options.delayMs) {
          // Pure latency, not a bandwidth cap: every chunk leaves delayMs after it arrived, in order.
          setTimeout(() => {
            if (!to.destroyed) to.write(chunk);
          }, options.delayMs);
        } else {
          to.write(chunk);
        }
      });
      from.on('end', () => (options.delayMs ? setTimeout(() => to.end(), options.delayMs) : to.end()));
      from.on('error', kill);
      from.on('close', () => {
        sockets.delete(from);
        if (options.delayMs) setTimeout(() => to.destroy(), options.delayMs + 5);
        else to.destroy();
      });
    };
    pipe(client, upstream, 'up');
    pipe(upstream, client, 'down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    drops: () => drops,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
