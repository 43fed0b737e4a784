import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MailcowFake } from '../fakes/mailcow/mailcow-fake.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { createTestDatabase, type TestDatabase } from '../integration/provisioning/support/databases.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, settled, type ConsoleSession } from './support/console-session.ts';
import { routerCall } from './support/router-call.ts';
import { SCHEMES, showScheme } from './support/schemes.ts';

// PostfixAdmin counts quotas in its own MB: 1,024,000 bytes by default ($CONF['quota_multiplier']).
const PFA_MB = 1_024_000;
// Mailroom shows one PostfixAdmin MB as one decimal MB, so both tools show the same figure.
const MB = 1_000_000;
const MC_KEY = 'mc-errors-key-0123456789abcdef';
const WRONG_KEY = 'mc-wrong-key-fedcba9876543210';

// Finding 3: a refusal says the backend's own reason under the code's sentence, with the connection and object it concerns.
describe.each(SCHEMES)('errors that say why, %s', (scheme) => {
  let db: TestDatabase;
  let mailcow: MailcowFake;
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];
  const password = `Ana-${Math.random().toString(36).slice(2, 10)}-pw`;

  beforeAll(async () => {
    assertRendererBuilt();
    db = await createTestDatabase('sqlite');
    mailcow = new MailcowFake(MC_KEY);
    const mcBase = await mailcow.server.start();
    mailcow.domains.set('cloud.test', { name: 'cloud.test', description: '', active: 1, maxquotaMiB: 512 });
    mailcow.seedMailbox('bo@cloud.test', 256);
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-errors-'));
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback' });
    const pfa = await services.connections.addPostfixAdmin({ name: 'Self-hosted', dialect: 'sqlite', path: db.target.path!, site: { quota: 'YES' } });
    if (!pfa.ok) throw new Error(pfa.error.message);
    // A domain whose mailboxes may hold at most 100 MB each, and one mailbox of 50 MB on it.
    const call = routerCall(services);
    await call('domains.create', [pfa.value.id, { name: 'limits.test', maxMailboxBytes: 100 * MB }]);
    await call('mailboxes.create', [pfa.value.id, { address: 'ana@limits.test', password, quotaBytes: 50 * MB }]);
    const cloud = await services.connections.addMailcow({ name: 'Cloud mail', baseUrl: mcBase, apiKey: MC_KEY });
    if (!cloud.ok) throw new Error(cloud.error.message);
    const stale = await services.connections.addMailcow({ name: 'Cloud mail (old key)', baseUrl: mcBase, apiKey: WRONG_KEY });
    if (!stale.ok) throw new Error(stale.error.message);
    for (const id of [pfa.value.id, cloud.value.id]) {
      const refreshed = await services.provisioning.refresh(id);
      if (!refreshed.ok) throw new Error(refreshed.error.message);
    }
    session = await openConsole(services, { context: { viewport: { width: 1400, height: 950 }, colorScheme: scheme } });
    page = session.page;
    recordPageErrors(page, pageErrors, { console: false });
    await page.goto(session.host.url);
    await page.waitForSelector('.sidebar');
    await showScheme(page, scheme);
  });

  afterAll(async () => {
    await session?.close();
    services?.close();
    await mailcow?.server.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("shows PostfixAdmin's reason for refusing a quota over the domain's per-mailbox maximum", async () => {
    await page.evaluate(() => (location.hash = '#/mailboxes'));
    await page.getByRole('row', { name: 'ana@limits.test' }).click();
    await page.getByRole('button', { name: 'Edit ana@limits.test' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit ana@limits.test' });
    await dialog.getByLabel('Quota (MB)').fill('500');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const toast = page.getByRole('alert').filter({ hasText: 'Could not update ana@limits.test on Self-hosted' });
    await expect.poll(() => toast.count()).toBe(1);
    const text = await toast.innerText();
    expect(text).toContain('The platform refused the values sent.');
    expect(text).toContain('per-mailbox maximum of limits.test (100 MB)');
    expect(text).toContain('backend.validation · Self-hosted · ana@limits.test');
    // The backend's words sit under the code's sentence, in their own line.
    expect(await toast.locator('.toast__reason').innerText()).toContain('per-mailbox maximum of limits.test');
    expect(await dialog.isVisible()).toBe(true);
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-errors-pfa-${scheme}.png` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const row = new Database(db.target.path!, { readonly: true }).prepare('SELECT quota FROM mailbox WHERE username = ?').get('ana@limits.test') as { quota: number };
    expect(row.quota).toBe(50 * PFA_MB);
    await toast.getByRole('button', { name: /^Dismiss/ }).click();
  });

  it("shows mailcow's reason when it refuses a new mailbox over the domain maximum", async () => {
    await page.getByRole('button', { name: 'New mailbox' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New mailbox' });
    await dialog.getByLabel('Address', { exact: true }).fill('cy');
    await dialog.getByRole('combobox', { name: 'Domain' }).click();
    await page.keyboard.type('cloud.test');
    await page.keyboard.press('Enter');
    expect(await dialog.getByRole('combobox', { name: 'Domain' }).inputValue()).toBe('@cloud.test');
    await dialog.getByLabel('Quota (MB)').fill('1024');
    await dialog.getByRole('button', { name: 'Create mailbox' }).click();
    const toast = page.getByRole('alert').filter({ hasText: 'Could not create cy@cloud.test on Cloud mail' });
    await expect.poll(() => toast.count()).toBe(1);
    const text = await toast.innerText();
    expect(text).toContain('The platform refused the values sent.');
    expect(await toast.locator('.toast__reason').textContent()).toBe('The platform said: mailbox_quota_exceeded 512');
    expect(text).toContain('backend.validation · Cloud mail · cy@cloud.test');
    expect(mailcow.mailboxes.has('cy@cloud.test')).toBe(false);
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-errors-mailcow-${scheme}.png` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await toast.getByRole('button', { name: /^Dismiss/ }).click();
  });

  it('shows the reason in an error panel too: a connection test refused by the platform', async () => {
    await page.evaluate(() => (location.hash = '#/connections'));
    await page.getByRole('button', { name: 'Test Cloud mail (old key)' }).click();
    const result = page.getByRole('region', { name: 'Test result for Cloud mail (old key)' });
    await expect.poll(() => result.isVisible(), { timeout: 20_000 }).toBe(true);
    const text = await result.innerText();
    expect(text).toContain('The platform rejected the credentials.');
    expect(await result.locator('.error-message__reason').textContent()).toBe('The platform said: authentication failed');
    expect(text).toContain('backend.auth');
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-errors-panel-${scheme}.png` });
  });

  it('never shows a secret and raised no page error', async () => {
    const html = await page.content();
    for (const secret of [password, MC_KEY, WRONG_KEY]) expect(html).not.toContain(secret);
    expect(pageErrors).toEqual([]);
  });
});
