import { queryId, udpExchange } from './udp-exchange.ts';

/** A DNS server address for raw queries. */
export interface DnsServer {
  readonly host: string;
  readonly port: number;
}

/** Answer summary of a raw query: the RCODE and the RR types in the answer section. */
export type RawAnswer = { readonly ok: true; readonly rcode: number; readonly types: readonly number[] } | { readonly ok: false; readonly code: string };

/** RR type numbers used here. */
export const RR = { DNSKEY: 48, RRSIG: 46, DS: 43 } as const;

/** Encodes a name as DNS wire labels; null when a label is empty or too long. */
export function encodeName(name: string): Buffer | null {
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

/** Offset just past the (possibly compressed) name at `at`; -1 when malformed. */
export function skipName(msg: Buffer, at: number): number {
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
  const id = queryId(server);
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
  return udpExchange(server, packet, timeoutMs).then((msg): RawAnswer => {
    if (!Buffer.isBuffer(msg)) return { ok: false, code: msg.code };
    if (msg.length < 12) return { ok: false, code: 'EBADRESP' };
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
    return { ok: true, rcode, types };
  });
}
