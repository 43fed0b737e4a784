import type { PublishedPolicy } from '../../shared/domain/reports.ts';
import type { ReportDay, TlsFailureRow } from '../../shared/domain/reports-insights.ts';
import type { Db } from './database.ts';

/** Read-only views over stored reports for charts and verdicts: per-day volume, TLS failures per MX, published policy. */
export class ReportsViewsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Messages and DMARC passes per UTC day (of the report period's end) for one domain. */
  days(domain: string, since: number): ReportDay[] {
    return this.db
      .prepare(
        `SELECT strftime('%Y-%m-%d', end_at, 'unixepoch') AS day, SUM(messages) AS messages, SUM(dmarc_pass) AS dmarcPass
           FROM dmarc_reports WHERE domain = ? AND end_at >= ? GROUP BY day ORDER BY day`,
      )
      .all(domain, since) as ReportDay[];
  }

  /** Failed TLS sessions per policy domain, receiving MX and result type, most first. */
  tlsFailures(domain: string | null, since: number): TlsFailureRow[] {
    return this.db
      .prepare(
        `SELECT f.policy_domain AS policyDomain, COALESCE(f.receiving_mx, '(not reported)') AS receivingMx, f.result_type AS resultType, SUM(f.sessions) AS sessions
           FROM tls_failures f JOIN tls_reports r ON r.id = f.report
          WHERE r.end_at >= ? AND (? IS NULL OR f.policy_domain = ?)
          GROUP BY f.policy_domain, f.receiving_mx, f.result_type ORDER BY sessions DESC, receivingMx`,
      )
      .all(since, domain, domain) as TlsFailureRow[];
  }

  /** The policy the newest aggregate report for the domain says was published. */
  latestPolicy(domain: string): PublishedPolicy | null {
    const row = this.db.prepare('SELECT policy_json AS policy FROM dmarc_reports WHERE domain = ? ORDER BY end_at DESC, id DESC LIMIT 1').get(domain) as { policy: string } | undefined;
    return row ? (JSON.parse(row.policy) as PublishedPolicy) : null;
  }
}
