import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../electron/app/compose.ts';
import { chromiumPrinter } from '../../electron/platform/chromium-printer.ts';
import type { CheckRunSummary } from '../../shared/domain/dns.ts';
import type { MonthlyReport } from '../../shared/domain/monthly-report.ts';
import type { StandardEvaluation } from '../../shared/domain/standards.ts';
import type { StorageSummary } from '../../shared/domain/storage.ts';
import { monthlyReportHash } from '../../shared/lib/monthly-report-route.ts';
import { parseCsvRecords } from '../../renderer/lib/csv.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { buildReportCustomer, reportServices, type ReportCustomer } from '../support/report-customer.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, type ConsoleSession } from './support/console-session.ts';
import { luminance, SCHEMES, showScheme } from './support/schemes.ts';

const WAIT = { timeout: 60_000 };
const money = (v: number | null): string => (v === null ? '—' : v.toFixed(2));

// Issue 14 item 6: a customer's monthly report on the console, its figures those of the services that own them
// (storage and its price table, the deliverability checks, the stored standard evaluations), in light, dark and print.
describe('the monthly report page of a customer', () => {
  let dataDir: string;
  let services: Services;
  let built: ReportCustomer;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];
  const value = async <T>(channel: string, ...args: unknown[]): Promise<T> => {
    const r = await services.router.dispatch(channel, args);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as T;
  };
  const sheet = () => page.locator('[data-report-ready]');
  const text = (selector: string) => sheet().locator(selector).first().textContent();

  beforeAll(async () => {
    assertRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-report-'));
    services = reportServices(dataDir, new MemoryVault());
    built = await buildReportCustomer(services, 'page');
    session = await openConsole(services, { context: { viewport: { width: 1400, height: 1200 }, acceptDownloads: true } });
    page = session.page;
    recordPageErrors(page, pageErrors);
    await page.goto(session.host.url);
    await page.waitForSelector('.sidebar');
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    services?.close();
    await built?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens from the Overview and shows the figures the storage, check and standards services hold', async () => {
    await page.evaluate(() => (location.hash = '#/overview'));
    await page.getByRole('link', { name: `Monthly report for ${built.customer}` }).click();
    await expect.poll(() => sheet().count(), WAIT).toBe(1);
    expect(await page.evaluate(() => location.hash)).toBe(monthlyReportHash({ customer: built.customer }));

    const storage = await value<StorageSummary>('storage.summary');
    const mine = storage.platforms.filter((p) => p.connectionId === built.acmeConnection);
    expect(mine).toHaveLength(1);
    const platform = mine[0]!;
    expect(platform.mailboxes).toBe(3);
    const row = sheet().locator(`tr[data-platform="${platform.connectionName}"]`);
    expect(await row.locator('[data-figure=seats]').textContent()).toBe(String(platform.mailboxes));
    expect(await row.locator('[data-figure=cost]').textContent()).toBe(money(platform.monthlyCost));
    expect(await row.locator('[data-figure=per-seat]').textContent()).toBe(money(platform.perSeatCost));
    expect(await row.locator('[data-figure=flat]').textContent()).toBe(money(platform.flatCost));
    expect(await sheet().locator('[data-figure=storage]').getAttribute('data-raw')).toBe(String(platform.usedBytes));
    // Birch's mailbox is not Acme's: only one platform row and the total is Acme's alone.
    expect(await sheet().locator('tbody tr[data-platform]').count()).toBe(1);

    const checks = (await value<CheckRunSummary[]>('dns.domains')).filter((c) => built.domains.includes(c.domain));
    expect(checks).toHaveLength(2);
    const average = Math.round(checks.reduce((n, c) => n + c.score, 0) / checks.length);
    expect(await text('.monthly-report__figure[data-figure=deliverability] .monthly-report__figure-value')).toBe(String(average));
    for (const c of checks) expect(await sheet().locator(`tr[data-domain="${c.domain}"] [data-figure=score]`).textContent()).toBe(String(c.score));

    const latest = await value<StandardEvaluation>('standards.latest', 'email baseline', { customer: built.customer });
    const [first] = built.evaluations;
    const alignment = sheet().locator('tr[data-standard="email baseline"]');
    expect(await alignment.locator('[data-figure=first]').textContent()).toBe(String(first!.score[built.customer]));
    expect(await alignment.locator('[data-figure=last]').textContent()).toBe(String(latest.score[built.customer]));
    expect(await alignment.locator('[data-figure=supported]').textContent()).toBe(String(latest.supportedScore[built.customer]));
    expect(await alignment.locator('[data-figure=evaluations]').textContent()).toBe('2');

    // The SPF fixed in Knot between the two evaluations is resolved; the other domain's is still open.
    const [fixed, loose] = built.domains;
    expect(await sheet().locator(`tr[data-drift="spf.all-neutral ${fixed}"] td`).last().textContent()).not.toBe('open');
    expect(await sheet().locator(`tr[data-drift="spf.all-neutral ${loose}"] td`).last().textContent()).toBe('open');
    const open = latest.deviations.length;
    expect(await text('.monthly-report__figure[data-figure=drift] .monthly-report__figure-value')).toBe(String(open));
    expect(pageErrors).toEqual([]);
  });

  it('exports the CSV the service writes, figure for figure', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const fromPage = parseCsvRecords(readFileSync((await download.path())!, 'utf8')).records;
    const report = await value<MonthlyReport>('customerReports.monthly', { customer: built.customer });
    const fromService = parseCsvRecords(await value<string>('customerReports.monthlyCsv', { customer: built.customer, month: report.month })).records;
    // generatedAt is not in the CSV, so two reports of the same month compare equal.
    expect(fromPage).toEqual(fromService);
    expect(fromPage.find((r) => r['figure'] === 'seats' && r['section'] === 'summary')?.['value']).toBe(String(report.seats));
  });

  it('saves the PDF printed from this page through the loopback host, with the figures the service holds', async () => {
    services.printer.use(chromiumPrinter(session.host.url));
    try {
      const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByRole('button', { name: 'Save PDF' }).click()]);
      const file = (await download.path())!;
      expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      const report = await value<MonthlyReport>('customerReports.monthly', { customer: built.customer });
      expect(download.suggestedFilename()).toBe(`mailroom-Acme-Corp-${report.month}.pdf`);
      const words = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).split(/\s+/);
      for (const figure of [String(report.seats), money(report.cost.current), String(report.deliverability.average)]) expect(words).toContain(figure);
    } finally {
      services.printer.use(null);
    }
  });

  it.each(SCHEMES)('draws in the %s scheme and prints the sheet alone on white', async (scheme) => {
    await showScheme(page, scheme);
    const sheetBackground = await sheet().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(scheme === 'dark' ? luminance(sheetBackground) < 0.2 : luminance(sheetBackground) > 0.6).toBe(true);
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('.sidebar').isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: 'Export CSV' }).isVisible()).toBe(false);
      const printed = await sheet().evaluate((el) => getComputedStyle(el).color);
      expect(luminance(printed)).toBeLessThan(0.2);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });
});
