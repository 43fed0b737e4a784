import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { openSession } from '../../../electron/imap/session.ts';
import { freePort } from '../../support/free-port.ts';
import { fixturesDir, servers } from './support.ts';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '..', '..', 'servers', 'dovecot-stock.sh');

/** A user of the stock Dovecot. */
export interface StockAccount {
  readonly user: string;
  readonly password: string;
}

/** What the server's log says of one user's connections. */
export interface ServerCount {
  /** The most connections the user had logged in at once. */
  readonly peak: number;
  /** Logins the server refused as over mail_max_userip_connections. */
  readonly refused: number;
}

/** A private Dovecot at the stock connection limit (test/servers/dovecot-stock.sh). */
export interface StockDovecot {
  readonly port: number;
  /** A fresh user (a line of the passwd-file), ready to log in. */
  account(prefix: string): StockAccount;
  /** An implicit-TLS endpoint of the account, verified against the fixture CA. */
  endpoint(account: StockAccount): ImapEndpoint;
  /** The server's count for `user` from its log: logins and logouts in the server's order (the log's line after `from`). */
  count(user: string, from?: number): ServerCount;
  /** Lines in the log so far (a `from` for count). */
  logLines(): number;
  /** Logs `n` other sessions of the account in, as another mail client would hold them; returns their logout. */
  hold(account: StockAccount, n: number): Promise<() => Promise<void>>;
  stop(): Promise<void>;
}

/** Starts a private Dovecot whose users may hold Dovecot's stock 10 connections each (or `limit`). */
export async function startStockDovecot(limit = 10): Promise<StockDovecot> {
  const dir = mkdtempSync(join(fixturesDir(), 'dovecot-stock-'));
  let port = 0;
  // A port picked free can be taken before Dovecot binds it; another pick is cheap.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const started = await run('sh', [SCRIPT, 'start', dir, String(port), String(limit)]).then(
      () => true,
      (e: unknown) => (attempt < 3 ? false : Promise.reject(e as Error)),
    );
    if (started) break;
  }
  const ca = readFileSync(servers().ca, 'utf8');
  const log = (): string[] => readFileSync(join(dir, 'log', 'dovecot.log'), 'utf8').split('\n');
  const endpoint = (a: StockAccount): ImapEndpoint => ({ host: '127.0.0.1', port, tls: 'implicit', user: a.user, auth: { password: a.password }, ca, servername: 'localhost' });
  return {
    port,
    account(prefix) {
      const account = { user: `${prefix}-${randomBytes(4).toString('hex')}@example.test`, password: randomBytes(9).toString('base64url') };
      appendFileSync(join(dir, 'users'), `${account.user}:{PLAIN}${account.password}::::::\n`);
      // Dovecot looks at a changed passwd-file at most once per wall-clock second (see support.ts freshUser).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1020 - (Date.now() % 1000));
      return account;
    },
    endpoint,
    count: (user, from = 0) => countOf(log().slice(from), user),
    logLines: () => log().length - 1,
    async hold(account, n) {
      const sessions = await Promise.all(Array.from({ length: n }, () => openSession(endpoint(account))));
      const failed = sessions.find((s) => !s.ok);
      if (failed && !failed.ok) throw new Error(`holding ${n} sessions: ${failed.error.message}`);
      return async () => {
        for (const s of sessions) if (s.ok) s.value.socket.destroy();
        // The server counts a session until its imap process has seen the close.
        await new Promise((r) => setTimeout(r, 300));
      };
    },
    async stop() {
      await run('sh', [SCRIPT, 'stop', dir]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// "imap-login: Info: Login: user=<u>, …, mpid=N" opens a session; "imap(u)<N><…>: Info: Disconnected: …" ends it.
function countOf(lines: readonly string[], user: string): ServerCount {
  const live = new Set<string>();
  let peak = 0;
  let refused = 0;
  for (const line of lines) {
    const login = /imap-login: (?:Info: )?Login: user=<([^>]*)>.*\bmpid=(\d+)/.exec(line);
    if (login?.[1] === user) {
      live.add(login[2]!);
      peak = Math.max(peak, live.size);
      continue;
    }
    const out = /imap\(([^)]*)\)<(\d+)><[^>]*>: (?:Info: )?Disconnected/.exec(line);
    if (out?.[1] === user) live.delete(out[2]!);
    else if (line.includes('Maximum number of connections') && line.includes(`user=<${user}>`)) refused++;
  }
  return { peak, refused };
}
