import { createServer as createHttps, type Server as HttpsServer } from 'node:https';
import { createServer as createTcp, type Server, type Socket } from 'node:net';
import { TLSSocket, type SecureContextOptions } from 'node:tls';

/** How a scripted SMTP listener behaves after EHLO. */
export type SmtpBehaviour = 'no-starttls' | 'starttls' | 'broken-tls';

/** Extra knobs of a scripted SMTP listener: the announced host name and TLS settings (e.g. TLS 1.1 only). */
export interface SmtpListenerOptions {
  readonly hostname?: string;
  /** Accept RCPT TO for any domain (an open relay). */
  readonly openRelay?: boolean;
  readonly tls?: Pick<SecureContextOptions, 'minVersion' | 'maxVersion' | 'ciphers'>;
}

/** Starts an SMTP listener on 127.0.0.1 (port 0) that speaks just enough RFC 5321 for the STARTTLS probe. */
export async function smtpListener(behaviour: SmtpBehaviour, tls?: { cert: string; key: string }, opts: SmtpListenerOptions = {}): Promise<{ port: number; close(): Promise<void> }> {
  const host = opts.hostname ?? 'mx.test';
  const sockets = new Set<Socket>();
  const server: Server = createTcp((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write(`220 ${host} ESMTP scripted\r\n`);
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('latin1');
      let at: number;
      while ((at = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, at).toUpperCase();
        buffer = buffer.slice(at + 2);
        if (line.startsWith('EHLO')) socket.write(behaviour === 'no-starttls' ? `250-${host}\r\n250 PIPELINING\r\n` : `250-${host}\r\n250-PIPELINING\r\n250 STARTTLS\r\n`);
        else if (line === 'STARTTLS') {
          socket.off('data', onData);
          socket.write('220 ready\r\n');
          if (behaviour === 'broken-tls') socket.end('this is not a TLS server hello\r\n');
          else {
            const secure = new TLSSocket(socket, { isServer: true, cert: tls!.cert, key: tls!.key, ...opts.tls });
            secure.on('error', () => undefined);
            secure.on('data', (d: Buffer) => {
              if (d.toString().toUpperCase().startsWith('QUIT')) secure.end('221 bye\r\n');
            });
          }
          return;
        } else if (line === 'QUIT') socket.end('221 bye\r\n');
        else if (line.startsWith('MAIL FROM:') || line === 'RSET') socket.write('250 ok\r\n');
        else if (line.startsWith('RCPT TO:')) socket.write(opts.openRelay ? '250 ok\r\n' : '554 5.7.1 relay access denied\r\n');
        else socket.write('502 not scripted\r\n');
      }
    };
    socket.on('data', onData);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((done) => server.close(() => done()));
    },
  };
}

/** What the policy host answers for one Host header. */
export interface PolicyAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly location?: string;
}

/** Starts an HTTPS policy host on 127.0.0.1 (port 0) that answers per `Host` header. */
export async function policyHost(tls: { cert: string; key: string }, answers: Record<string, PolicyAnswer>): Promise<{ port: number; close(): Promise<void> }> {
  const server: HttpsServer = createHttps({ cert: tls.cert, key: tls.key }, (req, res) => {
    const answer = answers[String(req.headers.host ?? '').replace(/:\d+$/, '')];
    if (!answer || req.url !== '/.well-known/mta-sts.txt') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.contentType, ...(answer.location ? { location: answer.location } : {}) }).end(answer.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
