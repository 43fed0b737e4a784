import { X509Certificate, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { KeychainVault } from '../../electron/platform/keychain-vault.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import type { Result } from '../../shared/errors/result.ts';
import { closedPort } from '../support/closed-port.ts';
import { addImapUser, fixturesDir, testServers, trustsTestCa, type TestServers } from '../support/servers.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, type ConsoleSession } from './support/console-session.ts';

const BACKGROUND = { light: 'rgb(246, 247, 249)', dark: 'rgb(15, 17, 21)' } as const;

// An admin fixes connections instead of re-adding them, once per theme: each run has its own data folder and Dovecot users.
describe.each(['light', 'dark'] as const)('Connections you can fix, in Chromium (%s), against the real Dovecot', (scheme) => {
  let servers: TestServers;
  let dataDir: string;
  let vault: KeychainVault;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];
  const tag = randomUUID().slice(0, 8);
  const source = { user: `fix-src-${tag}@example.test`, password: `Src-${randomUUID()}` };
  const target = { user: `fix-dst-${tag}@example.test`, password: `Dst-${randomUUID()}` };
  const connection = (name: string) => services.connections.list().find((c) => c.name === name);
  const row = (name: string) => page.getByRole('row', { name: new RegExp(`^${name}\\b`) });
  const call = async <T>(channel: string, ...args: unknown[]): Promise<T> => {
    const r = (await services.router.dispatch(channel, args)) as Result<T>;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  const fill = async (fields: Record<string, string>) => {
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  };
  const failure = () => page.getByRole('alert').filter({ hasText: 'nothing was saved' });

  beforeAll(async () => {
    assertRendererBuilt();
    servers = testServers();
    if (!trustsTestCa(servers)) throw new Error(`Start vitest with NODE_EXTRA_CA_CERTS=${servers.ca}.`);
    addImapUser(servers, source.user, source.password);
    addImapUser(servers, target.user, target.password);
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-fix-'));
    vault = new KeychainVault(`Mailroom-e2e-fix-${randomUUID()}`);
    services = composeServices({ dataDir, vault, logger: createMemoryLogger(), transport: 'loopback' });
    session = await openConsole(services, { context: { viewport: { width: 1360, height: 1000 }, colorScheme: scheme } });
    page = session.page;
    recordPageErrors(page, pageErrors);
  });

  afterAll(async () => {
    await session?.close();
    await services?.migration.shutdown();
    services?.close();
    for (const account of (await vault?.list().catch(() => [])) ?? []) await vault.delete(account);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('tests before saving: a wrong password, a closed port and an unresolvable name save nothing; "Save without testing" keeps it untested', async () => {
    await page.goto(session.host.url);
    await page.evaluate(() => (location.hash = '#/connections'));
    await expect.poll(() => page.getByRole('heading', { name: 'No connections yet' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(BACKGROUND[scheme]);
    await fill({ Name: 'Source', Host: 'localhost', Port: String(servers.imap.imapsPort), 'User name': source.user, Password: 'not-the-password' });
    await page.getByRole('button', { name: 'Add connection' }).click();
    await expect.poll(() => failure().innerText(), { timeout: 20_000 }).toContain('The server rejected the user name or password.');
    expect(services.connections.list()).toEqual([]);

    await fill({ Port: String(await closedPort()) });
    await page.getByRole('button', { name: 'Add connection' }).click();
    await expect.poll(() => failure().innerText(), { timeout: 20_000 }).toContain('nothing is listening');
    await fill({ Host: `no-such-host-${tag}.invalid`, Port: String(servers.imap.imapsPort) });
    await page.getByRole('button', { name: 'Add connection' }).click();
    await expect.poll(() => failure().innerText(), { timeout: 20_000 }).toContain('does not resolve');
    expect(services.connections.list()).toEqual([]);
    await page.screenshot({ path: `/tmp/mailroom-connection-add-failed-${scheme}.png` });

    await page.getByRole('button', { name: 'Save without testing' }).click();
    await expect.poll(() => row('Source').count()).toBe(1);
    expect(await row('Source').innerText()).toContain('Untested');
    expect(connection('Source')?.lastTest).toBeNull();
  });

  it('edits the connection in place: host and password fixed, saved, tested again, same id, journaled without the password', async () => {
    const id = connection('Source')!.id;
    await page.getByRole('button', { name: 'Edit Source' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Edit “Source”' }).isVisible()).toBe(true);
    await fill({ Host: 'localhost', 'New password': source.password });
    await page.screenshot({ path: `/tmp/mailroom-connection-edit-${scheme}.png` });
    await page.getByRole('button', { name: 'Save and test' }).click();
    await expect.poll(() => row('Source').first().innerText(), { timeout: 20_000 }).toContain('Passed');
    expect(connection('Source')).toMatchObject({ id, settings: { host: 'localhost' }, lastTest: { ok: true } });
    const journal = await call<{ entries: { action: string; object: string; after: unknown }[] }>('audit.list', { action: 'connections.edit' });
    const edit = journal.entries.find((e) => e.action === 'connections.edit');
    expect(edit?.object).toBe('Source');
    expect(JSON.stringify(journal)).not.toContain(source.password);
  });

  it('shows the fingerprint of a certificate it cannot trust and pins it after a confirmation', async () => {
    const leaf = new X509Certificate(readFileSync(join(fixturesDir(), 'dovecot', 'ssl', 'cert.pem'))).fingerprint256;
    // 127.1 reaches the same Dovecot, but its certificate names neither that host nor that address.
    await fill({ Name: 'Target', Host: '127.1', Port: String(servers.imap.imapsPort), 'User name': target.user, Password: target.password });
    await page.getByRole('button', { name: 'Add connection' }).click();
    await expect.poll(() => page.locator('.pin-certificate').innerText(), { timeout: 20_000 }).toContain(leaf);
    expect(await failure().innerText()).toContain('imap.tls');
    expect(connection('Target')).toBeUndefined();
    await page.getByRole('button', { name: 'Pin this certificate' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Pin this certificate?' });
    expect(await dialog.innerText()).toContain(leaf);
    await page.screenshot({ path: `/tmp/mailroom-connection-pin-${scheme}.png` });
    await dialog.getByRole('button', { name: 'Pin and test' }).click();
    await expect.poll(() => row('Target').count(), { timeout: 20_000 }).toBe(1);
    expect(connection('Target')).toMatchObject({ settings: { host: '127.1', pinnedFingerprint: leaf }, lastTest: { ok: true } });
  });

  it('names a lost keychain entry and its fix, shows the failed test over the passed one, and re-entering the password resumes the batch', async () => {
    const sourceId = connection('Source')!.id;
    const plan = await call<{ id: string }>('migration.createPlanFromConnections', { name: `Move ${scheme}`, sourceConnectionId: sourceId, targetConnectionId: connection('Target')!.id, preset: 'dovecot' });
    await vault.delete(`connection:${sourceId}`);
    const batch = await call<{ id: string }>('migration.startBatch', plan.id, {});
    await services.migration.settled(batch.id);
    expect(await call<{ status: string }>('migration.getBatch', batch.id)).toMatchObject({ status: 'failed' });

    await page.evaluate((id) => (location.hash = `#/migrations/batch/${id}`), batch.id);
    await expect.poll(() => page.locator('main').innerText(), { timeout: 15_000 }).toContain('Connections › Edit');

    await page.evaluate(() => (location.hash = '#/connections'));
    await page.getByRole('button', { name: 'Test Source' }).click();
    const result = page.getByRole('region', { name: 'Test result for Source' });
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('connection.secretMissing');
    expect(await result.innerText()).toContain('missing from the keychain');
    await expect.poll(() => row('Source').first().innerText()).toContain('Failed');

    await page.getByRole('button', { name: 'Edit Source' }).click();
    await fill({ 'New password': source.password });
    await page.getByRole('button', { name: 'Save and test' }).click();
    await expect.poll(() => row('Source').first().innerText(), { timeout: 20_000 }).toContain('Passed');

    await page.evaluate((id) => (location.hash = `#/migrations/batch/${id}`), batch.id);
    await page.getByRole('button', { name: `Retry ${source.user}` }).click();
    await expect.poll(async () => (await call<{ status: string }>('migration.getBatch', batch.id)).status, { timeout: 60_000 }).toBe('done');
    await services.migration.settled(batch.id);
  });

  it('asks before removing a connection in use, listing the plan and batch that use it', async () => {
    await page.evaluate(() => (location.hash = '#/connections'));
    await page.getByRole('button', { name: 'Remove Source' }).click();
    const dialog = page.getByRole('alertdialog', { name: '“Source” is in use. Remove it anyway?' });
    const uses = dialog.getByRole('list', { name: 'What uses Source' });
    await expect.poll(() => uses.innerText()).toContain(`Migration plan “Move ${scheme}” (1 mailbox)`);
    expect(await uses.innerText()).toContain(`Batch of “Move ${scheme}” (done)`);
    await page.screenshot({ path: `/tmp/mailroom-connection-remove-in-use-${scheme}.png` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(connection('Source')).toBeDefined();

    await page.getByRole('button', { name: 'Remove Source' }).click();
    await page.getByRole('button', { name: 'Remove anyway' }).click();
    await expect.poll(() => row('Source').count()).toBe(0);
    expect(connection('Source')).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });
});
