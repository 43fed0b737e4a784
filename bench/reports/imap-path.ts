// The IMAP half of bench/reports: the same report messages APPENDed to a real Dovecot mailbox (the loopback test
// servers, under test/servers/with-servers.sh), then read by `mailroom reports ingest --connection`.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { freshUser, servers } from '../../test/integration/migration/support.ts';

/** A Dovecot mailbox holding the corpus, and the saved connection that reads it. */
export interface ImapCorpus {
  readonly user: string;
  readonly password: string;
  readonly appendSeconds: number;
}

/** Whether the loopback servers are up (the bench runs inside with-servers.sh). */
export const serversUp = (): boolean => process.env['MAILROOM_SERVERS'] !== undefined;

/** Creates a fresh Dovecot user and APPENDs every message to its "DMARC" folder. */
export async function loadMailbox(messages: readonly string[]): Promise<ImapCorpus> {
  const account = freshUser('bench-reports');
  const s = servers();
  const client = new ImapFlow({
    host: s.imap.host, port: s.imap.imapsPort, secure: true, auth: { user: account.user, pass: account.password },
    tls: { ca: readFileSync(s.ca, 'utf8'), servername: 'localhost' }, logger: false,
  });
  client.on('error', () => undefined);
  const started = performance.now();
  await client.connect();
  await client.mailboxCreate('DMARC');
  for (const file of messages) await client.append('DMARC', readFileSync(file));
  await client.logout();
  return { ...account, appendSeconds: (performance.now() - started) / 1000 };
}

/** The `connections add` arguments and environment for the Dovecot mailbox (its password through the keychain). */
export function connectionArgs(corpus: ImapCorpus): { args: string[]; env: NodeJS.ProcessEnv } {
  const s = servers();
  return {
    args: ['connections', 'add', '--name', 'bench-imap', '--host', s.imap.host, '--port', String(s.imap.imapsPort), '--tls', 'implicit', '--user', corpus.user, '--password-env', 'BENCH_IMAP_PW', '--json'],
    env: { BENCH_IMAP_PW: corpus.password, MAILROOM_KEYCHAIN_SERVICE: `Mailroom-bench-${randomUUID()}`, NODE_EXTRA_CA_CERTS: s.ca },
  };
}
