import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { parseRedisUrl, type RedisOptions } from '../../electron/fleet/fleet-redis.ts';
import { startLoopbackHost, type LoopbackHost } from '../../electron/host/loopback-host.ts';
import { KeychainVault } from '../../electron/platform/keychain-vault.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import type { MigrationPlan } from '../../shared/domain/migration.ts';
import type { Result } from '../../shared/errors/result.ts';
import { contentProblems, fleetKey, obliterate, seedPairs, startCli, type Child, type TestPair } from '../integration/fleet/fleet-support.ts';
import { testServers } from '../support/servers.ts';

const RENDERER_DIR = resolve('dist/renderer');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const REDIS = 'redis://127.0.0.1:6379';
const PASSPHRASE = 'fleet passphrase for the e2e';
const MAILBOXES = 3;
const EACH = 20;

// The console as the fleet's controller: the batch dialog sends a plan to Redis, a `mailroom worker` runs it.
describe('Migrations on a fleet, in Chromium over the loopback host', () => {
  const prefix = `fleet-e2e-${process.pid}-${Date.now()}`;
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-fleet-'));
  const state = `sqlite:${join(dir, 'state.db')}`;
  let vault: KeychainVault;
  let services: Services;
  let host: LoopbackHost;
  let browser: Browser;
  let page: Page;
  let pairs: TestPair[];
  let plan: MigrationPlan;
  let key: string;
  let worker: Child | null = null;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`${RENDERER_DIR}/index.html is missing: build the renderer first (npm run test:e2e does).`);
    key = await fleetKey(dir, 'fleet.key', PASSPHRASE);
    pairs = await seedPairs('fe2e', MAILBOXES, EACH);
    vault = new KeychainVault(`Mailroom-e2e-${randomUUID()}`);
    services = composeServices({ dataDir: join(dir, 'console'), vault, logger: createMemoryLogger(), transport: 'loopback' });
    services.migration.start();
    const imap = (u: string): string => `imap+plain://${encodeURIComponent(u)}@127.0.0.1:${testServers().imap.port}`;
    const csv = ['source,target,source_password,target_password', ...pairs.map((p) => `${imap(p.source.user)},${imap(p.target.user)},${p.source.password},${p.target.password}`)].join('\n');
    const created = (await services.router.dispatch('migration.createPlanFromCsv', [{ name: 'E2E fleet move', csv, preset: 'dovecot', inventory: false }])) as Result<MigrationPlan>;
    if (!created.ok) throw new Error(created.error.message);
    plan = created.value;
    host = await startLoopbackHost({ router: services.router, events: services.events, logger: createMemoryLogger(), rendererDir: RENDERER_DIR });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1360, height: 1100 }, colorScheme: 'light' })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await services?.migration.shutdown();
    if (worker && worker.process.exitCode === null) worker.process.kill('SIGTERM');
    await worker?.exited;
    services?.close();
    for (const entry of (await vault?.list().catch(() => [])) ?? []) await vault.delete(entry);
    await obliterate(parseRedisUrl(REDIS, {}) as RedisOptions, prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('picks "Fleet" in the batch dialog, shows the empty Fleet panel, then the worker and the batch at 100 %', async () => {
    await page.goto(host.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Migrations' }).click();
    await page.getByRole('link', { name: plan.name }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'E2E fleet move', level: 1 }).isVisible(), { timeout: 15_000 }).toBe(true);
    await page.keyboard.press('f');
    const dialog = page.getByRole('alertdialog', { name: 'Run “E2E fleet move”' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('radio', { name: 'Fleet' }).check();
    await dialog.getByLabel('Redis URL').fill(REDIS);
    await dialog.getByLabel('State URL').fill(state);
    await dialog.getByLabel('Queue prefix').fill(prefix);
    await dialog.getByLabel('Fleet public key', { exact: true }).fill(readFileSync(`${key}.pub`, 'utf8'));
    await page.screenshot({ path: '/tmp/mailroom-fleet-dialog.png' });
    await dialog.getByRole('button', { name: 'Run batch' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Batch · E2E fleet move' }).isVisible(), { timeout: 15_000 }).toBe(true);

    // No worker yet: the mailboxes wait in their lane and the Fleet panel says no worker is alive.
    await page.getByRole('link', { name: 'All migrations' }).click();
    const fleet = page.getByRole('region', { name: 'Fleet' });
    await expect.poll(() => fleet.getByRole('region', { name: 'No worker is alive' }).isVisible(), { timeout: 15_000 }).toBe(true);

    worker = startCli(['worker', '--redis', REDIS, '--state', state, '--key', key, '--concurrency', '2', '--queue-prefix', prefix], { MAILROOM_FLEET_PASSPHRASE: PASSPHRASE, MAILROOM_HOME: join(dir, 'home') });
    const row = fleet.getByRole('row', { name: `Worker ${hostname()}:${worker.process.pid}` });
    await expect.poll(() => row.isVisible(), { timeout: 20_000 }).toBe(true);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: '/tmp/mailroom-fleet-panel-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('link', { name: 'E2E fleet move' }).first().click();
    const overall = page.getByRole('region', { name: 'Overall progress' });
    await expect.poll(() => overall.innerText(), { timeout: 120_000 }).toContain('100 %');
    await expect.poll(() => page.getByRole('status', { name: 'Verification' }).innerText(), { timeout: 60_000 }).toContain('Verified clean');
    expect(await overall.innerText()).toContain(`${MAILBOXES * EACH} of ${MAILBOXES * EACH} messages`);
    // Each mailbox names its lane and the worker that ran it.
    const table = page.getByRole('table', { name: 'Mailboxes in this batch' });
    expect((await table.innerText()).split(`${hostname()}:${worker.process.pid}`).length - 1).toBe(MAILBOXES);
    await page.screenshot({ path: '/tmp/mailroom-fleet-batch.png' });

    // By content, read back from Dovecot: every message on its target once.
    expect(await contentProblems(pairs)).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
