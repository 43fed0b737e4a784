import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonthlyReport } from '../../../shared/domain/monthly-report.ts';
import { parseCsvRecords } from '../../../renderer/lib/csv.ts';
import { assertRendererBuilt } from '../../e2e/support/console-session.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';
import { buildReportCustomer, reportServices, type ReportCustomer } from '../../support/report-customer.ts';

const money = (v: number | null): string => (v === null ? '—' : v.toFixed(2));

// Issue 14 items 6 and 7: `mailroom report monthly --pdf` prints the console's own page with Chromium; the PDF's text
// (read by poppler's pdftotext) carries the figures of the JSON and the CSV written by the same run.
describe('mailroom report monthly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-report-cli-'));
  const dataDir = join(dir, 'home');
  const vault = new MemoryVault();
  let built: ReportCustomer;

  beforeAll(async () => {
    assertRendererBuilt();
    const services = reportServices(dataDir, vault);
    try {
      built = await buildReportCustomer(services, 'cli');
    } finally {
      services.close();
    }
  }, 240_000);

  afterAll(async () => {
    await built?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a PDF, printed from the console page, whose text holds the figures of the JSON and the CSV', async () => {
    const pdf = join(dir, 'acme.pdf');
    const csv = join(dir, 'acme.csv');
    const run = await runCliInProcess(['report', 'monthly', '--customer', 'acme corp', '--csv', csv, '--pdf', pdf, '--json'], { dataDir, vault });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const report = run.json() as MonthlyReport & { files: { csv: string; pdf: string } };
    expect(report.customer).toBe('Acme Corp');
    expect(report.files).toEqual({ csv, pdf });
    expect(report.seats).toBe(3);
    expect(report.deliverability.domains.map((d) => d.domain).sort()).toEqual([...built.domains].sort());
    expect(report.alignment.map((a) => a.evaluations)).toEqual([2]);
    expect(report.drift.resolved).toBeGreaterThanOrEqual(1);

    // Kept for a look at the layout, like the e2e screenshots.
    copyFileSync(pdf, join(tmpdir(), 'mailroom-report-monthly.pdf'));
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(statSync(pdf).mode & 0o777).toBe(0o600);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Acme Corp');
    expect(text).not.toContain('Birch');
    const cells = text.split(/\s+/);
    for (const figure of [money(report.cost.current), money(report.cost.perSeat), money(report.cost.flat), String(report.seats), String(report.deliverability.average)]) expect(cells).toContain(figure);
    for (const d of report.deliverability.domains) expect(text).toMatch(new RegExp(`${d.domain.replace(/\./g, '\\.')}\\s+${d.score}\\b`));
    const a = report.alignment[0]!;
    expect(text).toContain('email');
    expect(text).toMatch(new RegExp(`\\s${a.first}\\s+${a.last}\\s+${a.lowest}\\s+${a.lastSupported}\\s+${a.evaluations}`));

    // The CSV of the same run says the same.
    const rows = parseCsvRecords(readFileSync(csv, 'utf8')).records;
    const summary = (figure: string) => rows.find((r) => r['section'] === 'summary' && r['figure'] === figure)?.['value'];
    expect(summary('seats')).toBe(String(report.seats));
    expect(summary(`monthly cost (${report.currency})`)).toBe(String(report.cost.current ?? ''));
    expect(summary('deliverability score')).toBe(String(report.deliverability.average));
    expect(summary('deviations open')).toBe(String(report.drift.open));
    expect(cells).toContain(String(report.drift.open));
  }, 120_000);

  it('refuses an unknown customer, a malformed month and an existing file in one line each, writing nothing', async () => {
    const unknown = await runCliInProcess(['report', 'monthly', '--customer', 'Nobody'], { dataDir, vault });
    expect(unknown.code).toBe(1);
    expect(unknown.err.trim().split('\n')).toHaveLength(1);
    expect(unknown.err).toMatch(/No customer "Nobody"\. Known: .*Acme Corp/);

    const month = await runCliInProcess(['report', 'monthly', '--customer', 'Acme Corp', '--month', '2026-13'], { dataDir, vault });
    expect(month.code).toBe(2);
    expect(month.err.trim().split('\n')).toHaveLength(1);
    expect(month.err).toMatch(/YYYY-MM/);

    const existing = join(dir, 'exists.csv');
    execFileSync('sh', ['-c', `printf keep > '${existing}'`]);
    const clash = await runCliInProcess(['report', 'monthly', '--customer', 'Acme Corp', '--csv', existing], { dataDir, vault });
    expect(clash.code).toBe(2);
    expect(clash.err).toMatch(/never replaced/);
    expect(readFileSync(existing, 'utf8')).toBe('keep');
  });
});
