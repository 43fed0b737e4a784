import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { ImapTransport, ImapTransportSocket } from 'imapflow';

/** Normalises a SHA-256 fingerprint to upper-case, colon-separated hex. */
export function normalizeFingerprint(value: string): string {
  return (value.replace(/[^0-9a-fA-F]/g, '').toUpperCase().match(/../g) ?? []).join(':');
}

/** Raised when the server's certificate is not the pinned one. */
export class CertificatePinMismatch extends Error {
  override readonly name = 'CertificatePinMismatch';
  readonly code = 'CERT_PIN_MISMATCH';
}

/**
 * An imapflow transport that trusts exactly one certificate, by SHA-256 fingerprint, instead of a
 * CA chain; used for servers with self-signed certificates the admin has checked out of band.
 * The check runs before imapflow sees the socket, so no command (and no password) is sent to an
 * impostor.
 */
export function createPinnedTransport(fingerprint: string): ImapTransport {
  const expected = normalizeFingerprint(fingerprint);
  const secureWithPin = (socket: TLSSocket, onReady: () => void): void => {
    socket.once('secureConnect', () => {
      const actual = socket.getPeerCertificate().fingerprint256 ?? '';
      if (normalizeFingerprint(actual) !== expected) {
        socket.destroy(new CertificatePinMismatch(`The server presented certificate ${actual}, not the pinned ${expected}.`));
        return;
      }
      onReady();
    });
  };
  return {
    connect(options, onConnect): ImapTransportSocket {
      if (!options.secure) {
        const plain: Socket = netConnect({ host: options.host, port: options.port }, onConnect);
        return plain as ImapTransportSocket;
      }
      const socket = tlsConnect({
        ...options.tls,
        host: options.host,
        port: options.port,
        ...(options.servername ? { servername: options.servername } : {}),
        rejectUnauthorized: false,
      });
      secureWithPin(socket, onConnect);
      return socket as ImapTransportSocket;
    },
    upgrade(socket, options, onSecure): ImapTransportSocket {
      const secure = tlsConnect({
        ...options.tls,
        socket: socket as Socket,
        ...(options.servername ? { servername: options.servername } : {}),
        rejectUnauthorized: false,
      });
      secureWithPin(secure, onSecure);
      return secure as ImapTransportSocket;
    },
  } as ImapTransport;
}
