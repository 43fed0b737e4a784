import { connect } from 'node:net';
import { encodeName, skipName, type DnsServer } from './raw-dns.ts';
import { queryId, udpExchange } from './udp-exchange.ts';

/** What one name server said to a direct, non-recursive query. */
export type NsAnswer =
  | { readonly ok: true; readonly rcode: number; readonly authoritative: boolean; readonly serial: number | null; readonly answers: number }
  | { readonly ok: false; readonly code: string };

/** RR type numbers used by the name server probes. */
export const NS_RR = { SOA: 6, TXT: 16 } as const;

function buildQuery(id: number, name: string, type: number): Buffer | null {
  const qname = encodeName(name);
  if (!qname) return null;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  // RD clear: a name server must answer from its own data, which is what "authoritative" means here
  header.writeUInt16BE(0x0000, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(1, 10);
  const question = Buffer.alloc(4);
  question.writeUInt16BE(type, 0);
  question.writeUInt16BE(1, 2);
  // EDNS0 OPT with a 1232-byte UDP size (the DNS flag day 2020 value)
  const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, qname, question, opt]);
}

/** Parses the header flags, RCODE, answer count and the SOA serial (first SOA in the answer) of a response. */
export function parseNsAnswer(msg: Buffer, id: number): NsAnswer {
  if (msg.length < 12 || msg.readUInt16BE(0) !== id) return { ok: false, code: 'EBADRESP' };
  const flags = msg.readUInt16BE(2);
  const qd = msg.readUInt16BE(4);
  const an = msg.readUInt16BE(6);
  let at = 12;
  for (let i = 0; i < qd && at >= 0; i++) {
    at = skipName(msg, at);
    if (at >= 0) at += 4;
  }
  let serial: number | null = null;
  for (let i = 0; i < an && at >= 0 && serial === null; i++) {
    at = skipName(msg, at);
    if (at < 0 || at + 10 > msg.length) break;
    const type = msg.readUInt16BE(at);
    const len = msg.readUInt16BE(at + 8);
    const rdata = at + 10;
    if (type === NS_RR.SOA) {
      // SOA RDATA: MNAME, RNAME, then SERIAL (RFC 1035 §3.3.13)
      let p = skipName(msg, rdata);
      if (p >= 0) p = skipName(msg, p);
      if (p >= 0 && p + 4 <= msg.length) serial = msg.readUInt32BE(p);
    }
    at = rdata + len;
  }
  return { ok: true, rcode: flags & 0x0f, authoritative: (flags & 0x0400) !== 0, serial, answers: an };
}

/** Sends one query straight to a name server over UDP or TCP; never rejects. */
export function nsQuery(server: DnsServer, name: string, type: number, transport: 'udp' | 'tcp', timeoutMs = 2000): Promise<NsAnswer> {
  const id = queryId(server);
  const packet = buildQuery(id, name, type);
  if (!packet) return Promise.resolve({ ok: false, code: 'EBADNAME' });
  return transport === 'udp' ? viaUdp(server, packet, id, timeoutMs) : viaTcp(server, packet, id, timeoutMs);
}

async function viaUdp(server: DnsServer, packet: Buffer, id: number, timeoutMs: number): Promise<NsAnswer> {
  const msg = await udpExchange(server, packet, timeoutMs);
  return Buffer.isBuffer(msg) ? parseNsAnswer(msg, id) : { ok: false, code: msg.code };
}

function viaTcp(server: DnsServer, packet: Buffer, id: number, timeoutMs: number): Promise<NsAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host: server.host, port: server.port });
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEOUT' }), timeoutMs);
    let done = false;
    const finish = (answer: NsAnswer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, code: error.code ?? 'EUNKNOWN' }));
    socket.on('close', () => finish({ ok: false, code: 'ECONNRESET' }));
    socket.on('connect', () => {
      // RFC 1035 §4.2.2: a two-byte length prefix per message over TCP
      const length = Buffer.alloc(2);
      length.writeUInt16BE(packet.length, 0);
      socket.write(Buffer.concat([length, packet]));
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) finish(parseNsAnswer(buffer.subarray(2, 2 + buffer.readUInt16BE(0)), id));
    });
  });
}
