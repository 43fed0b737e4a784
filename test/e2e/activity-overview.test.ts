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

// Finding 8 (Activity and Overview in words, names, a diff, counts, health, migrations) and the Suspend of finding 9,
// on a real PostfixAdmin database (SQLite) that the test reads back; each in the light and the dark scheme.
// Suspend acts on one mailbox per scheme, so each run's toasts and journal entries are its own.
describe('Suspend with confirmation and Undo; Activity and Overview in plain words', () => {
  let db: TestDatabase;
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  let connectionId: string;
  const pageErrors: string[] = [];
  const MAILBOX = { light: 'ana@example.test', dark: 'bo@example.test' } as const;
  let suspendCycles = 0;
  const active = (address: string) => (new Database(db.target.path!, { readonly: true }).prepare('SELECT active FROM mailbox WHERE username = ?').get(address) as { active: number | boolean }).active;

  beforeAll(async () => {
    assertRendererBuilt();
    db = await createTestDatabase('sqlite');
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-activity-'));
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback' });
    const call = routerCall(services);
    // A connection added and removed again: the journal still names it.
    const old = await call('connections.addPostfixAdmin', [{ name: 'Old box', dialect: 'sqlite', path: join(dataDir, 'old.db') }]);
    await call('connections.remove', [old.id]);
    connectionId = (await call('connections.addPostfixAdmin', [{ name: 'Self-hosted', dialect: 'sqlite', path: db.target.path! }])).id;
    await call('domains.create', [connectionId, { name: 'example.test' }]);
    await call('mailboxes.create', [connectionId, { address: 'ana@example.test', password: 'Initial-pw-123', displayName: 'Ana' }]);
    await call('mailboxes.create', [connectionId, { address: 'bo@example.test', password: 'Initial-pw-123', displayName: 'Bo' }]);
    const refreshed = await services.provisioning.refresh(connectionId);
    if (!refreshed.ok) throw new Error(refreshed.error.message);
    session = await openConsole(services, { context: { viewport: { width: 1400, height: 950 } } });
    page = session.page;
    recordPageErrors(page, pageErrors);
    await page.goto(session.host.url);
    await page.waitForSelector('.sidebar');
  });

  afterAll(async () => {
    await session?.close();
    services?.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const scheme of SCHEMES) {
    it(`asks before suspending, does nothing on Cancel, and offers Undo once it is done (${scheme})`, async () => {
      const who = MAILBOX[scheme];
      await showScheme(page, scheme);
      await page.evaluate(() => (location.hash = '#/mailboxes'));
      await page.getByRole('row', { name: who }).click();
      await page.getByRole('button', { name: `Suspend ${who}` }).click();
      const confirm = page.getByRole('alertdialog', { name: `Suspend ${who}?` });
      await expect.poll(() => confirm.isVisible()).toBe(true);
      expect(await confirm.innerText()).toContain('can no longer sign in on Self-hosted');
      // Cancel has the focus: Enter never suspends by accident.
      expect(await confirm.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => confirm.count()).toBe(0);
      expect(Number(active(who))).toBe(1);

      await page.getByRole('button', { name: `Suspend ${who}` }).click();
      await confirm.getByRole('button', { name: 'Suspend mailbox' }).click();
      const toast = page.getByRole('status').filter({ hasText: `Suspended ${who}` });
      await expect.poll(() => toast.count()).toBe(1);
      expect(Number(active(who))).toBe(0);
      await expect.poll(() => page.getByRole('complementary', { name: `Mailbox ${who}` }).innerText()).toContain('Suspended');
      await settled(page);
      await page.screenshot({ path: `/tmp/mailroom-suspend-undo-${scheme}.png` });
      await toast.getByRole('button', { name: 'Undo' }).click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: `Unsuspended ${who}` }).count()).toBe(1);
      expect(Number(active(who))).toBe(1);
      suspendCycles += 1;
    });

    it(`lists the journal in words, names connections, finds "suspend" and shows the change as a diff (${scheme})`, async () => {
      await showScheme(page, scheme);
      await page.evaluate(() => (location.hash = '#/activity'));
      const table = page.getByRole('table', { name: 'Audit journal, newest first' });
      // A table draws a screenful of rows over three frames: wait for the oldest entries, not for a row count.
      const entries = ['Unsuspended ana@example.test', 'Suspended ana@example.test', 'Created the mailbox ana@example.test', 'Created the domain example.test', 'Removed the connection Old box', 'Added the PostfixAdmin connection Old box'];
      await expect.poll(async () => { const drawn = await table.innerText(); return entries.filter((words) => !drawn.includes(words)); }).toEqual([]);
      const text = await table.innerText();
      // The removed connection is named from the journal; the live one by its name, never by its id.
      expect(await table.getByRole('row').filter({ hasText: 'Added the PostfixAdmin connection Old box' }).innerText()).toMatch(/Old box[\s\S]*Old box/);
      expect(await table.getByRole('row').filter({ hasText: 'Created the domain example.test' }).innerText()).toContain('Self-hosted');
      expect(text).not.toContain(connectionId);

      await page.locator('#global-filter').fill('suspend');
      // The header and, per Suspend tried so far, its suspension and its undo.
      await expect.poll(() => table.getByRole('row').count()).toBe(1 + 2 * suspendCycles);
      const suspended = table.getByRole('row').filter({ hasText: /^(?![\s\S]*Unsuspended)[\s\S]*Suspended ana@example\.test/ }).first();
      expect(await suspended.innerText()).toContain('mailboxes.update');
      await suspended.getByRole('button', { name: /Details of entry/ }).click();
      const diff = page.getByRole('table', { name: /Before and after of entry/ });
      await expect.poll(() => diff.isVisible()).toBe(true);
      const activeRow = diff.getByRole('row', { name: /active/ });
      expect(await activeRow.getAttribute('class')).toContain('change-diff__row--changed');
      expect(await activeRow.innerText()).toMatch(/active\s+was\s+yes\s+now\s+no/);
      // Only what changed is shown until asked; no raw JSON.
      expect(await diff.getByRole('row').count()).toBe(2);
      await expect.poll(() => page.getByRole('button', { name: /Show \d+ unchanged fields/ }).isVisible()).toBe(true);
      expect(await page.locator('.audit-detail').innerText()).not.toContain('{');
      const colours = await activeRow.evaluate((row) => [...row.querySelectorAll('td')].map((td) => getComputedStyle(td).backgroundColor));
      expect(colours[0]).not.toBe(colours[1]);
      await settled(page);
      await page.screenshot({ path: `/tmp/mailroom-activity-words-${scheme}.png` });
      await page.locator('#global-filter').fill('');
      await page.keyboard.press('Escape');
    });

    it(`sums up platforms, health and migrations on the Overview (${scheme})`, async () => {
      await showScheme(page, scheme);
      await page.evaluate(() => (location.hash = '#/overview'));
      const platforms = page.getByRole('region', { name: 'Per platform' });
      await expect.poll(() => platforms.isVisible()).toBe(true);
      // One domain, two mailboxes.
      await expect.poll(() => platforms.getByRole('row', { name: /Self-hosted/ }).innerText()).toMatch(/Self-hosted\s+1\s+2\s+Passed/);
      expect(await platforms.getByRole('row', { name: /PostfixAdmin/ }).innerText()).toMatch(/PostfixAdmin\s+1\s+2/i);
      expect(await page.getByRole('link', { name: /Domains$/ }).filter({ hasText: '1' }).count()).toBe(1);
      expect(await page.getByRole('link', { name: /Mailboxes$/ }).filter({ hasText: '2' }).count()).toBe(1);
      const health = await page.getByRole('region', { name: 'Health' }).innerText();
      // The refresh probed the platform, which counts as its last test.
      expect(health).toContain('All 1 passing');
      expect(health).toContain('No domain checked yet');
      expect(await page.getByRole('region', { name: 'Running migrations' }).innerText()).toContain('No migration is running.');
      const recent = await page.getByRole('region', { name: 'Recent activity' }).innerText();
      expect(recent).toContain(`Unsuspended ${MAILBOX[scheme]}`);
      expect(recent).not.toContain('mailboxes.update');
      await settled(page);
      await page.screenshot({ path: `/tmp/mailroom-overview-${scheme}.png`, fullPage: true });
    });
  }

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
