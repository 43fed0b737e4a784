import type { MonthlyReport } from '../domain/monthly-report.ts';

/** The header of the monthly report's CSV. */
export const MONTHLY_REPORT_HEADER = ['section', 'item', 'figure', 'value'] as const;

const text = (v: number | string | null): string => (v === null ? '' : String(v));

/** The monthly report as CSV rows (section, item, figure, value): one figure a row, the same numbers the page shows. */
export function monthlyReportRows(r: MonthlyReport): string[][] {
  const rows: (readonly [string, string, string, number | string | null])[] = [
    ['summary', r.customer, 'month', r.month],
    ['summary', r.customer, 'seats', r.seats],
    ['summary', r.customer, 'active seats', r.activeSeats],
    ['summary', r.customer, 'storage bytes', r.usedBytes],
    ['summary', r.customer, `monthly cost (${r.currency})`, r.cost.current],
    ['summary', r.customer, `per-seat cost (${r.currency})`, r.cost.perSeat],
    ['summary', r.customer, `flat-rate cost (${r.currency})`, r.cost.flat],
    ['summary', r.customer, 'deliverability score', r.deliverability.average],
    ['summary', r.customer, 'deviations opened', r.drift.opened],
    ['summary', r.customer, 'deviations resolved', r.drift.resolved],
    ['summary', r.customer, 'deviations open', r.drift.open],
    ['summary', r.customer, 'migrations done', r.migrations.length],
    ...r.platforms.flatMap((p) => [
      ['platform', p.connection, 'kind', p.kind],
      ['platform', p.connection, 'seats', p.seats],
      ['platform', p.connection, 'storage bytes', p.usedBytes],
      ['platform', p.connection, `monthly cost (${r.currency})`, p.monthlyCost],
      ['platform', p.connection, `per-seat cost (${r.currency})`, p.perSeatCost],
      ['platform', p.connection, `flat-rate cost (${r.currency})`, p.flatCost],
    ] as const),
    ...r.deliverability.domains.map((d) => ['deliverability', d.domain, 'score', d.score] as const),
    ...r.alignment.flatMap((a) => [
      ['alignment', a.standard, 'first score', a.first],
      ['alignment', a.standard, 'last score', a.last],
      ['alignment', a.standard, 'lowest score', a.lowest],
      ['alignment', a.standard, 'last supported score', a.lastSupported],
      ['alignment', a.standard, 'evaluations', a.evaluations],
    ] as const),
    ...r.drift.items.flatMap((d) => [
      ['drift', `${d.rule} ${d.target}`, 'since', d.since],
      ['drift', `${d.rule} ${d.target}`, 'resolved', d.resolvedAt],
    ] as const),
    ...r.migrations.flatMap((m) => [
      ['migration', m.plan, 'mailboxes done', m.mailboxesDone],
      ['migration', m.plan, 'messages', m.messages],
      ['migration', m.plan, 'bytes', m.bytes],
      ['migration', m.plan, 'finished', m.finishedAt],
    ] as const),
  ];
  return rows.map(([section, item, figure, value]) => [section, item, figure, text(value)]);
}
