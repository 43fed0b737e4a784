import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      await expect.poll(() => banner.isVisible()).toBe(true);
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

  it('shows no warning with the vault file, and Settings names it', async () => {
    for (const s of running.splice(0)) await s.stop();
    const host = await serve(['--vault', 'file', '--passphrase-env', 'VAULT_PASSPHRASE']);
    const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    await page.goto(host.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect.poll(() => page.getByText(`Secrets are kept in the vault file ${join(dataDir, 'vault.json')}, sealed with its passphrase.`).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByText(BANNER).count()).toBe(0);
  });
});
