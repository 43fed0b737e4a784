import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import type { LoopbackHost } from '../../electron/host/loopback-host.ts';
import { KeychainVault } from '../../electron/platform/keychain-vault.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { closedPort } from '../support/closed-port.ts';
import { testServers, trustsTestCa, type TestServers } from '../support/servers.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, recordTraffic, type ConsoleSession } from './support/console-session.ts';

// One browser session walks the console like an admin would; the steps share the page and run in order.
describe('the console in Chromium over the loopback host, against the real Dovecot', () => {
  let servers: TestServers;
  let dataDir: string;
  let vault: KeychainVault;
  let services: Services;
  let session: ConsoleSession;
  let host: LoopbackHost;
  let page: Page;
  const wrongPassword = `Wr0ng-${randomUUID()}`;
  const received: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertRendererBuilt();
    servers = testServers();
    if (!trustsTestCa(servers)) {
      throw new Error(`Start vitest with NODE_EXTRA_CA_CERTS=${servers.ca} so Node trusts Dovecot's certificate (test/run.sh does).`);
    }
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-'));
    vault = new KeychainVault(`Mailroom-e2e-${randomUUID()}`);
    services = composeServices({ dataDir, vault, logger: createMemoryLogger(), transport: 'loopback' });
    session = await openConsole(services, { context: { viewport: { width: 1360, height: 1000 }, acceptDownloads: true } });
    ({ host, page } = session);
    recordTraffic(page, received, { websockets: true });
    recordPageErrors(page, pageErrors);
  });

  afterAll(async () => {
    await session?.close();
    services?.close();
    for (const account of (await vault?.list().catch(() => [])) ?? []) await vault.delete(account);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens on the overview, pointing to Connections, and moves the token out of the URL', async () => {
    await page.goto(host.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Welcome to Mailroom' }).isVisible()).toBe(true);
    expect(page.url()).not.toContain(host.token);
    expect(await page.evaluate(() => sessionStorage.getItem('mailroom.session-token'))).toBe(host.token);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Live' }).count()).toBe(1);
    await page.screenshot({ path: '/tmp/mailroom-overview-empty.png' });
    // The keychain answers here: no warning banner.
    expect(await page.getByText('Passwords can be neither saved nor read').count()).toBe(0);
    await page.getByRole('link', { name: 'Add a connection' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'No connections yet' }).isVisible()).toBe(true);
  });

  it('adds an IMAPS connection to Dovecot through the form and lists it', async () => {
    const user = servers.users[0]!;
    const port = page.getByLabel('Port', { exact: true });
    await page.getByLabel('TLS mode').selectOption('starttls');
    expect(await port.inputValue()).toBe('143');
    await page.getByLabel('TLS mode').selectOption('implicit');
    expect(await port.inputValue()).toBe('993');

    await page.getByRole('button', { name: 'Add connection' }).click();
    await expect.poll(() => page.getByText('Enter a name').isVisible()).toBe(true);
    expect(await page.getByLabel('Name', { exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);

    await addConnection(page, { name: 'Dovecot', host: servers.imap.host, port: servers.imap.imapsPort, user: user.user, password: user.password });
    const row = page.getByRole('row', { name: /Dovecot/ });
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await row.innerText()).toContain(`${servers.imap.host}:${servers.imap.imapsPort}`);
    // Added only after its test passed.
    expect(await row.innerText()).toContain('Passed');
    // The list shows the new row as soon as it refreshes; the form clears when the save's answer arrives.
    await expect.poll(() => page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('');
  });

  it('tests the connection and shows the capabilities', async () => {
    await page.getByRole('button', { name: 'Test Dovecot' }).click();
    const result = page.getByRole('region', { name: 'Test result for Dovecot' });
    await expect.poll(() => result.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await result.innerText()).toContain('Test passed');
    const capabilities = await page.getByRole('list', { name: 'Capabilities of Dovecot' }).innerText();
    expect(capabilities).toMatch(/IMAP4rev1/i);
    expect(await result.innerText()).toMatch(/listed \d+ folders/);
    await expect.poll(() => page.getByRole('row', { name: /Dovecot/ }).first().innerText()).toContain('Passed');
  });

  it('shows the plain-language error for a wrong password', async () => {
    const user = servers.users[0]!;
    await addConnection(page, { name: 'Dovecot bad password', host: servers.imap.host, port: servers.imap.imapsPort, user: user.user, password: wrongPassword, untested: true });
    await page.getByRole('button', { name: 'Test Dovecot bad password' }).click();
    const result = page.getByRole('region', { name: 'Test result for Dovecot bad password' });
    await expect.poll(() => result.isVisible(), { timeout: 20_000 }).toBe(true);
    const text = await result.innerText();
    expect(text).toContain('The server rejected the user name or password.');
    expect(text).toContain('imap.auth');
  });

  it('shows the plain-language error for a port where nothing listens', async () => {
    const port = await closedPort();
    await addConnection(page, { name: 'Nowhere', host: '127.0.0.1', port, user: 'nobody@example.test', password: 'irrelevant-pw', untested: true });
    await page.getByRole('button', { name: 'Test Nowhere' }).click();
    const result = page.getByRole('region', { name: 'Test result for Nowhere' });
    await expect.poll(() => result.isVisible(), { timeout: 20_000 }).toBe(true);
    const text = await result.innerText();
    expect(text).toContain('Cannot reach the server');
    expect(text).toContain('imap.connection');
  });

  it('looks right in light and dark mode', async () => {
    const dismiss = page.getByRole('button', { name: /^Dismiss:/ });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    await page.getByRole('heading', { name: 'Connections', level: 1 }).hover();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(246, 247, 249)');
    await page.screenshot({ path: '/tmp/mailroom-connections.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 17, 21)');
    // Buttons ease their colours; wait for the transition to end so the screenshot shows the settled theme.
    const testButton = page.getByRole('button', { name: 'Test Dovecot', exact: true });
    await expect.poll(() => testButton.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(23, 26, 33)');
    await page.screenshot({ path: '/tmp/mailroom-connections-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('journals the change: Activity lists connections.addImap, verifies the chain and exports CSV', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('a');
    await expect.poll(() => page.getByRole('heading', { name: 'Activity', level: 1 }).isVisible()).toBe(true);
    const entry = page.getByRole('row', { name: /connections\.addImap.*Dovecot\b(?! bad)/ });
    await expect.poll(() => entry.count()).toBe(1);
    await entry.getByRole('button', { name: /Details of entry/ }).click();
    // The change reads as a diff: the new connection's port was nothing before and is the IMAPS port now.
    expect(await page.locator('.audit-detail').first().getByRole('row', { name: /settings\.port/ }).innerText()).toContain(String(servers.imap.imapsPort));

    await page.screenshot({ path: '/tmp/mailroom-activity.png' });
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect.poll(() => page.getByText('Chain intact').isVisible()).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('connections.addImap');
    expect(csv).not.toContain(servers.users[0]!.password);
  });

  it('updates Activity live when a change arrives from elsewhere', async () => {
    const before = await page.getByRole('row').count();
    await services.router.dispatch('connections.addImap', [
      { name: 'Added by the CLI', host: '127.0.0.1', port: 993, tls: 'implicit', user: 'cli@example.test', password: 'cli-secret-pw' },
    ]);
    await expect.poll(() => page.getByRole('row', { name: /Added by the CLI/ }).count()).toBe(1);
    expect(await page.getByRole('row').count()).toBe(before + 1);
  });

  it('summarises connections, last tests and recent activity on the overview', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('o');
    const platforms = page.getByRole('region', { name: 'Per platform' });
    await expect.poll(() => platforms.isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: /Connections$/ }).filter({ hasText: '4' }).count()).toBe(1);
    expect(await platforms.getByRole('row', { name: /^Dovecot\b(?! bad)/ }).innerText()).toMatch(/Dovecot[\s\S]*Passed/);
    expect(await page.getByRole('region', { name: 'Recent activity' }).innerText()).toContain('Added the IMAP connection Dovecot');
    await page.screenshot({ path: '/tmp/mailroom-overview.png' });
  });

  it('removes a connection after confirmation', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Remove Nowhere' }).isVisible()).toBe(true);
    await page.keyboard.press('/');
    await page.keyboard.type('nowhere');
    await expect.poll(() => page.getByRole('button', { name: /^Remove / }).count()).toBe(1);
    await page.getByRole('button', { name: 'Remove Nowhere' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Remove “Nowhere”?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Remove connection' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Nowhere/ }).count()).toBe(0);
    expect(services.connections.find('Nowhere')).toBeNull();
    await page.getByLabel('Filter', { exact: true }).fill('');
    expect(await page.getByRole('button', { name: /^Remove / }).count()).toBe(3);
    // Escape leaves the filter box, so the next keys are shortcuts again rather than text.
    await page.keyboard.press('Escape');
  });

  it('shows the shortcut sheet and honours the theme override', async () => {
    await page.keyboard.press('?');
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await page.getByLabel('Dark').check();
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 17, 21)');
    await page.screenshot({ path: '/tmp/mailroom-settings-dark.png' });
    await page.getByLabel('System').check();
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBeUndefined();
    await expect.poll(() => page.getByText(dataDir).isVisible()).toBe(true);
    expect(await page.getByText('Secrets are kept in the Secret Service keyring (GNOME Keyring, KeePassXC).').isVisible()).toBe(true);
  });

  it('never shows or receives a password, and raised no page error or CSP violation', async () => {
    const html = await page.content();
    const text = await page.evaluate(() => document.body.innerText);
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    for (const secret of [servers.users[0]!.password, wrongPassword, 'irrelevant-pw', 'cli-secret-pw']) {
      expect(html).not.toContain(secret);
      expect(text).not.toContain(secret);
      expect(storage).not.toContain(secret);
      expect(received.filter((body) => body.includes(secret))).toEqual([]);
    }
    expect(received.length).toBeGreaterThan(10);
    expect(pageErrors).toEqual([]);
  });
});

// `untested` saves without the test on add, for connections these steps then test by hand.
async function addConnection(page: Page, c: { name: string; host: string; port: number; user: string; password: string; untested?: boolean }): Promise<void> {
  await page.getByLabel('Test the connection before saving it').setChecked(!c.untested);
  await page.getByLabel('Name', { exact: true }).fill(c.name);
  await page.getByLabel('Host', { exact: true }).fill(c.host);
  await page.getByLabel('Port', { exact: true }).fill(String(c.port));
  await page.getByLabel('User name', { exact: true }).fill(c.user);
  await page.getByLabel('Password', { exact: true }).fill(c.password);
  await page.getByRole('button', { name: 'Add connection' }).click();
  await expect.poll(() => page.getByRole('row', { name: new RegExp(`^${c.name}\\b`) }).count(), { timeout: 20_000 }).toBe(1);
}
