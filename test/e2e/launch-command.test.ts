import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, settled, type ConsoleSession } from './support/console-session.ts';
import { SCHEMES, showScheme } from './support/schemes.ts';

const noBackticks = async (page: Page) => expect(await page.evaluate(() => document.body.innerText)).not.toContain('`');

// Finding 9: a user who ran `npm start` is told to look at what `npm start` printed, as code, never in literal backticks.
describe.each(SCHEMES)('the command the user ran, named in the console, %s', (scheme) => {
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-launch-'));
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback', command: 'npm start' });
    session = await openConsole(services, { command: 'npm start', context: { colorScheme: scheme } });
    page = session.page;
    recordPageErrors(page, pageErrors, { console: false });
  });

  afterAll(async () => {
    await session?.close();
    services?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('tells a tab opened without its key to open the address `npm start` printed', async () => {
    await page.goto(`${session.host.origin}/`);
    // Waits for the page itself (not a fixed second): on a loaded machine the first render can take longer.
    await page.getByRole('heading', { name: 'Open Mailroom from its address' }).waitFor();
    await page.locator('main, .fullscreen-message').filter({ hasText: 'Open the address that npm start printed' }).first().waitFor();
    expect(await page.locator('.fullscreen-message code').allInnerTexts()).toEqual(['npm start', 'npm start']);
    await noBackticks(page);
    await showScheme(page, scheme);
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-no-session-${scheme}.png` });
  });

  it('says the same when the host refuses the key the tab has', async () => {
    // A new document, so the app starts again and takes the key from the address.
    await page.goto('about:blank');
    await page.goto(`${session.host.origin}/#token=not-the-session-key`);
    const error = page.getByRole('alert').filter({ hasText: 'Could not load the overview.' });
    await error.waitFor();
    // The key was refused, so the command arrives from /launch.json just after the error is drawn.
    await expect.poll(() => error.locator('code').first().innerText()).toBe('npm start');
    expect(await error.innerText()).toContain('Open the address that npm start printed');
    await noBackticks(page);
  });

  it('names the command in Settings', async () => {
    await page.goto('about:blank');
    await page.goto(session.host.url);
    await page.evaluate(() => (location.hash = '#/settings'));
    await expect.poll(() => page.getByText('Browser console (started with npm start, loopback only)').isVisible(), { timeout: 15_000 }).toBe(true);
    await noBackticks(page);
    expect(pageErrors).toEqual([]);
  });
});
