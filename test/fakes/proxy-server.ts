import { connect, createServer, type Socket } from 'node:net';

/** A listening loopback proxy: its port, and a close() that drops every connection it holds. */
export interface ProxyServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (port 0); for each client opens a connection to the upstream server (plain,
 * or through `dial`, e.g. TLS) and hands both sockets to `pair`, which wires the bytes. Either side
 * ending or failing ends both.
 */
export async function listenProxy(upstreamHost: string, upstreamPort: number, pair: (client: Socket, upstream: Socket) => void, dial: () => Socket = () => connect(upstreamPort, upstreamHost)): Promise<ProxyServer> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = dial();
    sockets.add(client).add(upstream);
    pair(client, upstream);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
