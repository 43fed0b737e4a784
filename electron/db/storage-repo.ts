import type { Db } from './database.ts';
import type { MailboxUsage } from '../../shared/domain/storage.ts';

/** Per-connection totals. */
export interface ConnectionUsageRow {
  readonly connectionId: string;
  readonly connectionName: string;
  readonly kind: string;
  readonly domains: number;
  readonly mailboxes: number;
  readonly activeMailboxes: number;
  readonly usedBytes: number;
  readonly quotaBytes: number | null;
}

/** Per-domain totals with the domain's own quota. */
export interface DomainUsageRow {
  readonly connectionId: string;
  readonly domain: string;
  readonly mailboxes: number;
  readonly usedBytes: number;
  readonly domainQuotaBytes: number | null;
  readonly mailboxQuotaBytes: number | null;
}

/** Storage aggregates over the cache, computed in SQLite (100,000 mailboxes are not shipped to JS for a sum). */
export class StorageRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Totals per connection; quota is null when any mailbox is unlimited. */
  connections(): ConnectionUsageRow[] {
    return this.db
      .prepare(`SELECT c.id AS connectionId, c.name AS connectionName, c.kind AS kind,
          (SELECT count(*) FROM domains d WHERE d.connection_id = c.id) AS domains,
          count(m.id) AS mailboxes, coalesce(sum(m.active), 0) AS activeMailboxes, coalesce(sum(m.used_bytes), 0) AS usedBytes,
          CASE WHEN count(m.id) = 0 OR count(m.quota_bytes) < count(m.id) THEN NULL ELSE sum(m.quota_bytes) END AS quotaBytes
        FROM connections c LEFT JOIN mailboxes m ON m.connection_id = c.id GROUP BY c.id ORDER BY natural_key(c.name), c.name`)
      .all() as ConnectionUsageRow[];
  }

  /** Totals per domain (domains without mailboxes included). */
  domains(): DomainUsageRow[] {
    return this.db
      .prepare(`SELECT d.connection_id AS connectionId, d.name AS domain, count(m.id) AS mailboxes, coalesce(sum(m.used_bytes), 0) AS usedBytes,
          d.quota_bytes AS domainQuotaBytes,
          CASE WHEN count(m.id) = 0 OR count(m.quota_bytes) < count(m.id) THEN NULL ELSE sum(m.quota_bytes) END AS mailboxQuotaBytes
        FROM domains d LEFT JOIN mailboxes m ON m.connection_id = d.connection_id AND m.domain = d.name
        GROUP BY d.connection_id, d.name ORDER BY usedBytes DESC, d.name`)
      .all() as DomainUsageRow[];
  }

  /** Mailboxes at or above `ratio` of their quota, fullest first. */
  nearQuota(ratio: number, limit: number): MailboxUsage[] {
    return this.db
      .prepare(`SELECT address, connection_id AS connectionId, used_bytes AS usedBytes, quota_bytes AS quotaBytes, CAST(used_bytes AS REAL) / quota_bytes AS ratio
        FROM mailboxes WHERE quota_bytes > 0 AND used_bytes >= ? * quota_bytes ORDER BY ratio DESC, address LIMIT ?`)
      .all(ratio, limit) as MailboxUsage[];
  }

  /** The largest mailboxes. */
  largest(limit: number): MailboxUsage[] {
    return this.db
      .prepare(`SELECT address, connection_id AS connectionId, used_bytes AS usedBytes, quota_bytes AS quotaBytes,
          CASE WHEN quota_bytes > 0 THEN CAST(used_bytes AS REAL) / quota_bytes END AS ratio
        FROM mailboxes WHERE used_bytes IS NOT NULL ORDER BY used_bytes DESC, address LIMIT ?`)
      .all(limit) as MailboxUsage[];
  }
}
