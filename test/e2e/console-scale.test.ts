import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventorySnapshot } from '../../bench/cache/inventory-snapshot.ts';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, settled, type ConsoleSession } from './support/console-session.ts';
import { SCHEMES, showScheme } from './support/schemes.ts';

const DOMAINS = 1000;
const MAILBOXES = 100_000;
const snapshot = inventorySnapshot(DOMAINS, MAILBOXES);
const matching = (text: string) => snapshot.mailboxes.filter((m) => m.address.includes(text) || (m.displayName ?? '').toLowerCase().includes(text)).length;
const rowNames = (page: Page, scroll: string) => page.locator(`[data-testid="${scroll}"] [role="row"] [role="rowheader"] a, [data-testid="${scroll}"] [role="row"] [role="rowheader"] .vtable__primary`).allInnerTexts();

// An MSP's cache: 1,000 domains and 100,000 mailboxes on one PostfixAdmin, two small branches beside it (finding 7, and
// the Routing and Storage layout of finding 9). Everything here reads the cache; no backend is asked.
describe.each(SCHEMES)('the console at 1,000 domains and 100,000 mailboxes, %s', (scheme) => {
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-scale-'));
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback' });
    const head = await services.connections.addPostfixAdmin({ name: 'Head office', dialect: 'sqlite', path: join(dataDir, 'absent.db') });
    if (!head.ok) throw new Error(head.error.message);
    services.inventory.replace(head.value.id, snapshot, new Date().toISOString());
    for (const [name, prefix] of [['Branch 10', 'ten'], ['Branch 2', 'two']] as const) {
      const branch = await services.connections.addPostfixAdmin({ name, dialect: 'sqlite', path: join(dataDir, `${prefix}.db`) });
      if (!branch.ok) throw new Error(branch.error.message);
      const small = inventorySnapshot(2, 4);
      services.inventory.replace(branch.value.id, { ...small, domains: small.domains.map((d, i) => ({ ...d, name: `${prefix}${i}.example` })), mailboxes: [], forwarding: [], aliases: [], groups: [] }, new Date().toISOString());
    }
    session = await openConsole(services, { context: { viewport: { width: 1440, height: 900 }, colorScheme: scheme } });
    page = session.page;
    recordPageErrors(page, pageErrors);
    await page.goto(session.host.url);
    await page.waitForSelector('.sidebar');
    await showScheme(page, scheme);
  }, 300_000);

  afterAll(async () => {
    await session?.close();
    services?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('draws only the visible rows of the 1,004 domains, in natural order, and scrolls to the last', async () => {
    await page.evaluate(() => (location.hash = '#/domains'));
    const table = page.getByRole('table', { name: 'Domains' });
    await expect.poll(() => table.getAttribute('aria-rowcount'), { timeout: 20_000 }).toBe(String(DOMAINS + 4 + 1));
    await expect.poll(() => page.getByRole('tab', { name: /Domains/ }).innerText()).toContain('1,004');
    // The rows are drawn a frame after the table around them.
    await expect.poll(async () => (await rowNames(page, 'domains-scroll')).length).toBeGreaterThan(5);
    const names = await rowNames(page, 'domains-scroll');
    expect(await page.locator('[data-testid="domains-scroll"] [role="row"]').count()).toBeLessThan(60);
    // client0 is example.com in the snapshot; after the branches the clients count up 1, 2, 3 … not 1, 10, 100.
    expect(names.slice(0, 4)).toEqual(['client1.example', 'client2.example', 'client3.example', 'client4.example']);
    expect(names).toEqual([...names].sort(new Intl.Collator('en', { numeric: true }).compare));
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-scale-domains-${scheme}.png` });
    await page.getByTestId('domains-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => (await rowNames(page, 'domains-scroll')).at(-1)).toBe('two1.example');
    const tail = await rowNames(page, 'domains-scroll');
    expect(tail).toContain('client999.example');
    expect(tail.indexOf('client998.example')).toBeLessThan(tail.indexOf('client999.example'));
    expect(await page.locator('[data-testid="domains-scroll"] [role="row"]').count()).toBeLessThan(60);
    await page.locator('#global-filter').fill('client42');
    await expect.poll(async () => rowNames(page, 'domains-scroll')).toEqual(['client42.example', ...Array.from({ length: 10 }, (_, i) => `client42${i}.example`)]);
    await page.locator('#global-filter').fill('');
  });

  it('counts a search exactly, however many match', async () => {
    await page.evaluate(() => (location.hash = '#/mailboxes'));
    const count = page.locator('.filters__count');
    await expect.poll(() => count.innerText(), { timeout: 20_000 }).toBe(`${MAILBOXES.toLocaleString('en-US')} mailboxes`);
    for (const text of ['meyer', 'anna', 'client4']) {
      const expected = matching(text);
      expect(expected).toBeGreaterThan(1000);
      await page.locator('#global-filter').fill(text);
      await expect.poll(() => count.innerText(), { timeout: 20_000 }).toBe(`${expected.toLocaleString('en-US')} mailboxes`);
    }
    await page.locator('#global-filter').fill('');
    await page.keyboard.press('Escape');
  });

  it('filters by domain and connection through searchable comboboxes, by keyboard', async () => {
    const domain = page.getByRole('combobox', { name: 'Domain' });
    await domain.focus();
    await page.keyboard.type('client42');
    expect(await domain.getAttribute('aria-expanded')).toBe('true');
    const list = page.getByRole('listbox', { name: 'Domain' });
    await expect.poll(() => list.getByRole('option').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('client42.example'), expect.stringContaining('client429.example')]));
    expect((await list.getByRole('option').allInnerTexts())[0]).toContain('client42.example');
    await page.keyboard.press('ArrowDown');
    const active = await domain.getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${active}"]`).innerText()).toContain('client420.example');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    expect(await domain.getAttribute('aria-expanded')).toBe('false');
    expect(await domain.inputValue()).toBe('client42.example');
    await expect.poll(() => page.locator('.filters__count').innerText()).toBe(`${MAILBOXES / DOMAINS} mailboxes`);
    // Escape closes the list and keeps the choice; a search with no match says so.
    await domain.focus();
    await page.keyboard.type('no-such-domain');
    await expect.poll(() => page.getByText('No match for “no-such-domain”').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await domain.getAttribute('aria-expanded')).toBe('false');
    expect(await domain.inputValue()).toBe('client42.example');
    // Connections come in natural order too: Branch 2 before Branch 10.
    const connection = page.getByRole('combobox', { name: 'Connection' });
    await connection.click();
    expect(await page.getByRole('listbox', { name: 'Connection' }).getByRole('option').allInnerTexts()).toEqual([expect.stringContaining('All connections'), expect.stringContaining('Branch 2'), expect.stringContaining('Branch 10'), expect.stringContaining('Head office')]);
    await page.keyboard.press('Escape');
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-scale-mailboxes-${scheme}.png` });
  });

  it('picks the domain of a new mailbox and of a new alias from 1,004 by typing, drawing only the options in view', async () => {
    await page.getByRole('button', { name: 'New mailbox' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New mailbox' });
    const picker = dialog.getByRole('combobox', { name: 'Domain' });
    await picker.click();
    expect(await page.getByRole('option').count()).toBeLessThan(40);
    await page.keyboard.type('client7');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await picker.inputValue()).toBe('@client70.example');
    // Escape with the list open closes the list, not the dialog; the next one closes the dialog.
    await picker.click();
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    await page.getByRole('tab', { name: 'Aliases & catch-alls' }).click();
    await page.getByRole('button', { name: 'New alias' }).click();
    const aliasDialog = page.getByRole('dialog', { name: 'New alias' });
    const aliasPicker = aliasDialog.getByRole('combobox', { name: 'Domain' });
    await aliasPicker.focus();
    await page.keyboard.type('client999');
    await page.keyboard.press('Enter');
    expect(await aliasPicker.inputValue()).toBe('@client999.example');
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-scale-new-alias-${scheme}.png` });
    await aliasDialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('fits the Routing tab in the window and draws only the findings in view', async () => {
    await page.getByRole('tab', { name: 'Routing' }).click();
    const findings = page.getByRole('region', { name: 'Routing findings' });
    await expect.poll(() => findings.isVisible(), { timeout: 30_000 }).toBe(true);
    const heading = await findings.getByRole('heading').innerText();
    const total = Number(/\(([\d,]+)\)/.exec(heading)?.[1]?.replace(/,/g, '') ?? 0);
    expect(total).toBeGreaterThan(1000);
    expect(await findings.getByRole('listitem').count()).toBeLessThan(60);
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, main: document.querySelector('main')!.scrollWidth, mainBox: document.querySelector('main')!.clientWidth }));
    expect(widths.page).toBeLessThanOrEqual(1440);
    expect(widths.main).toBeLessThanOrEqual(widths.mainBox);
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-scale-routing-${scheme}.png` });
  });

  it('lays the Storage chart labels out without overlap and lists every domain', async () => {
    await page.evaluate(() => (location.hash = '#/domains'));
    await page.getByRole('tab', { name: 'Storage' }).click();
    const chart = page.getByRole('img', { name: 'Used and free storage of the 20 largest domains' });
    await expect.poll(() => chart.getAttribute('data-label-gap'), { timeout: 30_000 }).not.toBeNull();
    for (const name of ['Used and free storage of the 20 largest domains', 'The 20 largest mailboxes', 'Used storage per platform']) {
      const geometry = await page.getByRole('img', { name }).evaluate((el) => ({ gap: Number(el.dataset['labelGap']), room: Number(el.dataset['labelRoom']), width: Number(el.dataset['labelWidth']) }));
      expect(geometry.gap, name).toBeGreaterThanOrEqual(16);
      expect(geometry.room, name).toBeGreaterThanOrEqual(geometry.width);
    }
    const allocation = page.getByRole('table', { name: 'Allocation per domain' });
    expect(await allocation.getAttribute('aria-rowcount')).toBe(String(DOMAINS + 4 + 1));
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-scale-storage-${scheme}.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
