import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';

/** A DNS server address for raw queries. */
export interface DnsServer {
  readonly host: string;
  readonly port: number;
}

/** Answer summary of a raw query: the RCODE and the RR types in the answer section. */
export type RawAnswer = { readonly ok: true; readonly rcode: number; readonly types: readonly number[] } | { readonly ok: false; readonly code: string };

/** RR type numbers used here. */
export const RR = { DNSKEY: 48, RRSIG: 46, DS: 43 } as const;

function encodeName(name: string): Buffer | null {
  const labels = name.replace(/\.$/, '').split('.');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length === 0 || bytes.length > 63) return null;
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  return out.length > 255 ? null : out;
}

function skipName(msg: Buffer, at: number): number {
  for (let guard = 0; guard < 128; guard++) {
    const len = msg[at];
    if (len === undefined) return -1;
    if (len === 0) return at + 1;
    if ((len & 0xc0) === 0xc0) return at + 2;
    at += len + 1;
  }
  return -1;
}

/**
 * Sends one query over UDP with the EDNS0 DO bit (RFC 3225) and returns the answer RR types.
 *
 * Node's c-ares resolver cannot ask for DNSKEY or expose DNSSEC data, hence this minimal client.
 */
export function rawQuery(server: DnsServer, name: string, type: number, timeoutMs = 2000): Promise<RawAnswer> {
  const qname = encodeName(name);
  if (!qname) return Promise.resolve({ ok: false, code: 'EBADNAME' });
  const id = randomInt(0, 65536);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // RD
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(1, 10); // one OPT record
  const question = Buffer.alloc(4);
  question.writeUInt16BE(type, 0);
  question.writeUInt16BE(1, 2);
  // OPT: root name, type 41, UDP size 1232, extended rcode 0, version 0, flags DO
  const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0]);
  const packet = Buffer.concat([header, qname, question, opt]);
  return new Promise((resolve) => {
    const socket = createSocket(server.host.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEOUT' }), timeoutMs);
    const finish = (answer: RawAnswer): void => {
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    };
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, code: error.code ?? 'EUNKNOWN' }));
    socket.on('message', (msg) => {
      if (msg.length < 12 || msg.readUInt16BE(0) !== id) return;
      const rcode = msg.readUInt16BE(2) & 0x0f;
      const qd = msg.readUInt16BE(4);
      const an = msg.readUInt16BE(6);
      let at = 12;
      for (let i = 0; i < qd && at >= 0; i++) at = skipName(msg, at) + (at >= 0 ? 4 : 0);
      const types: number[] = [];
      for (let i = 0; i < an && at >= 0 && at + 10 <= msg.length; i++) {
        at = skipName(msg, at);
        if (at < 0 || at + 10 > msg.length) break;
        types.push(msg.readUInt16BE(at));
        at += 10 + msg.readUInt16BE(at + 8);
      }
      finish({ ok: true, rcode, types });
    });
    socket.send(packet, server.port, server.host);
  });
}
