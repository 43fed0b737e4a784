import type { AppliedDmarcPolicy, CheckRunSummary, DomainProfile, DomainReport, Finding, MonitoredDomainInfo, Severity } from '../../shared/domain/dns.ts';
import type { Db } from './database.ts';

/** A domain under scheduled re-checks. */
export type MonitoredDomain = MonitoredDomainInfo;

interface RunRow {
  id: number;
  domain: string;
  at: string;
  profile: DomainProfile;
  score: number;
  counts_json: string;
  findings_json: string;
  resolver: string | null;
  dmarc_policy: AppliedDmarcPolicy | null;
}

interface MonitorRow {
  domain: string;
  profile: DomainProfile;
  dkim_selectors_json: string;
  sending_ips_json: string;
  interval_minutes: number;
  added_at: string;
  last_run_at: string | null;
}

/** Counts findings per severity. */
export function countSeverities(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, error: 0, warning: 0, info: 0, unknown: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

function summary(r: RunRow): CheckRunSummary {
  return { id: r.id, domain: r.domain, at: r.at, profile: r.profile, score: r.score, counts: JSON.parse(r.counts_json) as Record<Severity, number> };
}

function stored(row: RunRow): DomainReport & { id: number; at: string } {
  const report = { id: row.id, at: row.at, domain: row.domain, score: row.score, findings: JSON.parse(row.findings_json) as Finding[] };
  return { ...report, ...(row.resolver === null ? {} : { resolver: row.resolver }), ...(row.dmarc_policy === null ? {} : { dmarcPolicy: row.dmarc_policy }) };
}

/** Check-run history and the monitored-domain list in SQLite (migrations 002 and 010). */
export class DnsRunsRepo {
  private readonly db: Db;
  // Prepared once: a standards evaluation stores a run per domain (1,000 inserts and look-ups in one go).
  private readonly s;

  constructor(db: Db) {
    this.db = db;
    this.s = {
      insert: db.prepare('INSERT INTO dns_check_runs (domain, at, profile, score, counts_json, findings_json, resolver, dmarc_policy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      // The newest id from the (domain, at) index first, then that one row: ORDER BY id read and sorted every run of the
      // domain with its findings, a cost that grew with the history (16 runs a domain: 5x slower here).
      latest: db.prepare('SELECT * FROM dns_check_runs WHERE id = (SELECT max(id) FROM dns_check_runs WHERE domain = ? AND id < ?)'),
      latestFindings: db.prepare('SELECT findings_json FROM dns_check_runs WHERE id = (SELECT max(id) FROM dns_check_runs WHERE domain = ?)').pluck(),
    };
  }

  /** Runs `work` in one transaction (many runs stored with one commit). */
  inTransaction(work: () => void): void {
    this.db.transaction(work)();
  }

  /** Stores one run; returns its id. `findingsJson` is the findings' JSON when the caller already has it. */
  insert(report: DomainReport, at: string, profile: DomainProfile, findingsJson: string = JSON.stringify(report.findings)): number {
    const info = this.s.insert.run(report.domain, at, profile, report.score, JSON.stringify(countSeverities(report.findings)), findingsJson, report.resolver ?? null, report.dmarcPolicy ?? null);
    return Number(info.lastInsertRowid);
  }

  /** The findings JSON of a domain's newest run as stored, or null: compared as text before anything is parsed. */
  latestFindingsJson(domain: string): string | null {
    return (this.s.latestFindings.get(domain) as string | undefined) ?? null;
  }

  /** The newest run of a domain, optionally before a run id. */
  latest(domain: string, beforeId?: number): (DomainReport & { id: number; at: string }) | null {
    const row = this.s.latest.get(domain, beforeId ?? Number.MAX_SAFE_INTEGER) as RunRow | undefined;
    return row ? stored(row) : null;
  }

  /** Runs of a domain, newest first. */
  history(domain: string, limit: number): CheckRunSummary[] {
    const rows = this.db.prepare('SELECT * FROM dns_check_runs WHERE domain = ? ORDER BY id DESC LIMIT ?').all(domain, limit) as RunRow[];
    return rows.map(summary);
  }

  /** The newest run of every domain, by domain name. */
  latestPerDomain(): CheckRunSummary[] {
    const rows = this.db
      .prepare('SELECT r.* FROM dns_check_runs r JOIN (SELECT MAX(id) AS id FROM dns_check_runs GROUP BY domain) m ON r.id = m.id ORDER BY natural_key(r.domain), r.domain')
      .all() as RunRow[];
    return rows.map(summary);
  }

  /** The newest run of every domain among those stored in [from, to) (ISO times), by domain name. */
  latestPerDomainBetween(from: string, to: string): CheckRunSummary[] {
    const rows = this.db
      .prepare('SELECT r.* FROM dns_check_runs r JOIN (SELECT MAX(id) AS id FROM dns_check_runs WHERE at >= ? AND at < ? GROUP BY domain) m ON r.id = m.id ORDER BY natural_key(r.domain), r.domain')
      .all(from, to) as RunRow[];
    return rows.map(summary);
  }

  /** Runs stored after `at` (ISO time), oldest first, with their findings; at most `limit`. */
  runsAfter(at: string, limit: number): (DomainReport & { id: number; at: string })[] {
    const rows = this.db.prepare('SELECT * FROM dns_check_runs WHERE at > ? ORDER BY id LIMIT ?').all(at, limit) as RunRow[];
    return rows.map(stored);
  }

  /** Every monitored domain. */
  monitored(): MonitoredDomain[] {
    const rows = this.db.prepare('SELECT * FROM dns_monitored_domains ORDER BY natural_key(domain), domain').all() as MonitorRow[];
    return rows.map((r) => ({
      domain: r.domain,
      profile: r.profile,
      dkimSelectors: JSON.parse(r.dkim_selectors_json) as string[],
      sendingIps: JSON.parse(r.sending_ips_json) as string[],
      intervalMinutes: r.interval_minutes,
      addedAt: r.added_at,
      lastRunAt: r.last_run_at,
    }));
  }

  /** Adds or updates a monitored domain. */
  upsertMonitored(m: Omit<MonitoredDomain, 'lastRunAt'>): void {
    this.db
      .prepare(
        `INSERT INTO dns_monitored_domains (domain, profile, dkim_selectors_json, sending_ips_json, interval_minutes, added_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (domain) DO UPDATE SET profile = excluded.profile, dkim_selectors_json = excluded.dkim_selectors_json,
           sending_ips_json = excluded.sending_ips_json, interval_minutes = excluded.interval_minutes`,
      )
      .run(m.domain, m.profile, JSON.stringify(m.dkimSelectors), JSON.stringify(m.sendingIps), m.intervalMinutes, m.addedAt);
  }

  /** Removes a monitored domain; true when it existed. */
  removeMonitored(domain: string): boolean {
    return this.db.prepare('DELETE FROM dns_monitored_domains WHERE domain = ?').run(domain).changes > 0;
  }

  /** Records when a monitored domain was last checked. */
  markRun(domain: string, at: string): void {
    this.db.prepare('UPDATE dns_monitored_domains SET last_run_at = ? WHERE domain = ?').run(at, domain);
  }
}
