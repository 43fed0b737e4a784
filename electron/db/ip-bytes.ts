import { isIPv4, isIPv6, SocketAddress } from 'node:net';
import type { Db } from './database.ts';

// Groups of an IPv6 address written without "::" (a trailing dotted quad is two groups).
function groups(part: string): number[] {
  if (part === '') return [];
  return part.split(':').flatMap((g) => {
    if (!g.includes('.')) return [parseInt(g, 16)];
    const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
    return [(a << 8) | b, (c << 8) | d];
  });
}

/**
 * An IP address as 4 (IPv4) or 16 (IPv6) bytes; anything else is returned unchanged, so nothing is lost.
 *
 * Node's SocketAddress validates and canonicalises IPv6 (RFC 5952) first; a zone id ("%eth0") is dropped.
 */
export function ipBytes(ip: string): Buffer | string {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip)) return ip;
  const [head = '', tail] = new SocketAddress({ address: ip, family: 'ipv6' }).address.split('::');
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  const bytes = Buffer.alloc(16);
  all.forEach((g, i) => bytes.writeUInt16BE(g, i * 2));
  return bytes;
}

/** The text of an address stored by ipBytes: dotted IPv4, canonical IPv6 (RFC 5952), or the stored text itself. */
export function ipText(stored: Buffer | string): string {
  if (typeof stored === 'string') return stored;
  if (stored.length === 4) return [...stored].join('.');
  const hex = Array.from({ length: 8 }, (_, i) => stored.readUInt16BE(i * 2).toString(16)).join(':');
  return new SocketAddress({ address: hex, family: 'ipv6' }).address;
}

/** Registers `ip_bytes(text)` and `ip_text(blob)` on a connection, for migrations and queries over stored addresses. */
export function registerIpFunctions(db: Db): void {
  db.function('ip_bytes', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? ipBytes(value) : value));
  db.function('ip_text', { deterministic: true }, (value: unknown) => (Buffer.isBuffer(value) || typeof value === 'string' ? ipText(value) : value));
}
