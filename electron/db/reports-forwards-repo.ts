import type { Db } from './database.ts';

/** Mail a receiver reported failing DMARC, relayed by a host that forwards for a domain. */
export interface ForwardedFailure {
  /** The reporting receiver (report org_name). */
  readonly org: string;
  /** Start of the report period, Unix seconds. */
  readonly beginAt: number;
  readonly count: number;
}

/** Reads, from stored aggregate reports, the failing mail that a domain's own sending hosts relayed. */
export class ReportsForwardsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /**
   * Records that failed DMARC at a receiver (neither aligned DKIM nor aligned SPF) and came from a host that sends
   * the domain's own mail aligned, or that the receiver itself marked as forwarded (RFC 7489 PolicyOverride
   * "forwarded"), for the domain. A forward relays from the hosts of the domain it lives on, so these are its
   * forwarded messages, whatever their header From.
   */
  failingForwarded(domain: string): ForwardedFailure[] {
    return this.db
      .prepare(
        `WITH relays AS (
           SELECT DISTINCT d.ip FROM dmarc_reports r JOIN dmarc_records d ON d.report = r.id WHERE r.domain = ? AND d.verdict > 0
         )
         SELECT r.org AS org, MIN(r.begin_at) AS beginAt, SUM(d.count) AS count
           FROM dmarc_records d JOIN dmarc_reports r ON r.id = d.report
          WHERE d.verdict = 0
            AND (d.ip IN (SELECT ip FROM relays)
                 OR (r.domain = ? AND d.shape IN (SELECT id FROM dmarc_record_shapes WHERE auth_json LIKE '%"type":"forwarded"%')))
          GROUP BY r.org ORDER BY r.org`,
      )
      .all(domain, domain) as ForwardedFailure[];
  }
}
