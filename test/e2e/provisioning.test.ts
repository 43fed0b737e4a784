import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { createTestDatabase, type TestDatabase } from '../integration/provisioning/support/databases.ts';
import { eventually, imapLogin, message, sendSmtp } from '../integration/provisioning/support/mail-client.ts';
import { dovecotLog, isRoot, startDovecot, type DovecotInstance } from '../integration/provisioning/support/mail-servers.ts';
import { postfixLog, startPostfix, type PostfixInstance } from '../integration/provisioning/support/postfix-server.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, type ConsoleSession } from './support/console-session.ts';

// An admin provisions a PostfixAdmin (SQLite) server through the console; Dovecot (and Postfix as root) read the same database.
describe('provisioning through the console in Chromium, checked on the real Dovecot', () => {
  let db: TestDatabase;
  let dovecot: DovecotInstance;
  let postfix: PostfixInstance | null = null;
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];
  const alicePassword = `Alice-${Math.random().toString(36).slice(2, 10)}-pw`;
  const bobPassword = `Bob-${Math.random().toString(36).slice(2, 10)}-pw`;
  const inbox = (user: string, pass: string) => imapLogin(dovecot.imapPort, user, pass);

  beforeAll(async () => {
    assertRendererBuilt();
    db = await createTestDatabase('sqlite');
    dovecot = await startDovecot(db.target);
    if (isRoot) postfix = await startPostfix(db.target, dovecot.lmtpPort);
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-prov-'));
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback' });
    // The Connections page adds IMAP servers only; the PostfixAdmin connection goes in through the same service the router calls.
    const added = await services.connections.addPostfixAdmin({ name: 'Self-hosted', dialect: 'sqlite', path: db.target.path!, passwordScheme: 'SHA512-CRYPT' });
    if (!added.ok) throw new Error(added.error.message);
    session = await openConsole(services, { context: { viewport: { width: 1400, height: 950 } } });
    page = session.page;
    recordPageErrors(page, pageErrors, { console: false });
    await page.goto(session.host.url);
    await page.waitForSelector('.sidebar');
  });

  afterAll(async () => {
    await session?.close();
    services?.close();
    await postfix?.stop();
    await dovecot?.stop();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refreshes the connection and creates two domains on the Domains page', async () => {
    await page.evaluate(() => (location.hash = '#/domains'));
    await page.getByRole('button', { name: 'Refresh Self-hosted' }).click();
    await expect.poll(() => page.getByText('Refreshed Self-hosted').count()).toBeGreaterThan(0);
    for (const name of ['example.test', 'other.test']) {
      await page.getByRole('button', { name: 'New domain' }).click();
      await page.getByLabel('Domain name').fill(name);
      await page.getByRole('button', { name: 'Create domain' }).click();
      await expect.poll(() => page.getByRole('row', { name: new RegExp(name.replace('.', '\\.')) }).count()).toBe(1);
    }
  });

  it('creates mailboxes through the form; Dovecot accepts the typed password over IMAP', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('m');
    await expect.poll(() => page.getByRole('heading', { name: 'Mailboxes', level: 1 }).isVisible()).toBe(true);
    for (const [local, domain, password, name] of [['alice', 'example.test', alicePassword, 'Alice Example'], ['bob', 'other.test', bobPassword, 'Bob Other']] as const) {
      await page.getByRole('button', { name: 'New mailbox' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'New mailbox' });
      await dialog.getByLabel('Address', { exact: true }).fill(local);
      if (local === 'alice') {
        // The console greys what the services say the platform cannot do, with the services' own pointer to where instead.
        const caps = await services.provisioning.capabilities('Self-hosted');
        if (!caps.ok || caps.value.mailbox.forcePasswordChange.level !== 'unsupported') throw new Error('expected PostfixAdmin to report no forced password change');
        const force = dialog.locator('label.checkbox', { hasText: 'Ask for a new password at first login' });
        await expect.poll(() => force.getAttribute('title')).toContain(caps.value.mailbox.forcePasswordChange.manual);
        expect(await force.getByRole('checkbox').isDisabled()).toBe(true);
      }
      await dialog.getByRole('combobox', { name: 'Domain' }).click();
      await page.keyboard.type(domain);
      await page.keyboard.press('Enter');
      expect(await dialog.getByRole('combobox', { name: 'Domain' }).inputValue()).toBe(`@${domain}`);
      await dialog.getByLabel('Display name').fill(name);
      await dialog.getByLabel('Password', { exact: true }).fill(password);
      await dialog.getByRole('button', { name: 'Create mailbox' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      await expect.poll(() => page.getByRole('row', { name: `${local}@${domain}` }).count()).toBe(1);
    }
    // The password was typed once and is nowhere in the page afterwards.
    expect(await page.content()).not.toContain(alicePassword);
    expect(await inbox('alice@example.test', alicePassword), dovecotLog(dovecot)).toBe(0);
    expect(await inbox('bob@other.test', bobPassword)).toBe(0);
    expect(await inbox('alice@example.test', 'wrong-password')).toBe('refused');
  });

  it('finds a mailbox by search-as-you-type', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('bob');
    await expect.poll(() => page.locator('.vtable__row[aria-label]').count()).toBe(1);
    expect(await page.locator('.vtable__row[aria-label]').first().getAttribute('aria-label')).toBe('bob@other.test');
    await page.locator('#global-filter').fill('');
    await expect.poll(() => page.locator('.vtable__row[aria-label]').count()).toBe(2);
  });

  it('creates an alias through the UI that delivers to both mailboxes', async () => {
    await page.getByRole('tab', { name: 'Aliases & catch-alls' }).click();
    await page.getByRole('button', { name: 'New alias' }).click();
    const dialog = page.getByRole('dialog', { name: 'New alias' });
    await dialog.getByLabel('Alias address').fill('sales');
    await dialog.getByRole('combobox', { name: 'Domain' }).click();
    await page.keyboard.type('example.test');
    await page.keyboard.press('Enter');
    await dialog.getByLabel('Targets').fill('alice@example.test\nbob@other.test');
    await dialog.getByRole('button', { name: 'Create alias' }).click();
    await expect.poll(() => page.getByRole('row', { name: /sales@example\.test/ }).count()).toBe(1);
    if (!postfix) return;
    await sendSmtp(postfix.smtpPort, ['sales@example.test'], message('to sales'));
    const arrived = await eventually(async () => (await inbox('alice@example.test', alicePassword)) === 1 && (await inbox('bob@other.test', bobPassword)) === 1, 15_000);
    expect(arrived, postfixLog(postfix)).toBe(true);
  });

  it('sets a forward with keep-a-copy through the UI; mail to alice also reaches bob', async () => {
    await page.getByRole('tab', { name: 'Mailboxes' }).click();
    await page.getByRole('row', { name: 'alice@example.test' }).click();
    await page.getByRole('button', { name: 'Forwarding alice@example.test' }).click();
    const dialog = page.getByRole('dialog', { name: 'Forwarding of alice@example.test' });
    await dialog.getByLabel('Forward to').fill('bob@other.test');
    await dialog.getByLabel('Keep a copy in this mailbox').check();
    await dialog.getByRole('button', { name: 'Save forwarding' }).click();
    await expect.poll(() => page.getByRole('complementary', { name: 'Mailbox alice@example.test' }).innerText()).toContain('bob@other.test (keeps a copy)');
    await page.getByRole('tab', { name: 'Routing' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Routes' }).innerText()).toContain('alice@example.test');
    await page.screenshot({ path: '/tmp/mailroom-routing-e2e.png' });
    if (!postfix) return;
    await sendSmtp(postfix.smtpPort, ['alice@example.test'], message('forwarded'));
    const arrived = await eventually(async () => (await inbox('alice@example.test', alicePassword)) === 2 && (await inbox('bob@other.test', bobPassword)) === 2, 15_000);
    expect(arrived, `alice ${await inbox('alice@example.test', alicePassword)}, bob ${await inbox('bob@other.test', bobPassword)}\n${postfixLog(postfix)}`).toBe(true);
  });

  it('journalled every change and hit no page errors', async () => {
    const actions = services.journal.list({ limit: 50 }).entries.map((e) => `${e.action} ${e.object ?? ''}`);
    for (const expected of ['domains.create example.test', 'mailboxes.create alice@example.test', 'aliases.upsert sales@example.test', 'mailboxes.setForwarding alice@example.test']) {
      expect(actions.some((a) => a.startsWith(expected)), actions.join('\n')).toBe(true);
    }
    expect(JSON.stringify(services.journal.list({ limit: 50 }))).not.toContain(alicePassword);
    expect(pageErrors).toEqual([]);
  });
});
