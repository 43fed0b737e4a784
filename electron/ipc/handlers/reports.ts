import { ok } from '../../../shared/errors/result.ts';
import type { ReportsService } from '../../reports/reports-service.ts';
import type { AreaHandlers } from '../router.ts';

const seconds = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Math.floor(Date.parse(iso) / 1000));

/** Handlers of the `reports` area. */
export function reportsHandlers(reports: ReportsService): AreaHandlers<'reports'> {
  return {
    ingest: async ([inputs, options]) => ok(await reports.ingest(inputs.map((i) => ({ name: i.name, bytes: Buffer.from(i.base64, 'base64') })), options)),
    summary: ([filter]) => {
      const since = seconds(filter.since);
      return ok(reports.summary({ ...(filter.domain ? { domain: filter.domain.toLowerCase() } : {}), ...(since !== undefined ? { since } : {}) }));
    },
    sources: ([query]) => ok(reports.sources(query.domain.toLowerCase(), seconds(query.since) ?? 0)),
  };
}
