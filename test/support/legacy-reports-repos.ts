// The aggregate-record storage and the queries over it as they were before migration 30 (schema of migration 16):
// the "before" side of the test that proves the compact schema answers every view the same.
import type { AggregateReport } from '../../shared/domain/reports.ts';
import type { Db } from '../../electron/db/database.ts';
import { type ForwardedFailure, ReportsForwardsRepo } from '../../electron/db/reports-forwards-repo.ts';
import { ReportsRepo, type SourceRow, type StoreOutcome } from '../../electron/db/reports-repo.ts';

/** ReportsRepo over migration 16's dmarc_records (text IPs, one auth_json per record). */
export class LegacyReportsRepo extends ReportsRepo {
  private readonly legacyDb: Db;

  constructor(db: Db) {
    super(db);
    this.legacyDb = db;
  }

  /** Migration 16's insert: a row per record with its own auth_json. */
  override storeAggregate(report: AggregateReport, raw: Buffer | null): StoreOutcome {
    const db = this.legacyDb;
    const messages = report.records.reduce((n, r) => n + r.count, 0);
    const pass = report.records.reduce((n, r) => n + (r.dkim === 'pass' || r.spf === 'pass' ? r.count : 0), 0);
    return db.transaction((): StoreOutcome => {
      const inserted = db
        .prepare('INSERT INTO dmarc_reports (org, report_id, domain, begin_at, end_at, schema, policy_json, messages, dmarc_pass, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org, report_id) DO NOTHING')
        .run(report.orgName, report.reportId, report.domain, report.begin, report.end, report.schema, JSON.stringify(report.policy), messages, pass, raw);
      if (inserted.changes === 0) return 'duplicate';
      const id = Number(inserted.lastInsertRowid);
      const row = db.prepare('INSERT INTO dmarc_records (report, source_ip, count, verdict, disposition, header_from, envelope_from, auth_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const r of report.records) {
        const verdict = (r.dkim === 'pass' ? 1 : 0) | (r.spf === 'pass' ? 2 : 0);
        row.run(id, r.sourceIp, r.count, verdict, r.disposition, r.headerFrom, r.envelopeFrom, JSON.stringify({ d: r.dkimDomains, s: r.spfDomains, r: r.reasons }));
      }
      return 'stored';
    })();
  }

  /** Migration 16's per-IP query: every record's auth_json, grouped by the IP's text. */
  override sources(domain: string, since: number): SourceRow[] {
    const rows = this.legacyDb
      .prepare(
        `SELECT d.source_ip AS sourceIp, SUM(d.count) AS messages,
                SUM(CASE WHEN d.verdict > 0 THEN d.count ELSE 0 END) AS dmarcPass,
                SUM(CASE WHEN d.verdict & 1 THEN d.count ELSE 0 END) AS dkimAligned,
                SUM(CASE WHEN d.verdict & 2 THEN d.count ELSE 0 END) AS spfAligned,
                COUNT(DISTINCT r.org) AS reporters, MIN(r.begin_at) AS firstSeen, MAX(r.end_at) AS lastSeen,
                json_group_array(d.auth_json) AS auth
           FROM dmarc_records d JOIN dmarc_reports r ON r.id = d.report
          WHERE r.domain = ? AND r.end_at >= ?
          GROUP BY d.source_ip ORDER BY messages DESC, d.source_ip`,
      )
      .all(domain, since) as (Omit<SourceRow, 'auth'> & { auth: string })[];
    return rows.map((r) => ({ ...r, auth: JSON.parse(r.auth) as string[] }));
  }
}

/** ReportsForwardsRepo over migration 16's dmarc_records. */
export class LegacyReportsForwardsRepo extends ReportsForwardsRepo {
  private readonly legacyDb: Db;

  constructor(db: Db) {
    super(db);
    this.legacyDb = db;
  }

  /** Migration 16's query: failing records from the domain's relays, or marked forwarded in its own reports. */
  override failingForwarded(domain: string): ForwardedFailure[] {
    return this.legacyDb
      .prepare(
        `WITH relays AS (
           SELECT DISTINCT d.source_ip FROM dmarc_records d JOIN dmarc_reports r ON r.id = d.report WHERE r.domain = ? AND d.verdict > 0
         )
         SELECT r.org AS org, MIN(r.begin_at) AS beginAt, SUM(d.count) AS count
           FROM dmarc_records d JOIN dmarc_reports r ON r.id = d.report
          WHERE d.verdict = 0
            AND (d.source_ip IN (SELECT source_ip FROM relays)
                 OR (r.domain = ? AND d.auth_json LIKE '%"type":"forwarded"%'))
          GROUP BY r.org ORDER BY r.org`,
      )
      .all(domain, domain) as ForwardedFailure[];
  }
}
