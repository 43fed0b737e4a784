import { ok } from '../../../shared/errors/result.ts';
import type { ReportsInsights } from '../../reports/reports-insights.ts';
import type { ReportsMailbox } from '../../reports/reports-mailbox.ts';
import type { ReportsService } from '../../reports/reports-service.ts';
import type { ReverseDns } from '../../reports/reverse-dns.ts';
import type { AreaHandlers } from '../router.ts';

const seconds = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Math.floor(Date.parse(iso) / 1000));

/** Handlers of the `reports` area. */
export function reportsHandlers(reports: ReportsService, mailbox: ReportsMailbox, insights: ReportsInsights, names: ReverseDns): AreaHandlers<'reports'> {
  return {
    ingest: async ([inputs, options]) => ok(await reports.ingest(inputs.map((i) => ({ name: i.name, bytes: Buffer.from(i.base64, 'base64') })), options)),
    summary: ([filter]) => {
      const since = seconds(filter.since);
      return ok(reports.summary({ ...(filter.domain ? { domain: filter.domain.toLowerCase() } : {}), ...(since !== undefined ? { since } : {}) }));
    },
    sources: ([query]) => ok(reports.sources(query.domain.toLowerCase(), seconds(query.since) ?? 0)),
    ingestMailbox: ([request]) => mailbox.ingest(request),
    days: ([query]) => ok(insights.days(query.domain.toLowerCase(), seconds(query.since) ?? 0)),
    tlsFailures: ([query]) => ok(insights.tlsFailures(query.domain?.toLowerCase() ?? null, seconds(query.since) ?? 0)),
    verdict: ([query]) => ok(insights.verdict(query.domain.toLowerCase())),
    cancelIngest: ([runId]) => mailbox.cancel(runId),
    reverseDns: async ([query]) => ok(await names.names(query.ips)),
  };
}
