import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';

/** How a scripted name server answers every query. */
export interface FakeNsScript {
  /** RCODE to answer with (5 = REFUSED); 0 answers a SOA record. */
  readonly rcode: number;
  readonly authoritative: boolean;
  readonly serial: number;
  /** Listen on TCP as well as UDP. */
  readonly tcp: boolean;
}

function answer(query: Buffer, script: FakeNsScript): Buffer | null {
  if (query.length < 12) return null;
  let at = 12;
  while (at < query.length && query[at] !== 0) at += query[at]! + 1;
  const question = query.subarray(12, at + 5);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  header.writeUInt16BE(0x8000 | (script.authoritative ? 0x0400 : 0) | script.rcode, 2);
  header.writeUInt16BE(1, 4);
  if (script.rcode !== 0) return Buffer.concat([header, question]);
  header.writeUInt16BE(1, 6);
  // SOA at the question name (pointer 0xc00c), root MNAME/RNAME, then the five 32-bit timers
  const rr = Buffer.alloc(12 + 22);
  rr.writeUInt16BE(0xc00c, 0);
  rr.writeUInt16BE(6, 2);
  rr.writeUInt16BE(1, 4);
  rr.writeUInt32BE(300, 6);
  rr.writeUInt16BE(22, 10);
  rr.writeUInt32BE(script.serial, 14);
  for (const [i, v] of [3600, 600, 1209600, 300].entries()) rr.writeUInt32BE(v, 18 + i * 4);
  return Buffer.concat([header, question, rr]);
}

/** Starts a scripted name server on `host:port` (UDP, optionally TCP); for lame, serial and TCP fixtures. */
export async function fakeNameServer(host: string, port: number, script: FakeNsScript): Promise<{ close(): Promise<void> }> {
  const udp = createSocket('udp4');
  udp.on('message', (msg, peer) => {
    const out = answer(msg, script);
    if (out) udp.send(out, peer.port, peer.address);
  });
  await new Promise<void>((done) => udp.bind(port, host, done));
  const sockets = new Set<Socket>();
  const tcp = script.tcp
    ? createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => {
          const out = answer(chunk.subarray(2), script);
          if (!out) return;
          const length = Buffer.alloc(2);
          length.writeUInt16BE(out.length, 0);
          socket.write(Buffer.concat([length, out]));
        });
      })
    : null;
  if (tcp) await new Promise<void>((done) => tcp.listen(port, host, done));
  return {
    close: async () => {
      sockets.forEach((s) => s.destroy());
      udp.close();
      if (tcp) await new Promise<void>((done) => tcp.close(() => done()));
    },
  };
}
