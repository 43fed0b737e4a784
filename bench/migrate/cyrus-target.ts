// A Cyrus IMAP 3.6 target for bench/migrate (`run.ts --cyrus`): one instance of test/servers/cyrus.sh
// under $PAIR_DIR/cyrus, Debian's defaults (separator ".", munge8bit on), IMAPS on $CYRUS_PORT+1.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

const REPO = join(import.meta.dirname, '..', '..');
const SCRIPT = join(REPO, 'test/servers/cyrus.sh');

/** A running bench Cyrus: its IMAPS port, the CA that issued its certificate and its own certificate. */
export interface CyrusTarget {
  readonly imapsPort: number;
  readonly ca: string;
  readonly cert: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Starts (or restarts, emptied) the bench Cyrus next to the Dovecot pair in `pair`. */
export function startCyrusTarget(pair: string): CyrusTarget {
  const port = Number(process.env['CYRUS_PORT'] ?? 25143);
  const fixtures = join(pair, 'cyrus-fixtures');
  const dir = join(pair, 'cyrus');
  mkdirSync(fixtures, { recursive: true });
  const env = { ...process.env, MAILROOM_FIXTURES: fixtures, CYRUS_DIR: dir, CYRUS_IMAP_PORT: String(port), CYRUS_IMAPS_PORT: String(port + 1) };
  execFileSync('sh', [join(REPO, 'test/servers/ca.sh'), 'init'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('sh', [SCRIPT, 'start'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return { imapsPort: port + 1, ca: join(fixtures, 'ca', 'ca.pem'), cert: join(dir, 'ssl', 'cert.pem'), env };
}

/** Stops the bench Cyrus. */
export function stopCyrusTarget(target: CyrusTarget): void {
  execFileSync('sh', [SCRIPT, 'stop'], { env: target.env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Adds a sasldb user (its folders appear at first login). */
export function addCyrusUser(target: CyrusTarget, user: string, password: string): void {
  execFileSync('sh', [SCRIPT, 'useradd', user], { env: target.env, input: `${password}\n`, stdio: ['pipe', 'ignore', 'inherit'] });
}

/** Messages in every folder of `user`, counted with STATUS. */
export async function countCyrusMessages(target: CyrusTarget, user: string, password: string): Promise<number> {
  const client = new ImapFlow({ host: '127.0.0.1', port: target.imapsPort, secure: true, auth: { user, pass: password }, tls: { ca: readFileSync(target.ca, 'utf8'), servername: 'localhost' }, logger: false });
  client.on('error', () => undefined);
  await client.connect();
  const folders = await client.list({ statusQuery: { messages: true } });
  await client.logout();
  return folders.reduce((n, f) => n + (f.status?.messages ?? 0), 0);
}
