import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { openSession } from '../../../electron/imap/session.ts';
import { startPrivateDovecot, type PrivateAccount } from './private-dovecot.ts';

/** A user of the stock Dovecot. */
export type StockAccount = PrivateAccount;

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
  const dovecot = await startPrivateDovecot('dovecot-stock.sh', [String(limit)]);
  const log = (): string[] => readFileSync(join(dovecot.dir, 'log', 'dovecot.log'), 'utf8').split('\n');
  return {
    port: dovecot.port,
    account: (prefix) => dovecot.account(prefix),
    endpoint: (a) => dovecot.endpoint(a),
    count: (user, from = 0) => countOf(log().slice(from), user),
    logLines: () => log().length - 1,
    async hold(account, n) {
      const sessions = await Promise.all(Array.from({ length: n }, () => openSession(dovecot.endpoint(account))));
      const failed = sessions.find((s) => !s.ok);
      if (failed && !failed.ok) throw new Error(`holding ${n} sessions: ${failed.error.message}`);
      return async () => {
        for (const s of sessions) if (s.ok) s.value.socket.destroy();
        // The server counts a session until its imap process has seen the close.
        await new Promise((r) => setTimeout(r, 300));
      };
    },
    stop: () => dovecot.stop(),
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
