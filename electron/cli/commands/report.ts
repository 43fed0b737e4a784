import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MonthlyReport, MonthlyReportQuery } from '../../../shared/domain/monthly-report.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { startLoopbackHost } from '../../host/loopback-host.ts';
import { chromiumPrinter } from '../../platform/chromium-printer.ts';
import { createMemoryLogger } from '../../platform/logger.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';
import { defaultRendererDir } from './serve.ts';

/** `mailroom report monthly`: a customer's month as JSON, CSV and a PDF printed from the console's own page. */
export const reportCommand: CliCommand = {
  name: 'report',
  summary: "a customer's monthly report: seats, storage, cost, deliverability, alignment and drift, migrations",
  usage: `mailroom report monthly --customer C [--month YYYY-MM] [--csv F] [--pdf F] [--renderer DIR] [--json]
         (the current month by default; the PDF is the console's report page printed by headless Chromium;
          an existing file is never replaced)`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub !== 'monthly') throw new UsageError(`Unknown subcommand "report ${sub ?? ''}". Try: report monthly --customer C.`);
    const { values } = parse(rest, { customer: { type: 'string' }, month: { type: 'string' }, csv: { type: 'string' }, pdf: { type: 'string' }, renderer: { type: 'string' } }, false);
    if (!values.customer) throw new UsageError('report monthly needs --customer C (`mailroom customers list` names them).');
    const query: MonthlyReportQuery = { customer: values.customer, ...(values.month ? { month: values.month } : {}) };
    const report = await ctx.api.customerReports.monthly(query);
    if (!report.ok) return failed(ctx, report.error);
    // Later files follow the report just read, so all three describe the same month of the same customer.
    const exact: MonthlyReportQuery = { customer: report.value.customer, month: report.value.month };
    const files: { csv?: string; pdf?: string } = {};
    if (values.csv) {
      const csv = await ctx.api.customerReports.monthlyCsv(exact);
      if (!csv.ok) return failed(ctx, csv.error);
      await writeNew(values.csv, csv.value);
      files.csv = values.csv;
    }
    if (values.pdf) {
      const pdf = await printPdf(ctx, exact, values.renderer ?? defaultRendererDir());
      if (!pdf.ok) return failed(ctx, pdf.error);
      await writeNew(values.pdf, Buffer.from(pdf.value, 'base64'));
      files.pdf = values.pdf;
    }
    emit(ctx, { ...report.value, files }, () => human(report.value, files));
    return ExitCode.ok;
  },
};

// The PDF is the console's page: a loopback host serves the built renderer over this run's router, Chromium prints it.
async function printPdf(ctx: CliContext, query: MonthlyReportQuery, rendererDir: string): Promise<{ ok: true; value: string } | { ok: false; error: AppError }> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new UsageError(`No built console in ${rendererDir} to print the PDF from: build it (npm run build) or give --renderer DIR.`);
  const services = ctx.services();
  const host = await startLoopbackHost({ router: services.router, events: services.events, logger: createMemoryLogger(), rendererDir, port: 0 });
  services.printer.use(chromiumPrinter(host.url));
  try {
    return await ctx.api.customerReports.monthlyPdf(query);
  } finally {
    services.printer.use(null);
    await host.close();
  }
}

async function writeNew(file: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFile(file, data, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new UsageError(`${file}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); an existing file is never replaced.`);
  }
}

const money = (r: MonthlyReport, v: number | null): string => (v === null ? '—' : `${v.toFixed(2)} ${r.currency}`);

function human(r: MonthlyReport, files: { csv?: string; pdf?: string }): string {
  const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(2)} GB`;
  return [
    `${r.customer} — ${r.month}`,
    `Seats ${r.seats} (${r.activeSeats} active), storage ${gb(r.usedBytes)}`,
    `Cost per month ${money(r, r.cost.current)}; per seat ${money(r, r.cost.perSeat)}; flat rate ${money(r, r.cost.flat)}`,
    `Deliverability ${r.deliverability.average ?? '—'} over ${r.deliverability.domains.length} checked domain(s)`,
    `Drift: ${r.drift.opened} opened, ${r.drift.resolved} resolved, ${r.drift.open} open; migrations done: ${r.migrations.length}`,
    r.alignment.length ? table(['STANDARD', 'FIRST', 'LAST', 'LOWEST', 'EVALUATIONS'], r.alignment.map((a) => [a.standard, String(a.first ?? '—'), String(a.last ?? '—'), String(a.lowest ?? '—'), String(a.evaluations)])) : 'No standard evaluated this customer in the month.',
    ...(files.csv ? [`Wrote ${files.csv}.`] : []),
    ...(files.pdf ? [`Wrote ${files.pdf}.`] : []),
  ].join('\n');
}

function failed(ctx: CliContext, error: AppError): number {
  if (error.code === 'input.invalid') throw new UsageError(error.message);
  emitError(ctx, error);
  return ExitCode.failed;
}
