import { createSocket, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import type { DnsServer } from './raw-dns.ts';

type Waiter = (answer: Buffer | { readonly code: string }) => void;

interface Shared {
  readonly socket: Socket;
  readonly pending: Map<string, Waiter>;
}

const shared: Partial<Record<'udp4' | 'udp6', Shared>> = {};

// Replies are matched on id, address and port; a server given by name matches any address.
function key(id: number, host: string, port: number): string {
  return `${id}@${isIP(host) ? host : '*'}:${port}`;
}

// One socket per address family while queries are in flight, instead of one per query: a bulk run sends
// thousands of raw queries, and creating and closing a socket each time showed up as event-loop stalls.
// It closes when idle, so each burst gets a fresh random source port (RFC 5452 §9.2).
function socketFor(family: 'udp4' | 'udp6'): Shared {
  const existing = shared[family];
  if (existing) return existing;
  const socket = createSocket(family);
  const entry: Shared = { socket, pending: new Map() };
  socket.unref();
  socket.on('message', (msg, peer) => {
    if (msg.length < 2) return;
    const id = msg.readUInt16BE(0);
    const waiter = entry.pending.get(key(id, peer.address, peer.port)) ?? entry.pending.get(key(id, '', peer.port));
    waiter?.(msg);
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    for (const waiter of [...entry.pending.values()]) waiter({ code: error.code ?? 'EUNKNOWN' });
  });
  shared[family] = entry;
  return entry;
}

function release(family: 'udp4' | 'udp6', entry: Shared): void {
  if (entry.pending.size > 0 || shared[family] !== entry) return;
  delete shared[family];
  entry.socket.close();
}

/** A fresh query id not in flight to `server` on the shared socket. */
export function queryId(server: DnsServer): number {
  const entry = shared[server.host.includes(':') ? 'udp6' : 'udp4'];
  for (;;) {
    const id = randomInt(0, 65536);
    if (!entry?.pending.has(key(id, server.host, server.port))) return id;
  }
}

/** Sends one DNS message over UDP and resolves with the reply carrying the same id from that server; never rejects. */
export function udpExchange(server: DnsServer, packet: Buffer, timeoutMs: number): Promise<Buffer | { readonly code: string }> {
  const family = server.host.includes(':') ? 'udp6' : 'udp4';
  const entry = socketFor(family);
  const k = key(packet.readUInt16BE(0), server.host, server.port);
  if (entry.pending.has(k)) return Promise.resolve({ code: 'EDUPLICATEID' });
  return new Promise((resolve) => {
    const timer = setTimeout(() => done({ code: 'ETIMEOUT' }), timeoutMs);
    const done: Waiter = (answer) => {
      clearTimeout(timer);
      entry.pending.delete(k);
      resolve(answer);
      // after the current callbacks, so a burst of replies does not close and reopen the socket
      setImmediate(() => release(family, entry));
    };
    entry.pending.set(k, done);
    entry.socket.send(packet, server.port, server.host, (error) => {
      if (error) done({ code: (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN' });
    });
  });
}
