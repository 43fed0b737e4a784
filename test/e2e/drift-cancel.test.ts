import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { createTestDatabase, type TestDatabase } from '../integration/provisioning/support/databases.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, type ConsoleSession } from './support/console-session.ts';
import { routerCall } from './support/router-call.ts';

const WAIT = { timeout: 30_000 };

// "Every long job cancellable": an evaluation started from the Drift page stops from its Cancel button, shows no error
// and stores nothing. DNS goes to a loopback UDP socket that never answers, so the evaluation is slow for certain.
describe('cancelling an evaluation from the Drift page', () => {
  let silent: Socket;
  const queries: Buffer[] = [];
  let db: TestDatabase;
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertRendererBuilt();
    silent = createSocket('udp4');
    silent.on('message', (m) => queries.push(m));
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-drift-cancel-'));
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback', dnsServers: [`127.0.0.1:${silent.address().port}`] });
    // As `mailroom serve` and the desktop app run them: the evaluation the Cancel button stops is in a worker thread.
    services.standards.evaluateOffThread(true);
    const call = routerCall(services);
    db = await createTestDatabase('sqlite');
    const { id } = await call('connections.addPostfixAdmin', [{ name: 'slow box', dialect: 'sqlite', path: db.target.path! }]);
    for (const d of ['one.cancel.test', 'two.cancel.test', 'three.cancel.test']) await call('domains.create', [id, { name: d }]);
    await call('domains.refresh', [id]);
    session = await openConsole(services);
    page = session.page;
    recordPageErrors(page, pageErrors);
    await page.goto(session.host.url);
    await page.waitForSelector('.sidebar');
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    services?.close();
    silent?.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows Cancel while it runs; cancelling leaves no evaluation, no error, and the page as it was', async () => {
    await page.evaluate(() => (location.hash = '#/drift'));
    const main = page.locator('main');
    await expect.poll(() => main.getByRole('region', { name: 'Never evaluated' }).isVisible(), WAIT).toBe(true);
    await main.getByRole('button', { name: 'Evaluate now' }).click();
    const cancel = main.getByRole('button', { name: 'Cancel evaluation' });
    await expect.poll(() => cancel.isVisible(), WAIT).toBe(true);
    await expect.poll(() => queries.length, WAIT).toBeGreaterThan(0);
    await cancel.click();
    await expect.poll(() => cancel.count(), WAIT).toBe(0);
    expect(await main.getByRole('button', { name: 'Evaluate now' }).isEnabled()).toBe(true);
    expect(await main.getByRole('region', { name: 'Never evaluated' }).isVisible()).toBe(true);
    expect(await main.getByText('The evaluation failed.').count()).toBe(0);
    const latest = await services.router.dispatch('standards.latest', ['email baseline', {}]);
    expect(latest).toEqual({ ok: true, value: null });
    expect(pageErrors).toEqual([]);
  });
});
