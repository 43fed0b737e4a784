import { listenProxy } from './proxy-server.ts';

/** A running rewriting proxy: its port, how many server lines it changed, and a close(). */
export interface RewriteProxy {
  readonly port: number;
  readonly rewritten: () => number;
  close(): Promise<void>;
}

/**
 * A plain-IMAP proxy on 127.0.0.1 that passes the client's bytes through untouched and hands each
 * server response line (not literal data) to `rewrite`; a changed line replaces the original.
 * The real server still decides everything; the proxy only changes how an answer is worded, e.g.
 * Dovecot's `NO [LIMIT]` as another server's `NO [TOOBIG]`.
 */
export async function startRewriteProxy(
  upstreamHost: string,
  upstreamPort: number,
  rewrite: (line: string) => string,
  // Per connection, a transform of the client's bytes on their way to the server (e.g. test/fakes/munge8bit.ts).
  fromClient?: () => (chunk: Buffer) => Buffer,
): Promise<RewriteProxy> {
  let rewritten = 0;
  const proxy = await listenProxy(upstreamHost, upstreamPort, (client, upstream) => {
    const alter = fromClient?.();
    client.on('data', (d: Buffer) => upstream.write(alter ? alter(d) : d));
    let buf = Buffer.alloc(0);
    let literal = 0;
    // True at the start of a response, false in the text that follows a literal inside one.
    let fresh = true;
    upstream.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (literal > 0) {
          const take = Math.min(literal, buf.length);
          client.write(buf.subarray(0, take));
          buf = buf.subarray(take);
          literal -= take;
          if (literal > 0) return;
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const text = buf.toString('latin1', 0, nl);
        buf = buf.subarray(nl + 2);
        const lit = /\{(\d+)\}$/.exec(text);
        const out = fresh ? rewrite(text) : text;
        if (out !== text) rewritten++;
        client.write(Buffer.from(`${out}\r\n`, 'latin1'));
        literal = lit ? Number(lit[1]) : 0;
        fresh = !lit;
      }
    });
  });
  return { port: proxy.port, rewritten: () => rewritten, close: () => proxy.close() };
}
