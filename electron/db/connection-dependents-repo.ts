import type { Db } from './database.ts';
import type { ConnectionDependents } from '../../shared/domain/connection.ts';

/** Finds what refers to a connection: migration plans and their batches, DKIM keys made through it, checks of its domains. */
export class ConnectionDependentsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Everything that refers to the connection with this id (and, in the journal, this name). */
  of(id: string, name: string): ConnectionDependents {
    const plans = this.db
      .prepare(`SELECT p.id AS id, p.name AS name, count(*) AS rows FROM migration_plans p JOIN migration_plan_rows r ON r.plan_id = p.id
        WHERE r.source_connection_id = ? OR r.target_connection_id = ? GROUP BY p.id ORDER BY p.name`)
      .all(id, id) as { id: string; name: string; rows: number }[];
    const batches = plans.flatMap(
      (p) => this.db.prepare('SELECT id, plan_name AS planName, status FROM migration_batches WHERE plan_id = ? ORDER BY created_at').all(p.id) as { id: string; planName: string; status: string }[],
    );
    // DKIM keys live on the platform; the journal is where Mailroom knows which connection received them.
    const dkimKeys = (
      this.db
        .prepare(`SELECT DISTINCT object FROM audit_journal WHERE connection_id IN (?, ?) AND result = 'ok'
          AND action IN ('domains.installDkim', 'domains.generateDkim') AND object IS NOT NULL ORDER BY object`)
        .all(id, name) as { object: string }[]
    ).map((r) => r.object);
    const monitoredDomains = (
      this.db.prepare('SELECT DISTINCT m.domain AS domain FROM dns_monitored_domains m JOIN domains d ON d.name = m.domain WHERE d.connection_id = ? ORDER BY m.domain').all(id) as { domain: string }[]
    ).map((r) => r.domain);
    const count = (table: 'domains' | 'mailboxes'): number => (this.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE connection_id = ?`).get(id) as { n: number }).n;
    return {
      connectionId: id,
      name,
      plans,
      batches,
      dkimKeys,
      monitoredDomains,
      cachedDomains: count('domains'),
      cachedMailboxes: count('mailboxes'),
      inUse: plans.length + dkimKeys.length + monitoredDomains.length > 0,
    };
  }
}

/** The dependents in one line per kind, for the CLI and for error messages. */
export function describeDependents(d: ConnectionDependents): string[] {
  const lines: string[] = [];
  for (const p of d.plans) lines.push(`migration plan "${p.name}" (${p.rows} ${p.rows === 1 ? 'row' : 'rows'})`);
  for (const b of d.batches) lines.push(`migration batch ${b.id} of "${b.planName}" (${b.status})`);
  for (const k of d.dkimKeys) lines.push(`DKIM key ${k}`);
  for (const m of d.monitoredDomains) lines.push(`monitored deliverability check of ${m}`);
  return lines;
}
