import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { startLoopbackHost, type LoopbackHost } from '../../electron/host/loopback-host.ts';
import { KeychainVault } from '../../electron/platform/keychain-vault.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { compareMailboxes } from '../integration/migration/compare.ts';
import { endpointFor } from '../integration/migration/support.ts';
import { generateContacts, generateEvents, seedCollection } from '../support/dav-corpus.ts';
import { loadCorpus, seedMailbox } from '../support/migration-corpus.ts';
import { startRadicale, storedItems, type RadicaleServer } from '../support/radicale.ts';
import { addImapUser, testServers, type TestServers } from '../support/servers.ts';

const RENDERER_DIR = resolve('dist/renderer');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const MAIL = 12;
const EVENTS = { work: 18, family: 7 } as const;
const CONTACTS = 9;

// The "done when" in the console: a plan shows a mailbox's calendars and contacts beside
// its folders, and one batch moves mail, calendars and contacts; Dovecot and Radicale's own
// storage are the judges of what arrived.
describe('Calendars and contacts in the Migrations page, Dovecot mail and Radicale DAV on both sides', () => {
  let servers: TestServers;
  let radicale: RadicaleServer;
  let dataDir: string;
  let vault: KeychainVault;
  let services: Services;
  let host: LoopbackHost;
  let browser: Browser;
  let page: Page;
  const source = account('e2edav-src');
  const target = account('e2edav-dst');
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`${RENDERER_DIR}/index.html is missing: build the renderer first (npm run test:e2e does).`);
    servers = testServers();
    addImapUser(servers, source.user, source.password);
    addImapUser(servers, target.user, target.password);
    await seedMailbox(endpointFor(source), loadCorpus(MAIL));
    // Radicale's users are plain names; each logs in with the password of its mailbox.
    radicale = await startRadicale([{ user: 'grace', password: source.password }, { user: 'heidi', password: target.password }]);
    await seedCollection(radicale, 'grace', source.password, { kind: 'calendar', name: 'work', displayName: 'Work', components: ['VEVENT', 'VTODO'], items: generateEvents(EVENTS.work, 'America/New_York', 'wk') });
    await seedCollection(radicale, 'grace', source.password, { kind: 'calendar', name: 'family', displayName: 'Family', items: generateEvents(EVENTS.family, 'Australia/Sydney', 'fa') });
    await seedCollection(radicale, 'grace', source.password, { kind: 'addressbook', name: 'people', displayName: 'People', items: generateContacts(CONTACTS) });
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-dav-'));
    vault = new KeychainVault(`Mailroom-e2e-${randomUUID()}`);
    services = composeServices({ dataDir, vault, logger: createMemoryLogger(), transport: 'loopback' });
    services.migration.start();
    host = await startLoopbackHost({ router: services.router, events: services.events, logger: createMemoryLogger(), rendererDir: RENDERER_DIR });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1100 }, colorScheme: 'light' })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await services?.migration.shutdown();
    services?.close();
    await radicale?.stop();
    for (const entry of (await vault?.list().catch(() => [])) ?? []) await vault.delete(entry);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('plans from a CSV with DAV columns and shows the calendars and address books beside the folders', async () => {
    await page.goto(host.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Migrations' }).click();
    // The page's shortcuts work once it is drawn: its empty state says so.
    await expect.poll(() => page.getByText('No migration plans yet — import a CSV of mailbox pairs or pick two connections.').isVisible()).toBe(true);
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'New migration plan' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel('Plan name').fill('E2E mail and calendars');
    const dav = (user: string) => radicale.url.replace('http://', `http://${user}@`);
    await dialog.getByLabel('Mailbox pairs (CSV)').fill(
      `source,target,source_password,target_password,source_dav,target_dav\n${imapUrl(source)},${imapUrl(target)},${source.password},${target.password},${dav('grace')},${dav('heidi')}\n`,
    );
    await expect.poll(() => dialog.getByText('1 pair ready').isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Create plan and take inventory' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'E2E mail and calendars', level: 1 }).isVisible(), { timeout: 60_000 }).toBe(true);

    // The column's figures are Radicale's own count of stored items, not the planner's echo.
    const events = storedItems(radicale, 'grace', 'work').length + storedItems(radicale, 'grace', 'family').length;
    const contacts = storedItems(radicale, 'grace', 'people').length;
    const row = page.getByRole('row').filter({ hasText: /calendars ·/ }).first();
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toContain(`2 calendars · ${events} items`);
    expect(await row.innerText()).toContain(`1 address book · ${contacts} contacts`);
    expect(await row.innerText()).toContain(String(MAIL));
    await page.screenshot({ path: '/tmp/mailroom-migrations-dav-plan.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/mailroom-migrations-dav-plan-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('runs one batch that moves the mail, then the calendars and contacts, and reports each collection', async () => {
    await page.getByRole('button', { name: 'Run batch' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Batch · E2E mail and calendars' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByRole('region', { name: 'Overall progress' }).innerText(), { timeout: 120_000 }).toContain('100 %');
    await expect.poll(() => page.getByRole('status', { name: 'Verification' }).innerText(), { timeout: 120_000 }).toContain('Verified clean');

    await page.getByRole('row').filter({ hasText: 'Clean' }).first().getByRole('button', { name: /^Report for / }).click();
    const table = page.getByRole('table', { name: /^Calendars and contacts of / });
    await expect.poll(() => table.isVisible(), { timeout: 30_000 }).toBe(true);
    const cells = async (label: string) => (await table.getByRole('row', { name: label }).innerText()).replace(/\s+/g, ' ');
    expect(await cells('Calendar Work')).toMatch(new RegExp(`Work calendar ${EVENTS.work} ${EVENTS.work} 0 0`));
    expect(await cells('Calendar Family')).toMatch(new RegExp(`Family calendar ${EVENTS.family} ${EVENTS.family} 0 0`));
    expect(await cells('Address book People')).toMatch(new RegExp(`People address book ${CONTACTS} ${CONTACTS} 0 0`));
    expect(await page.getByText('every item read back equal').isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/mailroom-migrations-dav-batch.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/mailroom-migrations-dav-batch-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('left every message on the target Dovecot and every item in the target Radicale, once', async () => {
    const cmp = await compareMailboxes(endpointFor(source), endpointFor(target));
    expect([cmp.missing, cmp.extra, cmp.targetMessages]).toEqual([[], [], MAIL]);
    for (const collection of ['work', 'family', 'people']) {
      const sourceUids = uids(radicale, 'grace', collection);
      expect(uids(radicale, 'heidi', collection), collection).toEqual(sourceUids);
      expect(new Set(sourceUids).size).toBe(sourceUids.length);
    }
    expect(uids(radicale, 'heidi', 'work')).toHaveLength(EVENTS.work);
    expect(pageErrors).toEqual([]);
  });
});

function account(prefix: string): { user: string; password: string } {
  return { user: `${prefix}-${randomBytes(4).toString('hex')}@example.test`, password: randomBytes(12).toString('base64url') };
}

function imapUrl(a: { user: string }): string {
  return `imap+plain://${encodeURIComponent(a.user)}@127.0.0.1:${testServers().imap.port}`;
}

// The UID of each item as Radicale stores it on disk.
function uids(server: RadicaleServer, user: string, collection: string): string[] {
  return storedItems(server, user, collection).map((i) => /^UID:(.*)$/m.exec(i.text)?.[1]?.trim() ?? `no uid in ${i.name}`).sort();
}
