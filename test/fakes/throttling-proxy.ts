import { listenProxy } from './proxy-server.ts';

/**
 * A plain-IMAP proxy that answers the first `budget` APPEND commands itself with
 * `NO [THROTTLED] … Suggested Backoff Time: 150 milliseconds` (as Microsoft 365 does) without
 * passing them on, literals included; everything else goes through untouched.
 */
export async function throttlingProxy(upstreamHost: string, upstreamPort: number, budget: number): Promise<{ port: number; throttled: () => number; close: () => Promise<void> }> {
  let throttled = 0;
  const proxy = await listenProxy(upstreamHost, upstreamPort, (client, upstream) => {
    upstream.on('data', (d: Buffer) => client.write(d));
    let buf = Buffer.alloc(0);
    let literal = 0;
    let cmd: { tag: string; swallow: boolean } | null = null;
    client.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (literal > 0) {
          const take = Math.min(literal, buf.length);
          if (!cmd?.swallow) upstream.write(buf.subarray(0, take));
          buf = buf.subarray(take);
          literal -= take;
          if (literal > 0) return;
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.subarray(0, nl + 2);
        buf = buf.subarray(nl + 2);
        const text = line.toString('latin1');
        if (!cmd) {
          // Counted when decided: another connection's APPEND may start while this one's literals still stream.
          cmd = { tag: text.split(' ')[0] ?? '*', swallow: /^\S+ APPEND /i.test(text) && throttled < budget };
          if (cmd.swallow) throttled++;
        }
        if (!cmd.swallow) upstream.write(line);
        const lit = /\{(\d+)(\+?)\}\r\n$/.exec(text);
        if (lit) {
          literal = Number(lit[1]);
          if (cmd.swallow && lit[2] === '') client.write('+ go ahead\r\n');
          continue;
        }
        if (cmd.swallow) {
          client.write(`${cmd.tag} NO [THROTTLED] Too many uploads. Suggested Backoff Time: 150 milliseconds\r\n`);
        }
        cmd = null;
      }
    });
  });
  return { port: proxy.port, throttled: () => throttled, close: () => proxy.close() };
}
