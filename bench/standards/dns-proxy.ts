// A counting DNS proxy (UDP and TCP) in front of the bench's Knot, and a bare replay of what it recorded:
// the same query packets, sent with the same concurrency, doing nothing with the answers.
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { createServer, connect, type Server } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One query as it crossed the proxy: its wire bytes and transport. */
export interface RecordedQuery {
  readonly packet: Buffer;
  readonly tcp: boolean;
}

/** The question's type code (after the name) of a DNS query packet. */
export function questionType(packet: Buffer): number {
  let at = 12;
  while (at < packet.length && packet[at]! !== 0) at += packet[at]! + 1;
  return at + 2 < packet.length ? packet.readUInt16BE(at + 1) : -1;
}

/** The question's name of a DNS query packet (no compression in questions). */
export function questionName(packet: Buffer): string {
  const labels: string[] = [];
  let at = 12;
  while (at < packet.length && packet[at]! !== 0) {
    labels.push(packet.toString('latin1', at + 1, at + 1 + packet[at]!));
    at += packet[at]! + 1;
  }
  return labels.join('.');
}

// The record types node:dns resolves by name; the rest (DNSKEY, TLSA, …) go out as raw packets, as Mailroom sends them.
const NODE_TYPES: Readonly<Record<number, string>> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 257: 'CAA' };

/** Forwards UDP and TCP DNS on `listenPort` to Knot on `upstreamPort` (127.0.0.1), recording every query. */
export async function startCountingProxy(listenPort: number, upstreamPort: number): Promise<{ queries: RecordedQuery[]; close: () => Promise<void> }> {
  const queries: RecordedQuery[] = [];
  const front = createSocket('udp4');
  const back = createSocket('udp4');
  // upstream id → where the answer goes; ids are rewritten so concurrent clients never collide
  const pending = new Map<number, { id: number; port: number; address: string }>();
  let nextId = 0;
  front.on('message', (msg, rinfo) => {
    queries.push({ packet: Buffer.from(msg), tcp: false });
    const id = nextId++ & 0xffff;
    pending.set(id, { id: msg.readUInt16BE(0), port: rinfo.port, address: rinfo.address });
    const out = Buffer.from(msg);
    out.writeUInt16BE(id, 0);
    back.send(out, upstreamPort, '127.0.0.1');
  });
  back.on('message', (msg) => {
    const to = pending.get(msg.readUInt16BE(0));
    if (!to) return;
    pending.delete(msg.readUInt16BE(0));
    msg.writeUInt16BE(to.id, 0);
    front.send(msg, to.port, to.address);
  });
  await new Promise<void>((done) => front.bind(listenPort, '127.0.0.1', done));
  await new Promise<void>((done) => back.bind(0, '127.0.0.1', done));
  const tcp: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    let buffered = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const size = buffered.readUInt16BE(0);
        queries.push({ packet: Buffer.from(buffered.subarray(2, 2 + size)), tcp: true });
        buffered = buffered.subarray(2 + size);
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.end());
  });
  await new Promise<void>((done) => tcp.listen(listenPort, '127.0.0.1', done));
  return {
    queries,
    close: async () => {
      front.close();
      back.close();
      await new Promise<void>((done) => tcp.close(() => done()));
    },
  };
}

function tcpExchange(port: number, packet: Buffer, timeoutMs: number): Promise<void> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    const head = Buffer.alloc(2);
    head.writeUInt16BE(packet.length);
    let got = Buffer.alloc(0);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      done();
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('connect', () => socket.write(Buffer.concat([head, packet])));
    socket.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) finish();
    });
    socket.on('error', finish);
  });
}

/** Sends the recorded queries to 127.0.0.1:port with `concurrency` in flight (one UDP socket, a TCP connection per TCP query); resolves to the wall ms and the answers missed. */
export async function replayQueries(queries: readonly RecordedQuery[], port: number, concurrency: number, via: 'raw' | 'node' = 'raw', timeoutMs = 2000): Promise<{ ms: number; timeouts: number }> {
  // node: the same resolver class Mailroom's checks use (c-ares through node:dns), answers parsed and dropped
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const socket = createSocket('udp4');
  await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
  const waiting = new Map<number, () => void>();
  socket.on('message', (msg) => {
    const id = msg.readUInt16BE(0);
    waiting.get(id)?.();
    waiting.delete(id);
  });
  let next = 0;
  let id = 0;
  let timeouts = 0;
  const udp = (packet: Buffer): Promise<void> =>
    new Promise((done) => {
      const mine = id++ & 0xffff;
      const out = Buffer.from(packet);
      out.writeUInt16BE(mine, 0);
      const timer = setTimeout(() => {
        waiting.delete(mine);
        timeouts++;
        done();
      }, timeoutMs);
      waiting.set(mine, () => {
        clearTimeout(timer);
        done();
      });
      socket.send(out, port, '127.0.0.1');
    });
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      const q = queries[next++]!;
      const type = NODE_TYPES[questionType(q.packet)];
      if (via === 'node' && !q.tcp && type) await resolver.resolve(questionName(q.packet), type).catch(() => undefined);
      else await (q.tcp ? tcpExchange(port, q.packet, timeoutMs) : udp(q.packet));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  socket.close();
  return { ms, timeouts };
}
