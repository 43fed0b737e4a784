import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import type { AlertCandidate, AlertDestination } from '../../shared/domain/alerts.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, settled, type ConsoleSession } from './support/console-session.ts';
import { SCHEMES, showScheme } from './support/schemes.ts';

const TOKEN = 'E2e-Slack-Token-4417';
const WAIT = { timeout: 20_000 };
const spf = (target: string, customer: string): AlertCandidate => ({ rule: 'spf.all-pass', target, customer, expected: 'SPF ends in -all', current: 'SPF ends in +all' });

// Settings › Alerts: destinations added, tested, snoozed, edited and removed in the console; alerts listed and filtered by customer.
describe.each(SCHEMES)('Settings › Alerts, %s', (scheme) => {
  const vault = new MemoryVault();
  const received: { path: string; body: { text?: string; blocks?: unknown[] } }[] = [];
  let receiver: Server;
  let base = '';
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];
  const destinations = async (): Promise<AlertDestination[]> => {
    const r = await services.router.dispatch('alerts.destinations', []);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as AlertDestination[];
  };
  const card = () => page.locator('#settings-alerts');

  beforeAll(async () => {
    assertRendererBuilt();
    receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(text) as { text?: string } });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-alerts-'));
    services = composeServices({ dataDir, vault, logger: createMemoryLogger(), transport: 'loopback' });
    // Two evaluations raise both; a third without globex.test resolves it.
    const at = (h: number) => new Date(Date.UTC(2026, 5, 1, h));
    const both = [spf('acme.test', 'Acme'), spf('globex.test', 'Globex')];
    await services.alerts.observe({ source: 'standard:email-baseline', at: at(0), candidates: both });
    await services.alerts.observe({ source: 'standard:email-baseline', at: at(3), candidates: both });
    await services.alerts.observe({ source: 'standard:email-baseline', at: at(6), candidates: [both[0]!] });
    session = await openConsole(services, { context: { viewport: { width: 1400, height: 1000 } } });
    page = session.page;
    recordPageErrors(page, pageErrors, { console: false });
    page.on('dialog', (d) => void d.accept());
    await page.goto(session.host.url);
    await page.waitForSelector('.sidebar');
    await showScheme(page, scheme);
  });
  afterAll(async () => {
    await session?.close();
    services?.close();
    await new Promise((done) => receiver?.close(done));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists raised and resolved alerts, filtered by customer and state', async () => {
    await page.evaluate(() => (location.hash = '#/settings/alerts'));
    const list = card().getByRole('region', { name: 'Alerts' });
    const rows = () => list.getByRole('row').filter({ hasText: 'spf.all-pass' });
    await expect.poll(() => rows().count(), WAIT).toBe(2);
    expect(await rows().filter({ hasText: 'globex.test' }).innerText()).toContain('Resolved');
    expect(await rows().filter({ hasText: 'acme.test' }).innerText()).toContain('Raised');
    await list.getByLabel('Customer').selectOption('Acme');
    await expect.poll(() => rows().count(), WAIT).toBe(1);
    expect(await rows().innerText()).toContain('acme.test');
    await list.getByLabel('Customer').selectOption('');
    await list.getByLabel('Show').selectOption('resolved');
    await expect.poll(async () => (await rows().allInnerTexts()).join('|'), WAIT).toMatch(/^[^|]*globex\.test[^|]*$/);
    await list.getByLabel('Show').selectOption('');
  });

  it('adds a Slack destination: the URL goes to the keychain only, never back into the page', async () => {
    const form = card().getByRole('form', { name: 'Add an alert destination' });
    await form.getByRole('button', { name: 'Add destination' }).click();
    await expect.poll(() => form.getByRole('alert').count(), WAIT).toBeGreaterThan(0);
    await form.getByLabel('Name').fill('Ops Slack');
    await form.getByLabel('Kind').selectOption('slack');
    await form.getByLabel('Webhook URL').fill(`${base}/services/T1/B1/${TOKEN}`);
    await form.getByRole('button', { name: 'Add destination' }).click();
    await expect.poll(() => card().getByRole('row', { name: 'Ops Slack' }).count(), WAIT).toBe(1);
    const [saved] = await destinations();
    expect(saved).toMatchObject({ name: 'Ops Slack', kind: 'slack', urlOrigin: base });
    expect(await vault.get(`alerts:webhook:${saved!.id}`)).toBe(`${base}/services/T1/B1/${TOKEN}`);
    expect(await page.evaluate(() => document.body.innerHTML)).not.toContain(TOKEN);
  });

  it('test button delivers a Slack-shaped message and shows the answer', async () => {
    received.length = 0;
    await card().getByRole('button', { name: 'Send a test alert to Ops Slack' }).click();
    await expect.poll(() => page.getByTestId('test-result-Ops Slack').innerText(), WAIT).toContain(`Test to Ops Slack: delivered. ${base} answered HTTP 200`);
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe(`/services/T1/B1/${TOKEN}`);
    expect(received[0]!.body.text).toBe('Test alert: mailroom.test on Ops Slack');
    expect(Array.isArray(received[0]!.body.blocks)).toBe(true);
  });

  it('snoozes for a chosen time and wakes; edits the name; removes it with its URL', async () => {
    const row = () => card().getByRole('row', { name: /Ops/ });
    await row().getByLabel('Snooze Ops Slack for').selectOption('8');
    await row().getByRole('button', { name: 'Snooze' }).click();
    await expect.poll(() => row().innerText(), WAIT).toContain('Until ');
    const [snoozed] = await destinations();
    const hours = (Date.parse(snoozed!.snoozedUntil!) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(7);
    expect(hours).toBeLessThanOrEqual(8);
    await settled(page);
    await page.screenshot({ path: `/tmp/mailroom-settings-alerts-${scheme}.png`, fullPage: true });
    await row().getByRole('button', { name: 'Wake' }).click();
    await expect.poll(async () => (await destinations())[0]!.snoozedUntil, WAIT).toBeNull();

    await row().getByRole('button', { name: 'Edit Ops Slack' }).click();
    const edit = card().getByRole('form', { name: 'Edit Ops Slack' });
    await edit.getByLabel('Name').fill('Ops alerts');
    await edit.getByRole('button', { name: 'Save destination' }).click();
    await expect.poll(async () => (await destinations())[0]!.name, WAIT).toBe('Ops alerts');
    const id = (await destinations())[0]!.id;
    expect(await vault.get(`alerts:webhook:${id}`)).toContain(TOKEN);

    await card().getByRole('button', { name: 'Remove Ops alerts' }).click();
    await expect.poll(async () => (await destinations()).length, WAIT).toBe(0);
    expect(await vault.get(`alerts:webhook:${id}`)).toBeNull();
    await expect.poll(() => card().getByText('No destinations yet').count(), WAIT).toBe(1);
    const journal = services.journal.list({ limit: 50 }).entries.map((e) => e.action);
    expect(journal).toEqual(expect.arrayContaining(['alerts.addDestination', 'alerts.test', 'alerts.snooze', 'alerts.updateDestination', 'alerts.removeDestination', 'alerts.raised', 'alerts.resolved']));
    expect(pageErrors).toEqual([]);
  });

  it('every raise and resolve is on the Activity page, in words', async () => {
    await page.evaluate(() => (location.hash = '#/activity'));
    await expect.poll(() => page.getByText('Alert raised: spf.all-pass on globex.test').count(), WAIT).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('Alert resolved: spf.all-pass on globex.test').count(), WAIT).toBeGreaterThan(0);
    expect(await page.getByText('Alert raised: spf.all-pass on acme.test').count()).toBeGreaterThan(0);
  });
});
