import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import type { TestServers } from './servers.ts';

async function fetchOnce(servers: TestServers, user: { user: string; password: string }, messageId: string): Promise<string | null> {
  const client = new ImapFlow({ host: servers.imap.host, port: servers.imap.imapsPort, secure: true, tls: { ca: readFileSync(servers.ca, 'utf8'), servername: 'localhost' }, auth: { user: user.user, pass: user.password }, logger: false });
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
      if (!uids || uids.length === 0) return null;
      const message = await client.fetchOne(String(uids[0]), { source: true }, { uid: true });
      return message && message.source ? message.source.toString('utf8') : null;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => undefined);
  }
}

/** The raw message with this Message-ID in a user's INBOX on the test Dovecot, waiting up to `timeoutMs` for delivery; null when it never came. */
export async function fetchByMessageId(servers: TestServers, user: { user: string; password: string }, messageId: string, timeoutMs = 20_000): Promise<string | null> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const raw = await fetchOnce(servers, user, messageId);
    if (raw !== null || Date.now() > end) return raw;
    await new Promise((r) => setTimeout(r, 200));
  }
}
