import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { TlsMode } from '../../shared/domain/connection.ts';
import { normalizeFingerprint } from './certificate-pin.ts';

/**
 * The SHA-256 fingerprint of the certificate an IMAP server presents, read without trusting it
 * (nothing is sent but STARTTLS, never a login), so a test that failed on the certificate can offer
 * to pin it. Null when the server cannot be reached or offers no TLS.
 */
export async function peerFingerprint(target: { host: string; port: number; tls: TlsMode; servername?: string }, timeoutMs = 10_000): Promise<string | null> {
  if (target.tls === 'none') return null;
  return new Promise((resolve) => {
    let settled = false;
    const sockets: Socket[] = [];
    const done = (value: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    const secure = (options: { socket?: Socket }): void => {
      const servername = target.servername ?? (/^[\d.:]+$/.test(target.host) ? undefined : target.host);
      const tls: TLSSocket = tlsConnect({ host: target.host, port: target.port, ...options, ...(servername ? { servername } : {}), rejectUnauthorized: false });
      sockets.push(tls);
      tls.once('secureConnect', () => done(normalizeFingerprint(tls.getPeerCertificate().fingerprint256 ?? '') || null));
      tls.once('error', () => done(null));
    };
    if (target.tls === 'implicit') return secure({});
    const plain = netConnect({ host: target.host, port: target.port });
    sockets.push(plain);
    plain.once('error', () => done(null));
    let buffered = '';
    let asked = false;
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('latin1');
      if (!asked && buffered.includes('\r\n')) {
        asked = true;
        buffered = '';
        plain.write('M1 STARTTLS\r\n');
      } else if (asked && /^M1 (OK|NO|BAD)/m.test(buffered)) {
        plain.off('data', onData);
        if (/^M1 OK/m.test(buffered)) secure({ socket: plain });
        else done(null);
      }
    };
    plain.on('data', onData);
  });
}
