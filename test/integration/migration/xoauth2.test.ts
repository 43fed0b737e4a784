import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { runMigration, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { loadCorpus, readMailbox, seedMailbox } from '../../support/migration-corpus.ts';
import { runCli } from '../../support/run-cli.ts';
import { compareMailboxes } from './compare.ts';
import { startOAuthDovecot, type OAuthDovecot } from './oauth-dovecot.ts';
import { endpointFor, finalLine, freshUser, reportLine, servers, urlFor, withLines, type CliRun } from './support.ts';

const stateFile = (): string => join(mkdtempSync(join(tmpdir(), 'mailroom-oauth-')), 'state.db');

/** `mailroom migrate …` with secrets in its environment (never in argv); `output` is all it printed. */
async function cli(args: readonly string[], secrets: Record<string, string>): Promise<CliRun & { output: string }> {
  const env = { ...secrets, MAILROOM_HOME: mkdtempSync(join(tmpdir(), 'mailroom-home-')) };
  const run = await runCli(['migrate', '--ca', servers().ca, ...args], { env });
  return { ...withLines(run), output: run.stdout + run.stderr };
}

function migrate(source: ImapEndpoint, target: ImapEndpoint): Promise<MigrationSummary> {
  return runMigration({ source, target, store: new StateStore(openDatabase(stateFile()), 'job'), verify: true, concurrency: 2 });
}

/** The forms of each token found in `text`: as is, or inside the base64 XOAUTH2 initial response for any of `users`. */
function leaked(text: string, tokens: readonly string[], users: readonly string[]): string[] {
  const forms = tokens.flatMap((t) => [t, ...users.map((u) => Buffer.from(`user=${u}\x01auth=Bearer ${t}\x01\x01`).toString('base64'))]);
  return forms.filter((f) => text.includes(f));
}

async function count(endpoint: ImapEndpoint): Promise<number> {
  let n = 0;
  for (const list of (await readMailbox(endpoint)).values()) n += list.length;
  return n;
}

let dovecot: OAuthDovecot;
beforeAll(async () => {
  dovecot = await startOAuthDovecot();
});
afterAll(async () => {
  await dovecot?.stop();
});

describe('migration with SASL XOAUTH2 against a Dovecot that checks tokens with an identity provider', () => {
  it('copies every message when both sides log in with access tokens', async () => {
    const src = dovecot.account('xsrc');
    const dst = dovecot.account('xdst');
    await seedMailbox(dovecot.endpoint(src), loadCorpus(30));
    const summary = await migrate(dovecot.endpoint(src), dovecot.endpoint(dst));
    expect(summary.error).toBeNull();
    expect([summary.copied, summary.failed, summary.complete]).toEqual([30, 0, true]);
    const cmp = await compareMailboxes(dovecot.endpoint(src), dovecot.endpoint(dst));
    expect([cmp.missing, cmp.extra, cmp.targetMessages]).toEqual([[], [], 30]);
    // The listing client (imapflow) and the raw upload/fetch connections each logged in with the token.
    const logins = (user: string): string[] => dovecot.log().split('\n').filter((l) => l.includes(`Login: user=<${user}>`));
    for (const a of [src, dst]) {
      expect(logins(a.user).length, a.user).toBeGreaterThanOrEqual(2);
      expect(logins(a.user).every((l) => l.includes('method=XOAUTH2'))).toBe(true);
      expect(dovecot.introspections(a.token)).toBeGreaterThanOrEqual(logins(a.user).length);
    }
  });

  it("refuses an unknown, an expired or another user's token as imap.auth, copies nothing, and never repeats the token", async () => {
    const src = dovecot.account('asrc');
    const dst = dovecot.account('adst');
    await seedMailbox(dovecot.endpoint(src), loadCorpus(5));
    const expired = dovecot.issue(dst.user);
    dovecot.expire(expired);
    const unknown = `ya29.${randomBytes(30).toString('base64url')}`;
    const cases: { name: string; source: ImapEndpoint; target: ImapEndpoint; who: string; token: string }[] = [
      { name: 'unknown source token', source: dovecot.endpoint({ user: src.user, token: unknown }), target: dovecot.endpoint(dst), who: src.user, token: unknown },
      { name: 'expired target token', source: dovecot.endpoint(src), target: dovecot.endpoint({ user: dst.user, token: expired }), who: dst.user, token: expired },
      { name: "the target user's token on the source", source: dovecot.endpoint({ user: src.user, token: dst.token }), target: dovecot.endpoint(dst), who: src.user, token: dst.token },
    ];
    for (const c of cases) {
      const asked = dovecot.introspections(c.token);
      const summary = await migrate(c.source, c.target);
      expect(summary.error?.code, c.name).toBe('imap.auth');
      expect(summary.error?.message, c.name).toContain(c.who);
      expect([summary.copied, summary.complete], c.name).toEqual([0, false]);
      // Dovecot really asked the provider, so the refusal is the token's, not a configuration accident.
      expect(dovecot.introspections(c.token), c.name).toBeGreaterThan(asked);
      expect(leaked(JSON.stringify(summary), [src.token, dst.token, expired, unknown], [src.user, dst.user]), c.name).toEqual([]);
    }
    expect(await count(dovecot.endpoint(dst))).toBe(0);
    expect(await count(dovecot.endpoint(src))).toBe(5);
  });

  it('stops with imap.auth when the target token expires between the listing login and the upload logins', async () => {
    const src = dovecot.account('msrc');
    const dst = dovecot.account('mdst');
    await seedMailbox(dovecot.endpoint(src), loadCorpus(5));
    // The listing client (imapflow) logs in first; the raw upload connection's own XOAUTH2 login is the one refused.
    dovecot.expire(dst.token, 1);
    const summary = await migrate(dovecot.endpoint(src), dovecot.endpoint(dst));
    expect(summary.error?.code).toBe('imap.auth');
    expect(summary.error?.message).toContain(dst.user);
    expect([summary.copied, summary.complete]).toEqual([0, false]);
    // One good login, then at most one refused attempt from each connection the run opens at once
    // (two upload connections and one for bookkeeping); a refused login is never retried.
    expect(dovecot.introspections(dst.token)).toBeGreaterThanOrEqual(2);
    expect(dovecot.introspections(dst.token)).toBeLessThanOrEqual(4);
    expect(leaked(JSON.stringify(summary), [dst.token], [dst.user])).toEqual([]);
    dovecot.expire(dst.token, Infinity);
    expect(await count(dovecot.endpoint(dst))).toBe(0);
  });
});

describe('mailroom migrate --source-auth / --target-auth xoauth2', () => {
  it('takes the target token from MAILROOM_TARGET_TOKEN and copies everything', async () => {
    const src = freshUser('cxsrc');
    const dst = dovecot.account('cxdst');
    await seedMailbox(endpointFor(src), loadCorpus(20));
    const args = ['--json', '--source', urlFor(src), '--target', urlFor(dst, dovecot.port), '--target-auth', 'xoauth2', '--state', stateFile()];
    const run = await cli(args, { MAILROOM_SOURCE_PASSWORD: src.password, MAILROOM_TARGET_TOKEN: dst.token });
    expect(run.code, run.stderr).toBe(0);
    expect(finalLine(run)).toMatchObject({ copied: 20, failed: 0 });
    expect(reportLine(run)).toMatchObject({ complete: true, error: null });
    const cmp = await compareMailboxes(endpointFor(src), dovecot.endpoint(dst));
    expect([cmp.missing, cmp.extra, cmp.targetMessages]).toEqual([[], [], 20]);
    expect(leaked(run.output, [dst.token], [dst.user])).toEqual([]);
  });

  it('fails an expired source token with exit 1 and imap.auth, copies nothing, and prints or stores no token', async () => {
    const src = dovecot.account('cesrc');
    await seedMailbox(dovecot.endpoint(src), loadCorpus(5));
    dovecot.expire(src.token);
    const dst = freshUser('cedst');
    const env = { MAILROOM_SOURCE_TOKEN: src.token, MAILROOM_TARGET_PASSWORD: dst.password };
    const state = stateFile();
    const base = ['--source', urlFor(src, dovecot.port), '--source-auth', 'xoauth2', '--target', urlFor(dst), '--state', state];

    const json = await cli([...base, '--json'], env);
    expect(json.code, json.stderr).toBe(1);
    expect(reportLine(json)).toMatchObject({ complete: false, error: { code: 'imap.auth' } });
    expect(finalLine(json)).toMatchObject({ copied: 0 });
    const human = await cli(base, env);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('error [imap.auth]');
    expect(human.stderr).toContain(src.user);
    expect(human.lines.at(-1)).toMatch(/^NOT complete/);

    expect(leaked(json.output + human.output, [src.token], [src.user])).toEqual([]);
    // The state database (with its WAL, if any) records the job's error; it must not hold the secret.
    for (const f of readdirSync(dirname(state))) expect(leaked(readFileSync(join(dirname(state), f)).toString('latin1'), [src.token], [src.user]), f).toEqual([]);
    expect(await count(endpointFor(dst))).toBe(0);
  });
});
