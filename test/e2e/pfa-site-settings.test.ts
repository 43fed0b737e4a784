import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { createTestDatabase, type TestDatabase } from '../integration/provisioning/support/databases.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, settled, type ConsoleSession } from './support/console-session.ts';
import { routerCall } from './support/router-call.ts';
import { SCHEMES, showScheme } from './support/schemes.ts';

const MB = 1_000_000;

// Issue 13, "edit for every connection type": a PostfixAdmin connection's site block ($CONF settings) is edited in the console.
describe.each(SCHEMES)('the PostfixAdmin site settings in the edit form, %s', (scheme) => {
  let db: TestDatabase;
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  let id: string;
  const pageErrors: string[] = [];
  const stored = () => services.connections.find(id)!;
  const form = () => page.getByRole('form', { name: 'Edit “Self-hosted”' });
  const site = () => form().getByRole('group', { name: 'Site settings (config.local.php)' });
  const field = (label: string) => site().getByLabel(label, { exact: true });
  const sql = <T>(query: string, ...args: unknown[]) => {
    const handle = new Database(db.target.path!, { readonly: true });
    try {
      return handle.prepare(query).get(...args) as T;
    } finally {
      handle.close();
    }
  };

  beforeAll(async () => {
    assertRendererBuilt();
    db = await createTestDatabase('sqlite');
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-site-'));
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback' });
    // As the console's add form saves it: a Dovecot scheme, no site block.
    const added = await services.connections.addPostfixAdmin({ name: 'Self-hosted', dialect: 'sqlite', path: db.target.path!, passwordScheme: 'BLF-CRYPT' });
    if (!added.ok) throw new Error(added.error.message);
    id = added.value.id;
    session = await openConsole(services, { context: { viewport: { width: 1400, height: 1400 }, colorScheme: scheme } });
    page = session.page;
    recordPageErrors(page, pageErrors);
    await page.goto(session.host.url);
    await page.waitForSelector('.sidebar');
    await showScheme(page, scheme);
  });

  afterAll(async () => {
    await session?.close();
    services?.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the site block in effect (the older scheme folded in) and refuses a bad value without saving anything', async () => {
    await page.evaluate(() => (location.hash = '#/connections'));
    await page.getByRole('button', { name: 'Edit Self-hosted' }).click();
    await expect.poll(() => site().isVisible()).toBe(true);
    expect(await field('Password hashing (encrypt)').inputValue()).toBe('dovecot:BLF-CRYPT');
    expect(await field('Enforce mailbox quotas (quota)').inputValue()).toBe('');
    expect(await site().innerText()).toContain('Site default (NO)');
    // A SQLite database has a file, not a server.
    expect(await form().getByLabel('SQLite file', { exact: true }).inputValue()).toBe(db.target.path);
    expect(await form().getByLabel('Host', { exact: true }).count()).toBe(0);

    await field('Aliases per new domain (aliases)').fill('ten');
    await form().getByRole('button', { name: 'Save and test' }).click();
    const error = site().getByRole('alert');
    await expect.poll(() => error.innerText()).toContain('aliases is a whole number');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('site.aliases');
    expect(stored().settings).toEqual({ dialect: 'sqlite', path: db.target.path, passwordScheme: 'BLF-CRYPT' });
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-site-settings-invalid-${scheme}.png`, fullPage: true });
  });

  it('saves the block, tests again, journals it, and Mailroom then writes to the database as the site says', async () => {
    await field('Password hashing (encrypt)').fill('sha512.b64');
    await field('Bytes per MB (quota_multiplier)').fill('1000000');
    await field('Enforce mailbox quotas (quota)').selectOption('YES');
    await field('Aliases per new domain (aliases)').fill('25');
    await field('Mailboxes per new domain (mailboxes)').fill('0');
    await field('Largest mailbox of a new domain, MB (maxquota)').fill('300');
    await field('Total quota of a new domain, MB (domain_quota_default)').fill('5000');
    await field('Transport of new domains (transport_default)').fill('lmtp:unix:private/dovecot-lmtp');
    await form().getByRole('button', { name: 'Save and test' }).click();

    const result = page.getByRole('region', { name: 'Test result for Self-hosted' });
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('Test passed');
    expect(await result.innerText()).toContain("hashes as the site's encrypt = 'sha512.b64'");
    const site = { encrypt: 'sha512.b64', quota_multiplier: 1_000_000, quota: 'YES', aliases: 25, mailboxes: 0, maxquota: 300, domain_quota_default: 5000, transport_default: 'lmtp:unix:private/dovecot-lmtp' };
    // The older scheme is folded into the block, so one place says how passwords are written.
    expect(stored()).toMatchObject({ id, settings: { dialect: 'sqlite', path: db.target.path, site }, lastTest: { ok: true } });
    expect(stored().settings).not.toHaveProperty('passwordScheme');
    expect(await page.getByRole('row', { name: /^Self-hosted/ }).first().innerText()).toContain('sha512.b64');
    const journal = (await services.router.dispatch('audit.list', [{ action: 'connections.edit' }])) as { ok: true; value: { entries: { object: string; after: { settings: { site: unknown } } }[] } };
    expect(journal.value.entries[0]).toMatchObject({ object: 'Self-hosted', after: { settings: { site } } });
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-site-settings-saved-${scheme}.png`, fullPage: true });

    // The database is the judge: a new domain takes the site's defaults, a password its hash, a quota its multiplier.
    const call = routerCall(services);
    await call('domains.create', [id, { name: 'site.test' }]);
    expect(sql('SELECT aliases, mailboxes, maxquota, quota, transport FROM domain WHERE domain = ?', 'site.test')).toEqual({ aliases: 25, mailboxes: 0, maxquota: 300, quota: 5000, transport: 'lmtp:unix:private/dovecot-lmtp' });
    await call('mailboxes.create', [id, { address: 'ana@site.test', password: 'Site-settings-1', quotaBytes: 200 * MB }]);
    const ana = sql<{ password: string; quota: number }>('SELECT password, quota FROM mailbox WHERE username = ?', 'ana@site.test');
    expect(ana.password.startsWith('{SHA512-CRYPT.B64}')).toBe(true);
    expect(ana.quota).toBe(200 * 1_000_000);
    // quota = YES: the domain's maxquota of 300 MB holds.
    const over = await services.router.dispatch('mailboxes.create', [id, { address: 'bo@site.test', password: 'Site-settings-2', quotaBytes: 400 * MB }]);
    expect(over).toMatchObject({ ok: false, error: { code: 'backend.validation', message: expect.stringContaining('per-mailbox maximum of site.test (300 MB)') } });
    expect(sql('SELECT count(*) AS n FROM mailbox WHERE username = ?', 'bo@site.test')).toEqual({ n: 0 });
  });

  it('emptying a setting returns it to the site default, and the test then says where the site\'s own hashing is entered', async () => {
    await page.getByRole('button', { name: 'Edit Self-hosted' }).click();
    expect(await field('Password hashing (encrypt)').inputValue()).toBe('sha512.b64');
    await field('Password hashing (encrypt)').fill('');
    await form().getByRole('button', { name: 'Save and test' }).click();
    const result = page.getByRole('region', { name: 'Test result for Self-hosted' });
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain("PostfixAdmin's default for this revision");
    expect(await result.innerText()).toContain('enter it under Edit → Site settings');
    expect(stored().settings['site']).not.toHaveProperty('encrypt');
    expect(stored().settings['site']).toMatchObject({ quota: 'YES', maxquota: 300 });
    expect(pageErrors).toEqual([]);
  });
});
