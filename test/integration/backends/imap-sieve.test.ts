import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImapOnlyAdapter } from '../../../electron/backends/imap/imap-only-adapter.ts';
import { ManageSieveSession, type ManageSieveEndpoint } from '../../../electron/backends/managesieve/managesieve-client.ts';
import type { ImapSettings } from '../../../shared/domain/connection.ts';
import { addImapUsersKnown, testServers } from '../../support/servers.ts';
import { closedPort } from '../../support/closed-port.ts';
import { collectResult as collect } from './collect.ts';

const run = promisify(execFile);

const servers = testServers();
const endpoint: ManageSieveEndpoint = { host: servers.imap.host, port: servers.imap.managesievePort, security: 'starttls' };
const sessions: ManageSieveSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

const pool = Array.from({ length: 6 }, () => ({ user: `sieve-${randomBytes(4).toString('hex')}@imap.routing.test`, password: `Pw-${randomBytes(6).toString('hex')}` }));
beforeAll(() => addImapUsersKnown(servers, pool), 30_000);

/** A Dovecot user of its own for one test, and the IMAP-only connection settings that reach it. */
function freshUser(): { user: string; password: string; settings: ImapSettings } {
  const { user, password } = pool.pop()!;
  return { user, password, settings: { host: servers.imap.host, port: servers.imap.port, tls: 'starttls', user, sievePort: servers.imap.managesievePort } };
}

/** Logs in over ManageSieve as the user, the way a mail client's filter editor does. */
async function sieveAs(user: string, password: string): Promise<ManageSieveSession> {
  const opened = await ManageSieveSession.open(endpoint, user, password);
  if (!opened.ok) throw new Error(opened.error.message);
  sessions.push(opened.value);
  return opened.value;
}

/** Dovecot's own view of the user's scripts (doveadm sieve list), the judge independent of Mailroom's client. */
async function doveadmScripts(user: string): Promise<string> {
  const [cmd, ...args] = servers.doveadm;
  return (await run(cmd!, [...args, 'sieve', 'list', '-u', user])).stdout;
}

describe('IMAP-only connections read forwards from the active Sieve script over ManageSieve (real Dovecot Pigeonhole)', () => {
  it('reads the redirects of a script uploaded with PUTSCRIPT and made active with SETACTIVE', async () => {
    const { user, password, settings } = freshUser();
    const sieve = await sieveAs(user, password);
    const script = 'require ["copy"];\n# forwards for the holidays\nredirect :copy "eva@home.example";\nredirect "Desk@Partner.example";\n';
    expect(await sieve.putScript('forwards', script)).toEqual({ ok: true, value: undefined });
    expect(await sieve.setActive('forwards')).toEqual({ ok: true, value: undefined });
    expect(await doveadmScripts(user)).toMatch(/^forwards ACTIVE$/m);
    expect(await sieve.getScript('forwards')).toEqual({ ok: true, value: script });

    const adapter = new ImapOnlyAdapter(settings, password);
    const read = await collect(adapter.listForwarding(null));
    // Two redirects, one without :copy and no keep: the mailbox itself keeps nothing.
    expect(read).toEqual({ ok: true, value: [{ address: user, targets: ['eva@home.example', 'desk@partner.example'], keepCopy: false, state: 'active' }] });
    expect(await collect(adapter.listMailboxes(null))).toMatchObject({ ok: true, value: [{ address: user, domain: 'imap.routing.test' }] });
    expect(await collect(adapter.listDomains())).toMatchObject({ ok: true, value: [{ name: 'imap.routing.test' }] });
  });

  it('reads no forwards when the user has no script, or only an inactive one', async () => {
    const { user, password, settings } = freshUser();
    const adapter = new ImapOnlyAdapter(settings, password);
    expect(await collect(adapter.listForwarding(null))).toEqual({ ok: true, value: [] });

    const sieve = await sieveAs(user, password);
    expect((await sieve.putScript('draft', 'redirect "someone@else.example";\n')).ok).toBe(true);
    expect(await sieve.listScripts()).toEqual({ ok: true, value: [{ name: 'draft', active: false }] });
    expect(await doveadmScripts(user)).toMatch(/^draft\s*$/m);
    expect(await collect(adapter.listForwarding(null))).toEqual({ ok: true, value: [] });
    expect(await adapter.getForwarding(user)).toEqual({ ok: true, value: { address: user, targets: [], keepCopy: true, state: 'off' } });
  });

  it('says clearly when the active script uses syntax Mailroom cannot read, instead of guessing or crashing', async () => {
    const { user, password, settings } = freshUser();
    const sieve = await sieveAs(user, password);
    // Pigeonhole takes numbers up to 2^64; Mailroom's reader stops at 15 digits.
    const script = 'if size :over 1234567890123456 { redirect "big@elsewhere.example"; }\n';
    expect((await sieve.putScript('big', script)).ok).toBe(true);
    expect((await sieve.setActive('big')).ok).toBe(true);
    const read = await collect(new ImapOnlyAdapter(settings, password).listForwarding(null));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.error.code).toBe('backend.validation');
    expect(read.error.message).toMatch(/^The active Sieve script "big" of sieve-[0-9a-f]+@imap\.routing\.test on 127\.0\.0\.1:\d+ uses syntax Mailroom cannot read \(line 1: number too long\), so its forwards are unknown\.$/);
  });

  it('refuses a wrong password with a one-line error and sends nothing else', async () => {
    const { password, settings } = freshUser();
    const read = await collect(new ImapOnlyAdapter(settings, `${password}-wrong`).listForwarding(null));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.error.code).toBe('backend.auth');
    expect(read.error.message).not.toContain('\n');
    expect(read.error.message).toMatch(/^ManageSieve at 127\.0\.0\.1:\d+ refused the login of sieve-[0-9a-f]+@imap\.routing\.test: Authentication failed\.$/);
    expect(read.error.message).not.toContain(password);
  });

  it('lets the server refuse a script it cannot compile, with its reason on one line', async () => {
    const { user, password } = freshUser();
    const sieve = await sieveAs(user, password);
    const put = await sieve.putScript('broken', 'redirec "x@y.example";\n');
    expect(put).toMatchObject({ ok: false, error: { code: 'backend.validation', message: expect.stringContaining("unknown command 'redirec'") } });
    if (!put.ok) expect(put.error.message).not.toContain('\n');
    expect(await sieve.listScripts()).toEqual({ ok: true, value: [] });
  });

  it('refuses a port where no ManageSieve answers, retryably and on one line', async () => {
    const { password, settings } = freshUser();
    const read = await collect(new ImapOnlyAdapter({ ...settings, sievePort: await closedPort() }, password).listForwarding(null));
    expect(read).toMatchObject({ ok: false, error: { code: 'backend.unavailable', retryable: true, message: expect.stringMatching(/^ManageSieve at 127\.0\.0\.1:\d+ refused the connection \(is ManageSieve enabled on that port\?\)\.$/) } });
  });
});
