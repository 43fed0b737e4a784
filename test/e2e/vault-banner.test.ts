import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileVault, vaultFilePath } from '../../electron/platform/file-vault.ts';
import { isServing, startServe, type ServeProcess } from '../support/serve-process.ts';
import { assertRendererBuilt, CHROMIUM_ARGS, recordPageErrors, RENDERER_DIR } from './support/console-session.ts';
import { SCHEMES, showScheme } from './support/schemes.ts';

const BANNER = 'Passwords can be neither saved nor read';

// `mailroom serve` as a separate process with no Secret Service on its session bus, as on a headless server.
describe('the served console on a machine without a Secret Service', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let browser: Browser;
  const running: ServeProcess[] = [];
  const pageErrors: string[] = [];

  const serve = async (args: string[]): Promise<ServeProcess> => {
    const started = await startServe(['--data-dir', dataDir, ...args], env, ['--renderer', RENDERER_DIR]);
    if (!isServing(started)) throw new Error(`serve did not start: ${started.stdout}${started.stderr}`);
    running.push(started);
    return started;
  };

  beforeAll(async () => {
    assertRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-vault-'));
    env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dataDir, 'no-bus')}`, MAILROOM_VAULT: '', VAULT_PASSPHRASE: `e2e passphrase ${randomUUID()}` };
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    for (const s of running) await s.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('warns on every page with the fix for this OS, in light and dark, and checks again on request', async () => {
    const host = await serve([]);
    for (const colorScheme of SCHEMES) {
      const context = await browser.newContext({ colorScheme, viewport: { width: 1360, height: 900 } });
      const page = await context.newPage();
      recordPageErrors(page, pageErrors, { console: false });
      await page.goto(host.url);
      const banner = page.getByRole('alert').filter({ hasText: BANNER });
      await expect.poll(() => banner.isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await banner.innerText()).toMatch(/Start and unlock a Secret Service keyring in this login session .*MAILROOM_VAULT=file/);
      const box = (await banner.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(1360);
      await showScheme(page, colorScheme);
      await page.screenshot({ path: `/tmp/mailroom-vault-banner-${colorScheme}.png` });
      // Still there on another page; "Check again" asks the keychain afresh and the answer has not changed.
      await page.getByRole('link', { name: 'Connections' }).click();
      await banner.getByRole('button', { name: 'Check again' }).click();
      await expect.poll(() => banner.getByRole('button', { name: 'Check again' }).isEnabled()).toBe(true);
      expect(await banner.isVisible()).toBe(true);
      await context.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('shows no warning with the vault file, names it in Settings, and seals a password added in the console there', async () => {
    for (const s of running.splice(0)) await s.stop();
    const host = await serve(['--vault', 'file', '--passphrase-env', 'VAULT_PASSPHRASE']);
    const typed = { light: `light-${randomUUID()}`, dark: `dark-${randomUUID()}` };
    for (const colorScheme of SCHEMES) {
      const context = await browser.newContext({ colorScheme, viewport: { width: 1360, height: 900 } });
      const page = await context.newPage();
      recordPageErrors(page, pageErrors, { console: false });
      await page.goto(host.url);
      await showScheme(page, colorScheme);
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByText(`Secrets are kept in the vault file ${vaultFilePath(dataDir)}, sealed with its passphrase.`).waitFor();
      expect(await page.getByText(BANNER).count()).toBe(0);
      // The first "Add connection" on a headless server answered "internal error" (finding 4); with the vault file it saves.
      await page.getByRole('link', { name: 'Connections' }).click();
      await page.getByLabel('Name', { exact: true }).fill(`Headless ${colorScheme}`);
      await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
      await page.getByLabel('User name', { exact: true }).fill(`${colorScheme}@example.test`);
      await page.getByLabel('Password', { exact: true }).fill(typed[colorScheme]);
      // Nothing listens for this account: saved untested, since the point here is where the password goes.
      await page.getByLabel('Test the connection before saving it').uncheck();
      await page.getByRole('button', { name: 'Add connection' }).click();
      await page.getByRole('row', { name: new RegExp(`^Headless ${colorScheme}\\b`) }).waitFor();
      await context.close();
    }
    // Read back from the file with its passphrase: both passwords, sealed (never in the file as typed).
    const vault = new FileVault(vaultFilePath(dataDir), async () => env['VAULT_PASSPHRASE']!);
    const stored = await Promise.all((await vault.list()).filter((a) => a.startsWith('connection:')).map((a) => vault.get(a)));
    expect(stored.sort()).toEqual([typed.dark, typed.light]);
    const file = readFileSync(vaultFilePath(dataDir), 'utf8');
    for (const password of Object.values(typed)) expect(file).not.toContain(password);
    expect(pageErrors).toEqual([]);
  });
});
