import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { fixturesDir, servers } from './support.ts';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '..', '..', 'servers', 'dovecot-oauth.sh');

/** A user of the OAuth Dovecot and the access token the fake identity provider issued for it. */
export interface OAuthAccount {
  readonly user: string;
  readonly token: string;
}

/** A private Dovecot (test/servers/dovecot-oauth.sh) that only takes XOAUTH2, and the fake identity provider behind it. */
export interface OAuthDovecot {
  readonly port: number;
  /** A fresh user name with a fresh, active access token. */
  account(prefix: string): OAuthAccount;
  /** Another active access token for a user. */
  issue(user: string): string;
  /** Makes a token inactive, as the provider does once it expired, now or after `afterLogins` more good logins. */
  expire(token: string, afterLogins?: number): void;
  /** How many times Dovecot asked the provider about a token. */
  introspections(token: string): number;
  /** An implicit-TLS endpoint that logs in as `user` with `token`, verified against the fixture CA. */
  endpoint(account: OAuthAccount): ImapEndpoint;
  /** Dovecot's log so far. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts the fake identity provider (RFC 7662 token introspection over HTTP on 127.0.0.1) and a
 * real Dovecot whose oauth2 passdb asks it about every token.
 */
export async function startOAuthDovecot(): Promise<OAuthDovecot> {
  // token → its user and how many more introspections may still call it active
  const active = new Map<string, { user: string; uses: number }>();
  const asked = new Map<string, number>();
  const idp = createHttpServer((req, res) => void introspect(req, res, active, asked));
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/introspect`;
  const dir = mkdtempSync(join(fixturesDir(), 'dovecot-oauth-'));
  let port = 0;
  try {
    // A port picked free can be taken before Dovecot binds it; another pick is cheap.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const started = await run('sh', [SCRIPT, 'start', dir, String(port), url]).then(
        () => true,
        (e: unknown) => (attempt < 3 ? false : Promise.reject(e as Error)),
      );
      if (started) break;
    }
  } catch (e) {
    idp.close();
    throw e;
  }
  const ca = readFileSync(servers().ca, 'utf8');
  const issue = (user: string): string => {
    // Shaped like a real bearer token, and unique enough that finding it in output is never a coincidence.
    const token = `ya29.${randomBytes(30).toString('base64url')}`;
    active.set(token, { user, uses: Infinity });
    return token;
  };
  return {
    port,
    account(prefix) {
      const user = `${prefix}-${randomBytes(4).toString('hex')}@example.test`;
      return { user, token: issue(user) };
    },
    issue,
    expire(token, afterLogins = 0) {
      const grant = active.get(token);
      if (grant) grant.uses = afterLogins;
    },
    introspections: (token) => asked.get(token) ?? 0,
    endpoint: (a) => ({ host: '127.0.0.1', port, tls: 'implicit', user: a.user, auth: { accessToken: a.token }, ca, servername: 'localhost' }),
    log: () => readFileSync(join(dir, 'log', 'dovecot.log'), 'utf8'),
    async stop() {
      await run('sh', [SCRIPT, 'stop', dir]).catch(() => undefined);
      idp.closeAllConnections();
      await new Promise<void>((r) => idp.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Dovecot's oauth2 passdb with introspection_mode = post sends "token=…" form-encoded; an unknown
// or expired token is {"active": false} (RFC 7662 §2.2), a good one names its user.
async function introspect(req: IncomingMessage, res: ServerResponse, active: Map<string, { user: string; uses: number }>, asked: Map<string, number>): Promise<void> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  const token = new URLSearchParams(body).get('token') ?? '';
  asked.set(token, (asked.get(token) ?? 0) + 1);
  const grant = req.method === 'POST' && req.url === '/introspect' ? active.get(token) : undefined;
  let answer: Record<string, unknown> = { active: false };
  if (grant && grant.uses > 0) {
    grant.uses--;
    answer = { active: true, username: grant.user, scope: 'mail', exp: Math.floor(Date.now() / 1000) + 3600 };
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(answer));
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}
