import type { Transporter } from 'nodemailer';
import type { RelaySettings } from '../../shared/domain/relay.ts';

// An unreachable relay must fail fast, not after nodemailer's two-minute default.
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 } as const;

/** A nodemailer transport for the stored relay; `password` comes from the keychain and is used only when the relay has a user. */
export async function openRelayTransport(relay: RelaySettings, password: string | null): Promise<Transporter> {
  // Loaded when mail is sent: nodemailer is some forty modules that every command composing the services would load otherwise.
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    host: relay.host,
    port: relay.port,
    secure: relay.tls === 'implicit',
    requireTLS: relay.tls === 'starttls',
    ignoreTLS: relay.tls === 'none',
    ...(relay.user && password !== null ? { auth: { user: relay.user, pass: password } } : {}),
    ...TIMEOUTS,
    // nodemailer's own logger would print the message (and the password) at debug level.
    logger: false,
    debug: false,
  });
}

/** The server's answer (or the socket error) of a failed SMTP exchange, on one line. */
export function smtpReason(error: unknown): string {
  // The SMTP error text can quote the envelope but never the body, so it is safe to pass on.
  const e = error as { response?: string; message?: string; code?: string };
  return (e.response ?? e.message ?? e.code ?? String(error)).replace(/\s+/g, ' ').slice(0, 300);
}
