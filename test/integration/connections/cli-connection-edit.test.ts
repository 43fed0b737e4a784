import { X509Certificate, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices } from '../../../electron/app/compose.ts';
import { KeychainVault } from '../../../electron/platform/keychain-vault.ts';
import { createMemoryLogger } from '../../../electron/platform/logger.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { closedPort } from '../../support/closed-port.ts';
import { lastJson, runCli } from '../../support/run-cli.ts';
import { addImapUser, fixturesDir, testServers, type TestServers } from '../../support/servers.ts';

interface Listed { id: string; name: string; settings: Record<string, unknown>; lastTest: { ok: boolean } | null }

// Edit, test on add, lost keychain entries and removal in use, through the CLI against the real Dovecot.
describe('mailroom connections edit / add-with-test / remove-in-use (CLI) against the real Dovecot', () => {
  let servers: TestServers;
  let dataDir: string;
  let env: Record<string, string>;
  const keychainService = `Mailroom-cli-edit-${randomUUID()}`;
  const vault = new KeychainVault(keychainService);
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli(['--data-dir', dataDir, ...args], { env: { ...env, ...extra } });
  const listed = async (): Promise<Listed[]> => lastJson<{ connections: Listed[] }>(await cli(['connections', 'list', '--json'])).connections;
  const imapsArgs = (name: string, user: string) => ['connections', 'add', '--name', name, '--host', servers.imap.host, '--port', String(servers.imap.imapsPort), '--tls', 'implicit', '--user', user, '--password-env', 'PW'];

  beforeAll(() => {
    servers = testServers();
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-cli-edit-'));
    env = { MAILROOM_KEYCHAIN_SERVICE: keychainService, NODE_EXTRA_CA_CERTS: servers.ca };
  });
  afterAll(async () => {
    for (const account of await vault.list().catch(() => [])) await vault.delete(account);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('tests before saving: a wrong password, a closed port and an unresolvable name save nothing; --skip-test saves it untested', async () => {
    const user = servers.users[0]!;
    const wrong = await cli([...imapsArgs('Wrong', user.user), '--json'], { PW: 'not-the-password' });
    expect(wrong.code).toBe(1);
    expect(lastJson<{ error: { code: string; message: string } }>(wrong).error).toMatchObject({ code: 'imap.auth', message: expect.stringMatching(/"Wrong" was not saved/) });
    const port = await closedPort();
    const closed = await cli(['connections', 'add', '--name', 'Closed', '--host', '127.0.0.1', '--port', String(port), '--user', 'x', '--password-env', 'PW'], { PW: 'x' });
    expect([closed.code, closed.stderr]).toEqual([1, expect.stringMatching(/^error \[imap\.connection\]: .*nothing is listening[^\n]*\nFix the settings and add it again, or save it untested with --skip-test\.\n$/)]);
    const unresolvable = await cli(['connections', 'add', '--name', 'Nowhere', '--host', `no-such-host-${randomUUID().slice(0, 8)}.invalid`, '--user', 'x', '--password-env', 'PW', '--json'], { PW: 'x' });
    expect(unresolvable.code).toBe(1);
    expect(lastJson<{ error: { code: string; message: string } }>(unresolvable).error).toMatchObject({ code: 'imap.connection', message: expect.stringMatching(/does not resolve/) });
    expect((await listed()).map((c) => c.name)).toEqual([]);
    expect(await vault.list()).not.toContainEqual(expect.stringMatching(/^connection:/));

    const untested = await cli([...imapsArgs('Wrong', user.user), '--skip-test', '--json'], { PW: 'not-the-password' });
    expect(untested.code, untested.stderr).toBe(0);
    expect((await listed()).find((c) => c.name === 'Wrong')?.lastTest).toBeNull();
  });

  it('edits in place: re-entering the password keeps the id, re-tests and journals the change without the secret', async () => {
    const user = servers.users[0]!;
    const before = (await listed()).find((c) => c.name === 'Wrong')!;
    const edit = await cli(['connections', 'edit', 'Wrong', '--name', 'Fixed', '--password-env', 'PW', '--json'], { PW: user.password });
    expect(edit.code, edit.stdout + edit.stderr).toBe(0);
    expect(lastJson<{ tested: boolean }>(edit).tested).toBe(true);
    const after = (await listed()).find((c) => c.name === 'Fixed')!;
    expect(after.id).toBe(before.id);
    expect(after.lastTest?.ok).toBe(true);
    // A later failed test replaces the passed one.
    const port = await closedPort();
    const broken = await cli(['connections', 'edit', 'Fixed', '--port', String(port)]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^Saved connection "Fixed", but its test failed\.\nerror \[imap\.connection\]/);
    const failed = (await listed()).find((c) => c.name === 'Fixed')!;
    expect([failed.settings['port'], failed.lastTest?.ok]).toEqual([port, false]);
    expect((await cli(['connections', 'edit', 'Fixed', '--port', String(servers.imap.imapsPort)])).code).toBe(0);

    const bad = await cli(['connections', 'edit', 'Fixed', '--tls', 'sometimes']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--tls must be one of/)]);
    expect((await cli(['connections', 'edit', 'Fixed', 'hunter2'])).code).toBe(2);
    const audit = await cli(['audit', 'list', '--json']);
    const edits = lastJson<{ entries: { action: string; object: string; result: string }[] }>(audit).entries.filter((e) => e.action === 'connections.edit');
    expect(edits).toContainEqual(expect.objectContaining({ object: 'Fixed', result: 'ok' }));
    expect(audit.stdout).not.toContain(user.password);
    expect((await cli(['audit', 'verify', '--json'])).code).toBe(0);
  });

  it('shows the certificate fingerprint of an untrusted server and passes once it is pinned', async () => {
    const user = servers.users[1]!;
    const noCa = { NODE_EXTRA_CA_CERTS: '', PW: user.password };
    const leaf = new X509Certificate(readFileSync(join(fixturesDir(), 'dovecot', 'ssl', 'cert.pem'))).fingerprint256;
    const refused = await cli([...imapsArgs('Self-signed', user.user), '--json'], noCa);
    expect(refused.code).toBe(1);
    const { error } = lastJson<{ error: { code: string; message: string; detail: { fingerprint: string } } }>(refused);
    expect([error.code, error.detail.fingerprint]).toEqual(['imap.tls', leaf]);
    expect(error.message).toContain(`--pin ${leaf}`);
    const pinned = await cli([...imapsArgs('Self-signed', user.user), '--pin', error.detail.fingerprint], noCa);
    expect(pinned.code, pinned.stderr).toBe(0);
    expect((await listed()).find((c) => c.name === 'Self-signed')?.settings['pinnedFingerprint']).toBe(leaf);
  });

  it('names a lost keychain entry and its fix; re-entering the password resumes the failed batch', async () => {
    const source = { user: `edit-src-${randomUUID().slice(0, 8)}@example.test`, password: `Src-${randomUUID()}` };
    const target = { user: `edit-dst-${randomUUID().slice(0, 8)}@example.test`, password: `Dst-${randomUUID()}` };
    addImapUser(servers, source.user, source.password);
    addImapUser(servers, target.user, target.password);
    expect((await cli(imapsArgs('Old host', source.user), { PW: source.password })).code).toBe(0);
    expect((await cli(imapsArgs('New host', target.user), { PW: target.password })).code).toBe(0);
    const saved = await listed();
    const oldHost = saved.find((c) => c.name === 'Old host');
    const newHost = saved.find((c) => c.name === 'New host');
    await vault.delete(`connection:${oldHost!.id}`);

    const test = await cli(['connections', 'test', 'Old host', '--json']);
    expect(test.code).toBe(1);
    const lost = lastJson<{ error: { code: string; message: string } }>(test).error;
    expect(lost.code).toBe('connection.secretMissing');
    expect(lost.message).toMatch(/connection "Old host".*Connections › Edit.*mailroom connections edit "Old host" --password-env VAR/);

    // A plan and a batch over the two connections, run by the app's services on the same data folder.
    const services = composeServices({ dataDir, vault, logger: createMemoryLogger(), transport: 'loopback', operator: 'tester' });
    try {
      const call = async <T>(channel: string, ...args: unknown[]): Promise<T> => {
        const r = (await services.router.dispatch(channel, args)) as Result<T>;
        if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
        return r.value;
      };
      const plan = await call<{ id: string }>('migration.createPlanFromConnections', { name: 'Move', sourceConnectionId: oldHost!.id, targetConnectionId: newHost!.id, preset: 'dovecot' });
      const batch = await call<{ id: string }>('migration.startBatch', plan.id, {});
      await services.migration.settled(batch.id);
      const failed = await call<{ status: string; pairs: { status: string; error: { code: string } | null }[] }>('migration.getBatch', batch.id);
      expect([failed.status, failed.pairs[0]?.error?.code]).toEqual(['failed', 'connection.secretMissing']);

      const inUse = await cli(['connections', 'remove', 'Old host']);
      expect(inUse.code).toBe(1);
      expect(inUse.stderr).toContain('migration plan "Move" (1 row)');
      expect(inUse.stderr).toMatch(new RegExp(`migration batch ${batch.id} of "Move" \\(failed\\)`));
      expect(inUse.stderr).toContain('mailroom connections remove "Old host" --force');
      expect((await listed()).map((c) => c.name)).toContain('Old host');

      const reenter = await cli(['connections', 'edit', 'Old host', '--password-env', 'PW'], { PW: source.password });
      expect(reenter.code, reenter.stderr).toBe(0);
      await call('migration.retryFailed', batch.id);
      await services.migration.settled(batch.id);
      const resumed = await call<{ status: string; pairs: { status: string }[] }>('migration.getBatch', batch.id);
      expect([resumed.status, resumed.pairs[0]?.status]).toEqual(['done', 'done']);

      const forced = await cli(['connections', 'remove', 'Old host', '--force', '--json']);
      expect(forced.code).toBe(0);
      expect((await listed()).map((c) => c.name)).not.toContain('Old host');
    } finally {
      await services.migration.shutdown();
      services.close();
    }
  });
});
