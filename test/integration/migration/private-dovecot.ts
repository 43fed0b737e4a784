import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { freePort } from '../../support/free-port.ts';
import { fixturesDir, servers } from './support.ts';

const run = promisify(execFile);

/** A user of a private Dovecot. */
export interface PrivateAccount {
  readonly user: string;
  readonly password: string;
}

/** A private Dovecot of one test file, started by a script of test/servers (`SCRIPT start DIR PORT ARGS…`, `SCRIPT stop DIR`). */
export interface PrivateDovecot {
  readonly port: number;
  /** Its directory: dovecot.conf, users, mail/, log/dovecot.log. */
  readonly dir: string;
  /** A fresh user (a line of the passwd-file), ready to log in. */
  account(prefix: string): PrivateAccount;
  /** An implicit-TLS endpoint of the account, verified against the fixture CA. */
  endpoint(account: PrivateAccount): ImapEndpoint;
  stop(): Promise<void>;
}

/** Starts test/servers/`script` on a free port (another pick when the port was taken meanwhile). */
export async function startPrivateDovecot(script: string, args: readonly string[] = []): Promise<PrivateDovecot> {
  const path = join(import.meta.dirname, '..', '..', 'servers', script);
  const dir = mkdtempSync(join(fixturesDir(), `${script.replace(/\.sh$/, '')}-`));
  let port = 0;
  // A port picked free can be taken before Dovecot binds it; another pick is cheap.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const started = await run('sh', [path, 'start', dir, String(port), ...args]).then(
      () => true,
      (e: unknown) => (attempt < 3 ? false : Promise.reject(e as Error)),
    );
    if (started) break;
  }
  const ca = readFileSync(servers().ca, 'utf8');
  return {
    port,
    dir,
    account(prefix) {
      const account = { user: `${prefix}-${randomBytes(4).toString('hex')}@example.test`, password: randomBytes(9).toString('base64url') };
      appendFileSync(join(dir, 'users'), `${account.user}:{PLAIN}${account.password}::::::\n`);
      // Dovecot looks at a changed passwd-file at most once per wall-clock second (see support.ts freshUser).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1020 - (Date.now() % 1000));
      return account;
    },
    endpoint: (a) => ({ host: '127.0.0.1', port, tls: 'implicit', user: a.user, auth: { password: a.password }, ca, servername: 'localhost' }),
    async stop() {
      await run('sh', [path, 'stop', dir]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
