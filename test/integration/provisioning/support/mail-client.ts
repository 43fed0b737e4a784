import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';

/** Logs in over IMAP; resolves to the INBOX message count, or 'refused' when authentication fails. */
export async function imapLogin(port: number, user: string, pass: string): Promise<number | 'refused'> {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass }, logger: false });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { authenticationFailed?: boolean }).authenticationFailed) return 'refused';
    throw error;
  }
  try {
    const status = await client.status('INBOX', { messages: true });
    return status ? (status.messages ?? 0) : 0;
  } finally {
    await client.logout().catch(() => undefined);
  }
}

/** A message of roughly `size` bytes. */
export function message(subject: string, size = 200): string {
  const body = 'x'.repeat(76) + '\r\n';
  return [`From: sender@remote.test`, `Subject: ${subject}`, `Message-ID: <${subject.replace(/\W/g, '')}.${Date.now()}@remote.test>`, '', body.repeat(Math.max(1, Math.ceil(size / 78)))].join('\r\n');
}

/** Delivers over LMTP; resolves to the accepted and rejected recipients. */
export async function deliverLmtp(port: number, to: readonly string[], raw: string): Promise<{ accepted: string[]; rejected: string[]; response: string }> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, lmtp: true, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ envelope: { from: 'sender@remote.test', to: [...to] }, raw });
    return { accepted: info.accepted.map(String), rejected: info.rejected.map(String), response: info.response };
  } catch (error) {
    return { accepted: [], rejected: [...to], response: String((error as { response?: string }).response ?? (error as Error).message) };
  } finally {
    transport.close();
  }
}

/** Submits over SMTP (to Postfix). */
export async function sendSmtp(port: number, to: readonly string[], raw: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from: 'sender@remote.test', to: [...to] }, raw });
  } finally {
    transport.close();
  }
}

/** Polls until `probe` returns true or the deadline passes. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 150));
  }
  return probe();
}
