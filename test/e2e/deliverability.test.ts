import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import type { LoopbackHost } from '../../electron/host/loopback-host.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { dnsServer, publishZone } from '../integration/dns/dns-fixtures.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, type ConsoleSession } from './support/console-session.ts';

const DRIFT = 'e2e-drift.dlv.test';

// One admin session on the Deliverability page against the Knot fixture zones; the steps share the page and run in order.
describe('the Deliverability page in Chromium, against Knot', () => {
  let dataDir: string;
  let vault: MemoryVault;
  let services: Services;
  let session: ConsoleSession;
  let host: LoopbackHost;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertRendererBuilt();
    await publishZone(DRIFT, '@ MX 10 mx.clean.dlv.test.\n@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@e2e-drift.dlv.test"');
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-dlv-'));
    vault = new MemoryVault();
    services = composeServices({
      dataDir,
      vault,
      logger: createMemoryLogger(),
      transport: 'loopback',
      dnsServers: [dnsServer()],
      // The fixtures live in RFC 5737 documentation ranges and no SMTP listener runs on port 25.
      dnsSettings: { options: { testNets: true, smtp: { enabled: false, port: 25, timeoutMs: 1000 }, httpsTimeoutMs: 2000 } },
    });
    session = await openConsole(services, { context: { viewport: { width: 1440, height: 1000 }, acceptDownloads: true }, permissions: ['clipboard-read', 'clipboard-write'] });
    ({ host, page } = session);
    recordPageErrors(page, pageErrors);
  });

  afterAll(async () => {
    await session?.close();
    services?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens the page with nothing checked yet', async () => {
    await page.goto(host.url);
    await page.getByRole('link', { name: 'Deliverability' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'No domains checked yet' }).isVisible()).toBe(true);
  });

  it('refuses lines that are not domains, says why, and shows an internationalised name in its xn-- form', async () => {
    await page.getByLabel('Domains', { exact: true }).fill('not a domain!!\nbücher.example\nunder_score.example');
    const alert = page.getByRole('alert').filter({ hasText: 'not domain names' });
    await expect.poll(() => alert.innerText()).toMatch(/2 lines are not domain names[\s\S]*not a domain!![\s\S]*underscores are not allowed/);
    await expect.poll(() => page.getByText('xn--bcher-kva.example').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('1 domain to check').isVisible()).toBe(true);
    await page.getByLabel('Domains', { exact: true }).fill('');
  });

  it('checks a clean and a failing zone from a pasted list, with progress, and sorts them by health', async () => {
    await page.getByLabel('Domains', { exact: true }).fill(`domain\nclean.dlv.test\nspf-multiple-records.dlv.test, extra column\n${DRIFT}\n`);
    await page.getByLabel('DKIM selectors').fill('sel2048 ed');
    await expect.poll(() => page.getByText('3 domains to check').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Check 3 domains' }).click();
    const grid = page.getByRole('grid', { name: 'Domains by health' });
    await expect.poll(() => grid.getByRole('row').count(), { timeout: 30_000 }).toBe(4);
    // Sorted by score, worst first: the zone with two SPF records leads.
    expect(await grid.getByRole('row').nth(1).getAttribute('aria-label')).toBe('spf-multiple-records.dlv.test');
    expect(await grid.getByRole('row', { name: 'clean.dlv.test' }).innerText()).toMatch(/9\d/);
    await page.getByRole('columnheader', { name: 'Domain' }).getByRole('button').click();
    expect(await grid.getByRole('row').nth(1).getAttribute('aria-label')).toBe('clean.dlv.test');
    await page.getByLabel('Filter', { exact: true }).fill('spf');
    await expect.poll(() => grid.getByRole('row').count()).toBe(2);
    await page.getByLabel('Filter', { exact: true }).fill('');
  });

  it('shows the clean zone without warnings and the failing finding with its severity, records and fix', async () => {
    const grid = page.getByRole('grid', { name: 'Domains by health' });
    await grid.getByRole('row', { name: 'clean.dlv.test' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'clean.dlv.test' }).isVisible()).toBe(true);
    const detail = page.getByRole('region', { name: 'clean.dlv.test' });
    await expect.poll(() => detail.getByRole('listitem').count()).toBeGreaterThan(0);
    // every result says which resolver answered
    expect(await detail.getByTestId('dlv-resolver').innerText()).toBe(dnsServer());
    const cleanText = await detail.innerText();
    expect(cleanText).not.toMatch(/\b(Critical|Error|Warning)\b/);

    await grid.getByRole('row', { name: 'spf-multiple-records.dlv.test' }).click();
    const finding = page.getByRole('listitem', { name: 'Critical: spf.multiple-records' });
    await expect.poll(() => finding.isVisible()).toBe(true);
    const text = await finding.innerText();
    expect(text).toContain('publishes 2 SPF records');
    expect(text).toContain('Merge them into a single v=spf1 record.');
    expect(await page.getByRole('region', { name: 'SPF', exact: true }).isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/mailroom-deliverability-light.png', fullPage: true });
  });

  it('copies the fix to the clipboard and confirms on the button', async () => {
    const finding = page.getByRole('listitem', { name: 'Critical: spf.multiple-records' });
    await finding.getByRole('button', { name: 'Copy fix' }).click();
    await expect.poll(() => finding.getByRole('button', { name: 'Copied' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('Merge them into a single v=spf1 record.');
  });

  it('alerts when a re-check finds something broke, and the overview lists it until marked as seen', async () => {
    const grid = page.getByRole('grid', { name: 'Domains by health' });
    await grid.getByRole('row', { name: DRIFT }).click();
    await expect.poll(() => page.getByRole('heading', { name: DRIFT }).isVisible()).toBe(true);
    await publishZone(DRIFT, '@ MX 10 mx.clean.dlv.test.\n@ TXT "v=spf1 mx -all"\n@ TXT "v=spf1 +all"');
    await page.getByRole('button', { name: 'Re-check' }).click();
    await expect.poll(() => page.getByText(`${DRIFT}: deliverability got worse`).isVisible(), { timeout: 30_000 }).toBe(true);
    // Two runs now: the history chart is drawn.
    await expect.poll(() => page.getByRole('img', { name: /Health score history: 2 checks/ }).isVisible()).toBe(true);
    expect(await page.getByRole('listitem', { name: /^Critical: spf.multiple-records/ }).isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Overview' }).click();
    const card = page.getByRole('region', { name: 'Broke since your last look' });
    await expect.poll(() => card.isVisible()).toBe(true);
    expect(await card.innerText()).toContain(DRIFT);
    expect(await card.innerText()).toContain('dmarc.missing');
    await page.screenshot({ path: '/tmp/mailroom-overview-changes.png' });
    await card.getByRole('button', { name: 'Mark as seen' }).click();
    await expect.poll(() => card.isVisible()).toBe(false);
    const journal = services.journal.list({ limit: 20 }).entries.map((e) => e.action);
    expect(journal).toContain('dns.findingsChanged');
  });

  it('generates the record set for a domain with a DKIM key and shows expected next to actual', async () => {
    await page.getByRole('link', { name: 'Deliverability' }).click();
    await page.getByRole('grid', { name: 'Domains by health' }).getByRole('row', { name: 'clean.dlv.test' }).click();
    await page.getByRole('button', { name: 'Generate records' }).click();
    expect(await page.getByLabel('Domain', { exact: true }).inputValue()).toBe('clean.dlv.test');
    await page.getByLabel('Mail host').fill('mx.clean.dlv.test');
    await page.getByLabel('Selector').fill('s2026');
    await page.getByRole('button', { name: 'Generate key' }).click();
    const key = page.getByLabel('DKIM record for s2026');
    await expect.poll(() => key.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await key.innerText()).toMatch(/v=DKIM1; k=rsa; p=MII/);
    expect(await vault.get('dkim:clean.dlv.test:s2026')).toMatch(/BEGIN PRIVATE KEY/);

    await page.getByRole('button', { name: 'Generate records' }).click();
    const table = page.getByRole('table', { name: 'Expected and actual records for clean.dlv.test' });
    await expect.poll(() => table.isVisible(), { timeout: 20_000 }).toBe(true);
    const mx = table.getByRole('row', { name: 'clean.dlv.test MX' });
    expect(await mx.innerText()).toMatch(/10 mx\.clean\.dlv\.test\.[\s\S]*10 mx\.clean\.dlv\.test\.[\s\S]*Published/);
    const dkim = table.getByRole('row', { name: 's2026._domainkey.clean.dlv.test TXT' });
    expect(await dkim.innerText()).toContain('Missing');
    const autoconfig = table.getByRole('row', { name: 'autoconfig.clean.dlv.test CNAME' });
    expect(await autoconfig.innerText()).toContain('Published');
    await dkim.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => dkim.getByRole('button', { name: 'Copied' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^"v=DKIM1; k=rsa; p=MII[^"]*" "/);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export zone file' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('clean.dlv.test.zone');
    const zone = readFileSync((await file.path())!, 'utf8');
    expect(zone).toContain('$ORIGIN clean.dlv.test.');
    expect(zone).toMatch(/s2026\._domainkey\t300\tIN\tTXT\t"v=DKIM1/);
    await page.screenshot({ path: '/tmp/mailroom-records-light.png', fullPage: true });
  });

  it('renders in the dark theme and shows 500+ domains in a virtualized table', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('tab', { name: 'Checks' }).click();
    const many = Array.from({ length: 520 }, (_, i) => `d${i}.bulk.invalid-zone.test`).join('\n');
    await page.getByLabel('Domains', { exact: true }).fill(many);
    await page.getByRole('button', { name: 'Check 520 domains' }).click();
    await expect.poll(() => page.getByText(/520 domains$|523 domains$/).first().isVisible(), { timeout: 60_000 }).toBe(true);
    const rendered = await page.getByRole('grid', { name: 'Domains by health' }).getByRole('row').count();
    expect(rendered).toBeLessThan(60);
    await page.getByRole('grid', { name: 'Domains by health' }).getByRole('row', { name: 'spf-multiple-records.dlv.test' }).click().catch(() => undefined);
    await page.screenshot({ path: '/tmp/mailroom-deliverability-dark.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows the resolver in Settings, refuses a server that is not an address, and saves a valid one', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const card = page.getByRole('region', { name: 'DNS resolver' });
    await expect.poll(() => card.getByTestId('resolver-effective').innerText()).toBe(dnsServer());
    await card.getByLabel('These DNS servers').check();
    await card.getByLabel('DNS servers', { exact: true }).fill('dns.example.com');
    await card.getByRole('button', { name: 'Save resolver' }).click();
    await expect.poll(() => card.innerText()).toMatch(/not a DNS server/);
    await card.getByLabel('DNS servers', { exact: true }).fill('192.0.2.53:5300');
    await card.getByRole('button', { name: 'Save resolver' }).click();
    await expect.poll(() => page.getByText('DNS resolver saved').isVisible()).toBe(true);
    const entry = await services.journal.list({ limit: 5 });
    expect(entry.entries.map((e) => e.action)).toContain('dns.setResolver');
  });
});
