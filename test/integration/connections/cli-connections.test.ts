import { X509Certificate, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeychainVault } from '../../../electron/platform/keychain-vault.ts';
import { closedPort } from '../../support/closed-port.ts';
import { lastJson, runCli } from '../../support/run-cli.ts';
import { fixturesDir, testServers, type TestServers } from '../../support/servers.ts';

describe('mailroom connections (CLI) against the real Dovecot', () => {
  let servers: TestServers;
  let dataDir: string;
  let env: Record<string, string>;
  const keychainService = `Mailroom-cli-${randomUUID()}`;
  const cli = (args: string[], extra: Record<string, string> = {}, stdin?: string) =>
    runCli(['--data-dir', dataDir, ...args], { env: { ...env, ...extra }, ...(stdin === undefined ? {} : { stdin }) });

  beforeAll(() => {
    servers = testServers();
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-cli-'));
    env = { MAILROOM_KEYCHAIN_SERVICE: keychainService, NODE_EXTRA_CA_CERTS: servers.ca };
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds an IMAPS connection with the password from the environment, lists it and tests it', async () => {
    const user = servers.users[0]!;
    const add = await cli(
      ['connections', 'add', '--name', 'Dovecot IMAPS', '--host', servers.imap.host, '--port', String(servers.imap.imapsPort), '--tls', 'implicit', '--user', user.user, '--password-env', 'IMAP_PW', '--json'],
      { IMAP_PW: user.password },
    );
    expect(add.code, add.stderr).toBe(0);
    expect(lastJson<{ connection: { hasSecret: boolean } }>(add).connection.hasSecret).toBe(true);

    const list = await cli(['connections', 'list', '--json']);
    expect(list.code).toBe(0);
    const listed = lastJson<{ connections: { name: string; settings: Record<string, unknown> }[] }>(list).connections;
    expect(listed.map((c) => c.name)).toContain('Dovecot IMAPS');
    expect(JSON.stringify(listed)).not.toContain(user.password);

    const test = await cli(['connections', 'test', 'Dovecot IMAPS', '--json']);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    const report = lastJson<{ ok: boolean; report: { capabilities: string[]; folderCount: number; tls: { protocol: string } } }>(test).report;
    expect(report.capabilities.map((c) => c.toUpperCase())).toContain('IMAP4REV1');
    expect(report.folderCount).toBeGreaterThanOrEqual(1);
    expect(report.tls.protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it('upgrades with STARTTLS, reading the password from a file', async () => {
    const user = servers.users[1]!;
    const file = join(dataDir, 'pw.txt');
    writeFileSync(file, `${user.password}\n`, { mode: 0o600 });
    const add = await cli(['connections', 'add', '--name', 'Dovecot STARTTLS', '--host', '127.0.0.1', '--port', String(servers.imap.port), '--tls', 'starttls', '--user', user.user, '--password-file', file]);
    expect(add.code, add.stderr).toBe(0);
    const test = await cli(['connections', 'test', 'Dovecot STARTTLS', '--json']);
    expect(test.code, test.stdout).toBe(0);
    expect(lastJson<{ report: { tls: unknown } }>(test).report.tls).not.toBeNull();
  });

  it('reads the password piped on stdin', async () => {
    const user = servers.users[2]!;
    const add = await cli(['connections', 'add', '--name', 'Piped', '--host', '127.0.0.1', '--port', String(servers.imap.imapsPort), '--user', user.user], {}, `${user.password}\n`);
    expect(add.code, add.stderr).toBe(0);
    expect((await cli(['connections', 'test', 'Piped'])).code).toBe(0);
  });

  it('reports a wrong password as imap.auth with exit 1', async () => {
    const user = servers.users[0]!;
    await cli(['connections', 'add', '--skip-test', '--name', 'Wrong password', '--host', '127.0.0.1', '--port', String(servers.imap.imapsPort), '--user', user.user, '--password-env', 'IMAP_PW'], { IMAP_PW: 'not-the-password' });
    const test = await cli(['connections', 'test', 'Wrong password', '--json']);
    expect(test.code).toBe(1);
    const { error } = lastJson<{ error: { code: string; message: string } }>(test);
    expect(error.code).toBe('imap.auth');
    expect(error.message).toMatch(/rejected the login \(user name, password or access token\)/);
    const human = await cli(['connections', 'test', 'Wrong password']);
    expect(human.stderr).toMatch(/error \[imap\.auth\]/);
  });

  it('reports an unreachable port as imap.connection with exit 1', async () => {
    const port = await closedPort();
    await cli(['connections', 'add', '--skip-test', '--name', 'Nothing there', '--host', '127.0.0.1', '--port', String(port), '--user', 'x', '--password-env', 'IMAP_PW'], { IMAP_PW: 'x' });
    const test = await cli(['connections', 'test', 'Nothing there', '--json']);
    expect(test.code).toBe(1);
    expect(lastJson<{ error: { code: string; message: string } }>(test).error).toMatchObject({ code: 'imap.connection', message: expect.stringMatching(/nothing is listening/) });
  });

  it('refuses an untrusted certificate, and accepts it when its fingerprint is pinned', async () => {
    const user = servers.users[0]!;
    const noCa = { NODE_EXTRA_CA_CERTS: '' };
    await cli(['connections', 'add', '--skip-test', '--name', 'Untrusted', '--host', '127.0.0.1', '--port', String(servers.imap.imapsPort), '--user', user.user, '--password-env', 'IMAP_PW'], { IMAP_PW: user.password, ...noCa });
    const refused = await cli(['connections', 'test', 'Untrusted', '--json'], noCa);
    expect(refused.code).toBe(1);
    expect(lastJson<{ error: { code: string } }>(refused).error.code).toBe('imap.tls');

    const leaf = new X509Certificate(readFileSync(join(fixturesDir(), 'dovecot', 'ssl', 'cert.pem'))).fingerprint256;
    await cli(['connections', 'add', '--name', 'Pinned', '--host', '127.0.0.1', '--port', String(servers.imap.imapsPort), '--user', user.user, '--password-env', 'IMAP_PW', '--pin', leaf], { IMAP_PW: user.password, ...noCa });
    const pinned = await cli(['connections', 'test', 'Pinned', '--json'], noCa);
    expect(pinned.code, pinned.stdout).toBe(0);

    const wrongPin = '00'.repeat(31) + 'FF';
    await cli(['connections', 'add', '--skip-test', '--name', 'Wrong pin', '--host', '127.0.0.1', '--port', String(servers.imap.imapsPort), '--user', user.user, '--password-env', 'IMAP_PW', '--pin', wrongPin], { IMAP_PW: user.password, ...noCa });
    const mismatch = await cli(['connections', 'test', 'Wrong pin', '--json'], noCa);
    expect(mismatch.code).toBe(1);
    expect(lastJson<{ error: { code: string } }>(mismatch).error.code).toBe('imap.tls');
  });

  it('never takes a password from argv and rejects bad usage with exit 2', async () => {
    const positional = await cli(['connections', 'add', '--name', 'X', '--host', 'h', '--user', 'u', 'hunter2']);
    expect(positional.code).toBe(2);
    expect(positional.stderr).toMatch(/never taken from the command line/);
    expect((await cli(['connections', 'add', '--name', 'X', '--host', 'h', '--user', 'u', '--password', 'hunter2'])).code).toBe(2);
    expect((await cli(['connections', 'frobnicate'])).code).toBe(2);
    expect((await cli(['connections', 'test', 'no-such-connection'])).code).toBe(2);
  });

  it('removes a connection with its keychain entry, and journals every change', async () => {
    const vault = new KeychainVault(keychainService);
    const remove = await cli(['connections', 'remove', 'Piped', '--json']);
    expect(remove.code).toBe(0);
    const removedId = lastJson<{ removed: string }>(remove).removed;
    const accounts = await vault.list();
    expect(accounts).not.toContain(`connection:${removedId}`);
    expect(accounts.length).toBeGreaterThanOrEqual(5);
    const list = lastJson<{ connections: { name: string }[] }>(await cli(['connections', 'list', '--json']));
    expect(list.connections.map((c) => c.name)).not.toContain('Piped');

    const audit = lastJson<{ entries: { action: string; object: string; result: string }[] }>(await cli(['audit', 'list', '--json']));
    expect(audit.entries).toContainEqual(expect.objectContaining({ action: 'connections.remove', object: 'Piped', result: 'ok' }));
    expect(audit.entries.filter((e) => e.action === 'connections.addImap').length).toBeGreaterThanOrEqual(5);
    const verify = await cli(['audit', 'verify', '--json']);
    expect(verify.code).toBe(0);
    expect(lastJson<{ ok: boolean }>(verify).ok).toBe(true);
  });
});
