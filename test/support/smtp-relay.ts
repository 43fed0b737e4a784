import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message the relay accepted. */
export interface RelayedMessage {
  readonly from: string;
  readonly to: string[];
  readonly raw: string;
  /** The login it was sent with, or null when unauthenticated. */
  readonly user: string | null;
}

/** A running loopback relay. */
export interface SmtpRelay {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts a plain-text SMTP relay on 127.0.0.1 that accepts one login (optional) and appends each message to
 * `received`; with `refuseData` it takes the login and the envelope but answers every message with a 554.
 */
export async function startSmtpRelay(received: RelayedMessage[], login: { readonly user: string; readonly password: string }, options: { readonly refuseData?: boolean } = {}): Promise<SmtpRelay> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onAuth: (auth, _session, cb) => (auth.username === login.user && auth.password === login.password ? cb(null, { user: auth.username }) : cb(new Error('Invalid username or password'))),
    onData: (stream, session, cb) => {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        if (options.refuseData) return cb(Object.assign(new Error('Message refused by policy'), { responseCode: 554 }));
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, user: (session.user as string | undefined) ?? null });
        cb();
      });
    },
    logger: false,
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return {
    port: (smtp.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
