import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { dnsServer } from '../integration/dns/dns-fixtures.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, type ConsoleSession } from './support/console-session.ts';
import { SCHEMES, showScheme } from './support/schemes.ts';

const NXDOMAIN = 'nonexistent.dlv.test';
const NULL_MX = 'parked.dlv.test';
const SPF_IP = 'spf-ptr.dlv.test';
const DANE = 'dane-unsigned.dlv.test';

// Finding 5 as an admin meets it on the Deliverability page, against the Knot fixture zones: a domain that does not
// exist, a Null MX checked as hosted, a sending IP named only by SPF, TLSA in an unsigned zone; each with its resolver.
describe.each(SCHEMES)('deliverability findings that no longer mislead, %s', (scheme) => {
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];
  const grid = () => page.getByRole('grid', { name: 'Domains by health' });

  /** Opens a checked domain's detail; its findings, score and resolver. */
  async function open(domain: string) {
    await grid().getByRole('row', { name: domain }).click();
    const detail = page.getByRole('region', { name: domain });
    // Waits for the detail itself rather than a fixed second: a loaded machine draws it later.
    await detail.getByTestId('dlv-resolver').waitFor();
    expect(await detail.getByTestId('dlv-resolver').innerText()).toBe(dnsServer());
    return detail;
  }

  beforeAll(async () => {
    assertRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-dlv-findings-'));
    services = composeServices({
      dataDir,
      vault: new MemoryVault(),
      logger: createMemoryLogger(),
      transport: 'loopback',
      dnsServers: [dnsServer()],
      // The fixtures live in RFC 5737 documentation ranges; nothing listens on port 25, so DANE is judged from DNS alone.
      dnsSettings: { options: { testNets: true, smtp: { enabled: false, port: 25, timeoutMs: 1000 }, httpsTimeoutMs: 2000 } },
    });
    session = await openConsole(services, { context: { viewport: { width: 1440, height: 1000 }, colorScheme: scheme } });
    page = session.page;
    recordPageErrors(page, pageErrors);
    await page.goto(session.host.url);
    await showScheme(page, scheme);
    await page.getByRole('link', { name: 'Deliverability' }).click();
    await page.getByLabel('Domains', { exact: true }).fill([NXDOMAIN, NULL_MX, SPF_IP, DANE].join('\n'));
    await page.getByRole('button', { name: 'Check 4 domains' }).click();
    // Every row once its check has answered (a check of four zones against Knot, a few seconds on a loaded machine).
    for (const domain of [NXDOMAIN, NULL_MX, SPF_IP, DANE]) await grid().getByRole('row', { name: domain }).waitFor({ timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    services?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('scores a domain the resolver calls nonexistent 0, as a critical finding and nothing else', async () => {
    expect(await grid().getByRole('row').count()).toBe(5);
    // Worst first: the missing domain leads the list.
    expect(await grid().getByRole('row').nth(1).getAttribute('aria-label')).toBe(NXDOMAIN);
    const detail = await open(NXDOMAIN);
    expect(await detail.locator('.dlv-detail__meta .badge').first().innerText()).toBe('0');
    const finding = detail.getByRole('listitem', { name: 'Critical: dns.domain-missing' });
    expect(await finding.innerText()).toContain(`${NXDOMAIN} does not exist in DNS (NXDOMAIN)`);
    expect(await detail.locator('.dlv-finding').count()).toBe(1);
  });

  it('flags a Null MX on a domain checked as hosted, and not when it is checked as parked', async () => {
    const detail = await open(NULL_MX);
    expect(await detail.getByRole('listitem', { name: 'Error: mx.missing' }).innerText()).toContain(`${NULL_MX} publishes a Null MX`);
    await page.getByRole('tab', { name: 'Checks' }).click();
    await page.getByLabel('Profile').selectOption('parked');
    await page.getByLabel('Domains', { exact: true }).fill(NULL_MX);
    await page.getByRole('button', { name: 'Check domain', exact: true }).click();
    await expect.poll(async () => (await open(NULL_MX)).getByRole('listitem', { name: 'Error: mx.missing' }).count(), { timeout: 30_000 }).toBe(0);
    await page.getByLabel('Profile').selectOption('hosted').catch(() => undefined);
  });

  it("checks the PTR of a sending IP taken from the SPF record's ip4 term", async () => {
    const detail = await open(SPF_IP);
    const finding = detail.getByRole('listitem', { name: 'Critical: ptr.missing' });
    expect(await finding.innerText()).toMatch(/Sending IP 203\.0\.113\.99[\s\S]*has no PTR record/);
  });

  it('reports TLSA records in an unsigned zone from DNS alone, port 25 unreachable', async () => {
    const detail = await open(DANE);
    expect(await detail.getByRole('listitem', { name: 'Error: dane.tlsa-missing' }).innerText()).toContain('not DNSSEC-signed');
    await page.screenshot({ path: `/tmp/mailroom-deliverability-findings-${scheme}.png`, fullPage: true });
  });

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
