import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import type { LoopbackHost } from '../../electron/host/loopback-host.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MailcowFake } from '../fakes/mailcow/mailcow-fake.ts';
import { capabilityRows } from '../../renderer/features/connections/connection-info.ts';
import type { Capabilities } from '../../shared/domain/provisioning.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { runCliInProcess } from '../support/cli-in-process.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, recordTraffic, type ConsoleSession } from './support/console-session.ts';

const MC_KEY = 'mc-e2e-key-0123456789abcdef';

// An admin adds a mailcow server through the Connections page and reads what Mailroom can do there.
describe('platform connections in Chromium: mailcow through the form, its capability matrix', () => {
  let mailcow: MailcowFake;
  let mcBase: string;
  let dataDir: string;
  let vault: MemoryVault;
  let services: Services;
  let session: ConsoleSession;
  let host: LoopbackHost;
  let page: Page;
  const received: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertRendererBuilt();
    mailcow = new MailcowFake(MC_KEY);
    mcBase = await mailcow.server.start();
    mailcow.seedMailbox('ann@example.com', 1024, 300 * 1024 * 1024);
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-platforms-'));
    vault = new MemoryVault();
    services = composeServices({ dataDir, vault, logger: createMemoryLogger(), transport: 'loopback' });
    session = await openConsole(services, { context: { viewport: { width: 1400, height: 1000 } } });
    ({ host, page } = session);
    recordTraffic(page, received);
    recordPageErrors(page, pageErrors, { console: false });
    await page.goto(host.url);
    await page.waitForSelector('.sidebar');
  });

  afterAll(async () => {
    await session?.close();
    services?.close();
    await mailcow?.server.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers a form per platform and explains what is missing', async () => {
    await page.evaluate(() => (location.hash = '#/connections'));
    await expect.poll(() => page.getByRole('heading', { name: 'No connections yet' }).isVisible()).toBe(true);
    const platform = page.getByLabel('Platform');
    for (const [kind, heading] of [['postfixadmin', 'Add a PostfixAdmin database'], ['stalwart', 'Add a Stalwart server'], ['google', 'Add Google Workspace'], ['microsoft', 'Add Microsoft 365'], ['mailcow', 'Add a mailcow server']] as const) {
      await platform.selectOption(kind);
      await expect.poll(() => page.getByRole('heading', { name: heading }).isVisible()).toBe(true);
    }
    await page.getByLabel('mailcow URL').fill('mail.example.com');
    await page.getByRole('button', { name: 'Add connection' }).click();
    await expect.poll(() => page.getByText('Enter a URL starting with https://').isVisible()).toBe(true);
    expect(await page.getByText('Enter the API key.').isVisible()).toBe(true);
    expect(await page.getByLabel('Name', { exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('adds the mailcow connection, clears the key and lists the server', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Mailcow (fake)');
    await page.getByLabel('mailcow URL').fill(mcBase);
    await page.getByLabel('API key').fill(MC_KEY);
    await page.getByRole('button', { name: 'Add connection' }).click();
    const row = page.getByRole('row', { name: /Mailcow \(fake\)/ });
    await expect.poll(() => row.isVisible(), { timeout: 20_000 }).toBe(true);
    const text = await row.innerText();
    expect(text).toContain(mcBase);
    expect(text).toContain('mailcow');
    // Saved only after its test on add passed.
    expect(text).toContain('Passed');
    expect(await page.getByLabel('API key').inputValue()).toBe('');
    expect(received.join('\n')).not.toContain(MC_KEY);
  });

  it('tests it and shows the capability matrix', async () => {
    await page.getByRole('button', { name: 'Test Mailcow (fake)' }).click();
    const result = page.getByRole('region', { name: 'Test result for Mailcow (fake)' });
    await expect.poll(() => result.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await result.innerText()).toContain('Test passed');
    const matrix = page.getByRole('table', { name: 'Capability matrix of Mailcow (fake)' });
    await expect.poll(() => matrix.isVisible()).toBe(true);
    const create = matrix.getByRole('row', { name: /Create/ }).first();
    expect(await create.innerText()).toMatch(/Native/);
    const levels = await matrix.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-level')));
    expect(levels).toContain('native');
    // The console shows the very matrix `mailroom connections capabilities` prints.
    const printed = await runCliInProcess(['connections', 'capabilities', 'Mailcow (fake)', '--json'], { dataDir, vault });
    expect(printed.code, printed.err).toBe(0);
    // Every row the CLI prints, in the same order and level (the security group included): not a count kept by hand.
    const rows = capabilityRows(printed.json().capabilities as Capabilities);
    expect(rows.length).toBeGreaterThan(20);
    expect(levels).toEqual(rows.map((r) => r.support.level));
    await expect.poll(() => page.getByRole('row', { name: /Mailcow \(fake\)/ }).first().innerText()).toContain('Passed');
    expect(pageErrors).toEqual([]);
  });

  it('imports a CSV on the Mailboxes page: the dry-run diff first, then applied with a generated password shown once', async () => {
    const id = services.connections.list()[0]!.id;
    expect((await services.router.dispatch('domains.create', [id, { name: 'example.com' }])).ok).toBe(true);
    expect((await services.router.dispatch('domains.refresh', [id])).ok).toBe(true);
    await page.evaluate(() => (location.hash = '#/mailboxes'));
    await expect.poll(() => page.locator('.vtable__row[aria-label="ann@example.com"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Import / export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import and export mailboxes' });
    await dialog.locator('#csv-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('address,display_name,quota_mb,active\nann@example.com,Ann Example,,yes\nbob@example.com,Bob,512,yes\nnot-an-address,,,\n') });
    const diff = dialog.getByRole('region', { name: 'Dry run' });
    await expect.poll(() => diff.isVisible()).toBe(true);
    const text = await diff.innerText();
    expect(text).toContain('1 to create');
    expect(text).toContain('1 to change');
    expect(text).toContain('1 errors');
    expect(text).toContain('name “ann” → “Ann Example”');
    expect(mailcow.mailboxes.has('bob@example.com')).toBe(false);
    await dialog.getByRole('button', { name: 'Apply 2 changes' }).click();
    const passwords = page.getByRole('list', { name: 'Generated passwords' });
    await expect.poll(() => passwords.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await passwords.innerText()).toContain('bob@example.com');
    // quota_mb counts decimal MB; mailcow stores whole MiB, rounded up: 512,000,000 bytes is 489 MiB.
    expect(mailcow.mailboxes.get('bob@example.com')).toMatchObject({ name: 'Bob', quota: 489 * 1024 * 1024 });
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.locator('.vtable__row[aria-label="bob@example.com"]').count()).toBe(1);
  });

  it('says which DKIM key signs a domain and has mailcow generate one', async () => {
    await page.evaluate(() => (location.hash = '#/domains'));
    await page.getByRole('button', { name: 'DKIM of example.com' }).click();
    const dialog = page.getByRole('dialog', { name: 'DKIM signing of example.com' });
    await expect.poll(() => dialog.getByText('No DKIM key signs example.com on Mailcow (fake).').isVisible()).toBe(true);
    await dialog.getByLabel('Selector').fill('s2026');
    await dialog.getByRole('button', { name: 'Have mailcow generate a key' }).click();
    const key = dialog.getByRole('listitem', { name: 'DKIM key s2026' });
    await expect.poll(() => key.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await key.innerText()).toMatch(/s2026\._domainkey\.example\.com[\s\S]*Signs[\s\S]*Mailcow \(fake\)’s own key/);
    expect(mailcow.dkim.get('example.com')?.selector).toBe('s2026');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(pageErrors).toEqual([]);
  });

  it('looks right in light and dark mode', async () => {
    await page.evaluate(() => (location.hash = '#/connections'));
    const dismiss = page.getByRole('button', { name: /^Dismiss:/ });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    await page.getByRole('heading', { name: 'Connections', level: 1 }).hover();
    await page.getByRole('button', { name: 'Test Mailcow (fake)' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Capability matrix of Mailcow (fake)' }).isVisible(), { timeout: 20_000 }).toBe(true);
    await page.screenshot({ path: '/tmp/mailroom-platform-connections.png', fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/mailroom-platform-connections-dark.png', fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
