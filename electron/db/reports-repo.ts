import type { AggregateRecord, AggregateReport, FailureReport, ReportError, ReportSource, ReportsSummary, TlsReport } from '../../shared/domain/reports.ts';
import type { Db } from './database.ts';
import { ipBytes } from './ip-bytes.ts';

/** Which way a report landed: newly stored, or already there (same org and report id, or same failure key). */
export type StoreOutcome = 'stored' | 'duplicate';

/** Filters over stored reports: one domain, and reports whose period ends at or after `since` (Unix seconds). */
export interface ReportFilter {
  readonly domain?: string;
  readonly since?: number;
}

/** A source IP's stored records for one domain, before classification, with the DKIM/SPF results (auth_json) its records carry, each distinct one once. */
export type SourceRow = Omit<ReportSource, 'classification' | 'knownSender'> & { readonly auth: readonly string[] };

const passBits = (dkim: 'pass' | 'fail', spf: 'pass' | 'fail'): number => (dkim === 'pass' ? 1 : 0) | (spf === 'pass' ? 2 : 0);

// Shapes remembered per process; past this many the memory is dropped and refilled from the table.
const SHAPE_CACHE_LIMIT = 20_000;

/** SQLite storage of DMARC aggregate, SMTP TLS and failure reports; each report is one transaction. */
export class ReportsRepo {
  private readonly db: Db;
  private readonly shapes = new Map<string, number>();

  constructor(db: Db) {
    this.db = db;
  }

  /** Stores an aggregate report with its records, once per (org, report id). */
  storeAggregate(report: AggregateReport, raw: Buffer | null): StoreOutcome {
    const messages = report.records.reduce((n, r) => n + r.count, 0);
    const pass = report.records.reduce((n, r) => n + (r.dkim === 'pass' || r.spf === 'pass' ? r.count : 0), 0);
    const added = new Map<string, number>();
    const outcome = this.db.transaction((): StoreOutcome => {
      const inserted = this.db
        .prepare('INSERT INTO dmarc_reports (org, report_id, domain, begin_at, end_at, schema, policy_json, messages, dmarc_pass, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org, report_id) DO NOTHING')
        .run(report.orgName, report.reportId, report.domain, report.begin, report.end, report.schema, JSON.stringify(report.policy), messages, pass, raw);
      if (inserted.changes === 0) return 'duplicate';
      const id = Number(inserted.lastInsertRowid);
      const row = this.db.prepare('INSERT INTO dmarc_records (report, seq, ip, count, verdict, shape) VALUES (?, ?, ?, ?, ?, ?)');
      report.records.forEach((r, i) => row.run(id, i + 1, ipBytes(r.sourceIp), r.count, passBits(r.dkim, r.spf), this.shapeId(r, added)));
      return 'stored';
    })();
    // Only shapes whose rows committed may be remembered: a rolled-back id could be reused for another shape.
    if (this.shapes.size + added.size > SHAPE_CACHE_LIMIT) this.shapes.clear();
    for (const [key, id] of added) this.shapes.set(key, id);
    return outcome;
  }

  // A record's shape id, stored on first sight; shapes are never deleted, so a remembered id stays valid.
  private shapeId(r: AggregateRecord, added: Map<string, number>): number {
    const auth = JSON.stringify({ d: r.dkimDomains, s: r.spfDomains, r: r.reasons });
    const key = JSON.stringify([r.disposition, r.headerFrom, r.envelopeFrom, auth]);
    const known = this.shapes.get(key) ?? added.get(key);
    if (known !== undefined) return known;
    this.db.prepare('INSERT INTO dmarc_record_shapes (disposition, header_from, envelope_from, auth_json) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(r.disposition, r.headerFrom, r.envelopeFrom, auth);
    const { id } = this.db
      .prepare("SELECT id FROM dmarc_record_shapes WHERE auth_json = ? AND header_from = ? AND disposition = ? AND ifnull(envelope_from, '') = ?")
      .get(auth, r.headerFrom, r.disposition, r.envelopeFrom ?? '') as { id: number };
    added.set(key, id);
    return id;
  }

  /** Stores a TLS report with its policies and failure details, once per (org, report id). */
  storeTls(report: TlsReport, raw: Buffer | null): StoreOutcome {
    return this.db.transaction((): StoreOutcome => {
      const inserted = this.db
        .prepare('INSERT INTO tls_reports (org, report_id, begin_at, end_at, raw) VALUES (?, ?, ?, ?, ?) ON CONFLICT (org, report_id) DO NOTHING')
        .run(report.orgName, report.reportId, report.begin, report.end, raw);
      if (inserted.changes === 0) return 'duplicate';
      const id = Number(inserted.lastInsertRowid);
      const policy = this.db.prepare('INSERT INTO tls_policies (report, policy_domain, policy_type, successful, failed) VALUES (?, ?, ?, ?, ?)');
      const failure = this.db.prepare('INSERT INTO tls_failures (report, policy_domain, result_type, receiving_mx, sending_ip, receiving_ip, sessions) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const p of report.policies) {
        policy.run(id, p.policyDomain, p.policyType, p.successful, p.failed);
        for (const f of p.failures) failure.run(id, p.policyDomain, f.resultType, f.receivingMx, f.sendingMtaIp, f.receivingIp, f.sessions);
      }
      return 'stored';
    })();
  }

  /** Stores a failure report once per key (the reporter's Message-ID, or a hash of the message). */
  storeFailure(report: FailureReport, at: number): StoreOutcome {
    const inserted = this.db
      .prepare('INSERT INTO failure_reports (key, reporter, domain, source_ip, arrival, auth_failure, original_from, original_subject, format, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING')
      .run(report.key, report.reporter, report.domain, report.sourceIp, report.arrival, report.authFailure, report.originalFrom, report.originalSubject, report.format, at);
    return inserted.changes === 0 ? 'duplicate' : 'stored';
  }

  /** Records a source that could not be read, so the summary can list it. */
  recordError(error: ReportError, at: number): void {
    this.db.prepare('INSERT INTO report_errors (at, source, reason) VALUES (?, ?, ?)').run(at, error.source, error.reason);
  }

  /** Totals over stored reports, per the filter. */
  summary(filter: ReportFilter): ReportsSummary {
    const since = filter.since ?? 0;
    const domain = filter.domain ?? null;
    const agg = this.db
      .prepare('SELECT COUNT(*) AS reports, COALESCE(SUM(messages), 0) AS messages FROM dmarc_reports WHERE end_at >= ? AND (? IS NULL OR domain = ?)')
      .get(since, domain, domain) as { reports: number; messages: number };
    const tls = this.db
      .prepare(
        'SELECT COUNT(DISTINCT r.id) AS reports, COALESCE(SUM(p.successful + p.failed), 0) AS sessions FROM tls_reports r JOIN tls_policies p ON p.report = r.id WHERE r.end_at >= ? AND (? IS NULL OR p.policy_domain = ?)',
      )
      .get(since, domain, domain) as { reports: number; sessions: number };
    const failure = this.db
      .prepare('SELECT COUNT(*) AS reports FROM failure_reports WHERE COALESCE(arrival, stored_at) >= ? AND (? IS NULL OR domain = ?)')
      .get(since, domain, domain) as { reports: number };
    const domains = this.db
      .prepare('SELECT domain, SUM(messages) AS messages, SUM(dmarc_pass) AS dmarcPass FROM dmarc_reports WHERE end_at >= ? AND (? IS NULL OR domain = ?) GROUP BY domain ORDER BY natural_key(domain), domain')
      .all(since, domain, domain) as { domain: string; messages: number; dmarcPass: number }[];
    const errors = this.db.prepare('SELECT source, reason FROM report_errors WHERE at >= ? ORDER BY id DESC LIMIT 200').all(since) as ReportError[];
    return { aggregate: agg, tls, failure, domains, errors };
  }

  /** Per source IP, what one domain's aggregate reports say about it. */
  sources(domain: string, since: number): SourceRow[] {
    // DISTINCT shapes: the classification asks whether any record says something, so each says it once.
    const rows = this.db
      .prepare(
        `SELECT ip_text(d.ip) AS sourceIp, SUM(d.count) AS messages,
                SUM(CASE WHEN d.verdict > 0 THEN d.count ELSE 0 END) AS dmarcPass,
                SUM(CASE WHEN d.verdict & 1 THEN d.count ELSE 0 END) AS dkimAligned,
                SUM(CASE WHEN d.verdict & 2 THEN d.count ELSE 0 END) AS spfAligned,
                COUNT(DISTINCT r.org) AS reporters, MIN(r.begin_at) AS firstSeen, MAX(r.end_at) AS lastSeen,
                json_group_array(DISTINCT s.auth_json) AS auth
           FROM dmarc_reports r JOIN dmarc_records d ON d.report = r.id JOIN dmarc_record_shapes s ON s.id = d.shape
          WHERE r.domain = ? AND r.end_at >= ?
          GROUP BY d.ip ORDER BY messages DESC, sourceIp`,
      )
      .all(domain, since) as (Omit<SourceRow, 'auth'> & { auth: string })[];
    return rows.map((r) => ({ ...r, auth: JSON.parse(r.auth) as string[] }));
  }
}
