import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { ImapTransport, ImapTransportSocket } from 'imapflow';
import { checkPin } from '../../imap/certificate-pin.ts';

/**
 * An imapflow transport that trusts exactly one certificate, by SHA-256 fingerprint, instead of a
 * CA chain; used for servers with self-signed certificates the admin has checked out of band.
 * The check runs before imapflow sees the socket, so no command (and no password) is sent to an
 * impostor.
 */
export function createPinnedTransport(fingerprint: string): ImapTransport {
  const secureWithPin = (socket: TLSSocket, onReady: () => void): void => {
    socket.once('secureConnect', () => {
      const mismatch = checkPin(socket, fingerprint);
      if (mismatch) socket.destroy(mismatch);
      else onReady();
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
