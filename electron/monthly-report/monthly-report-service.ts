import type { DnsRunsRepo } from '../db/dns-runs-repo.ts';
import type { StandardsRepo } from '../db/standards-repo.ts';
import type { Clock } from '../platform/clock.ts';
import type { ConnectionSummary } from '../../shared/domain/connection.ts';
import type { MigrationBatchSummary, MigrationPlan } from '../../shared/domain/migration.ts';
import type { MonthlyReport, MonthlyReportQuery, ReportPlatform } from '../../shared/domain/monthly-report.ts';
import { UNASSIGNED_CUSTOMER } from '../../shared/domain/standards.ts';
import type { StorageSummary } from '../../shared/domain/storage.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import { MONTHLY_REPORT_HEADER, monthlyReportRows } from '../../shared/lib/monthly-report-rows.ts';
import { monthlyReportHash } from '../../shared/lib/monthly-report-route.ts';
import { toSafeCsv } from '../platform/csv-writer.ts';
import { alignmentOver, driftOver } from './month-drift.ts';
import type { PrinterSlot } from './report-printer.ts';

/** What the report reads: the services that own each figure, so the report never computes one differently. */
export interface MonthlyReportDeps {
  readonly connections: () => readonly ConnectionSummary[];
  readonly storage: () => StorageSummary;
  readonly standards: Pick<StandardsRepo, 'evaluationsBetween'>;
  readonly checks: Pick<DnsRunsRepo, 'latestPerDomainBetween'>;
  readonly batches: () => readonly MigrationBatchSummary[];
  readonly plan: (id: string) => Result<MigrationPlan>;
  readonly clock: Clock;
  readonly printer: PrinterSlot;
}

/** The first instant of a `YYYY-MM` month and of the next one (UTC), or null for a malformed month. */
export function monthBounds(month: string): { from: string; to: string } | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) return null;
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { from: new Date(Date.UTC(year, index, 1)).toISOString(), to: new Date(Date.UTC(year, index + 1, 1)).toISOString() };
}

const sum = (values: readonly (number | null)[]): number | null => (values.some((v) => v !== null) ? Math.round(values.reduce<number>((n, v) => n + (v ?? 0), 0) * 100) / 100 : null);

/** A customer's month: seats, storage and cost of the real inventory, deliverability, alignment and drift, migrations done. */
export class MonthlyReportService {
  private readonly deps: MonthlyReportDeps;

  constructor(deps: MonthlyReportDeps) {
    this.deps = deps;
  }

  /** Builds the report of one customer for one month (the current one when not given). */
  monthly(query: MonthlyReportQuery): Result<MonthlyReport> {
    const now = this.deps.clock.now();
    const month = query.month ?? now.toISOString().slice(0, 7);
    const bounds = monthBounds(month);
    if (!bounds) return err('input.invalid', `"${month}" is not a month: give YYYY-MM, e.g. ${now.toISOString().slice(0, 7)}.`);
    const key = query.customer.toLowerCase();
    const all = this.deps.connections();
    const mine = all.filter((c) => (c.customer ?? UNASSIGNED_CUSTOMER).toLowerCase() === key);
    if (mine.length === 0) {
      const known = [...new Set(all.map((c) => c.customer ?? UNASSIGNED_CUSTOMER))].sort();
      return err('notFound', `No customer "${query.customer}". Known: ${known.join(', ') || 'none (assign one with `mailroom customers assign`)'}.`);
    }
    const customer = mine[0]!.customer ?? UNASSIGNED_CUSTOMER;
    const ids = new Set(mine.map((c) => c.id));
    const storage = this.deps.storage();
    const platforms = storage.platforms.filter((p) => ids.has(p.connectionId)).map((p): ReportPlatform => ({
      connection: p.connectionName,
      kind: p.kind,
      domains: p.domains,
      seats: p.mailboxes,
      activeSeats: p.activeMailboxes,
      usedBytes: p.usedBytes,
      planId: p.planId,
      model: p.model,
      monthlyCost: p.monthlyCost,
      perSeatCost: p.perSeatCost,
      flatCost: p.flatCost,
    }));
    const domains = new Set(storage.domains.filter((d) => ids.has(d.connectionId)).map((d) => d.domain.toLowerCase()));
    const checked = this.deps.checks.latestPerDomainBetween(bounds.from, bounds.to).filter((r) => domains.has(r.domain.toLowerCase()));
    const evaluations = this.deps.standards.evaluationsBetween(bounds.from, bounds.to);
    return ok({
      customer,
      month,
      generatedAt: now.toISOString(),
      currency: storage.currency,
      seats: platforms.reduce((n, p) => n + p.seats, 0),
      activeSeats: platforms.reduce((n, p) => n + p.activeSeats, 0),
      usedBytes: platforms.reduce((n, p) => n + p.usedBytes, 0),
      platforms,
      cost: { current: sum(platforms.map((p) => p.monthlyCost)), perSeat: sum(platforms.map((p) => p.perSeatCost)), flat: sum(platforms.map((p) => p.flatCost)) },
      deliverability: {
        average: checked.length ? Math.round(checked.reduce((n, r) => n + r.score, 0) / checked.length) : null,
        domains: checked.map((r) => ({ domain: r.domain, score: r.score, at: r.at })),
      },
      alignment: alignmentOver(evaluations, customer),
      drift: driftOver(evaluations, customer, bounds.from),
      migrations: this.migrations(ids, bounds),
    });
  }

  /** The report as CSV (section, item, figure, value), spreadsheet-safe. */
  monthlyCsv(query: MonthlyReportQuery): Result<string> {
    const report = this.monthly(query);
    return report.ok ? ok(toSafeCsv([MONTHLY_REPORT_HEADER, ...monthlyReportRows(report.value)])) : report;
  }

  /** The console's report page printed to PDF by the plugged-in printer. */
  async monthlyPdf(query: MonthlyReportQuery): Promise<Result<Uint8Array>> {
    const report = this.monthly(query);
    if (!report.ok) return report;
    const printer = this.deps.printer.current;
    if (!printer) return err('backend.unsupported', 'No printer here: the PDF is printed by the desktop app, `mailroom serve` or `mailroom report monthly --pdf`.');
    return printer.pdf(monthlyReportHash({ customer: report.value.customer, month: report.value.month }));
  }

  // "Done in the month": a batch whose last change (its finish) falls in the month and whose plan moves the customer's mailboxes.
  private migrations(ids: ReadonlySet<string>, bounds: { from: string; to: string }): MonthlyReport['migrations'] {
    return this.deps
      .batches()
      .filter((b) => b.status === 'done' && !b.dryRun && b.updatedAt >= bounds.from && b.updatedAt < bounds.to)
      .filter((b) => {
        const plan = this.deps.plan(b.planId);
        return plan.ok && plan.value.rows.some((r) => (r.sourceConnectionId !== null && ids.has(r.sourceConnectionId)) || (r.targetConnectionId !== null && ids.has(r.targetConnectionId)));
      })
      .map((b) => ({ batch: b.id, plan: b.planName, finishedAt: b.updatedAt, mailboxes: b.pairsTotal, mailboxesDone: b.pairsDone, messages: b.copied, bytes: b.bytes }))
      .sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  }
}
