import type { Db } from './database.ts';

/** One cache table as the diff writer sees it. */
export interface SyncTable {
  readonly table: 'domains' | 'mailboxes' | 'aliases' | 'groups';
  /** The natural key within a connection. */
  readonly key: 'name' | 'address';
  /** The column a domain-scoped refresh filters on. */
  readonly scope: 'name' | 'domain';
  /** Value columns, compared to decide whether a row changed. */
  readonly columns: readonly string[];
}

/** What a sync changed. */
export interface SyncCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

type Value = string | number | null;

/**
 * Writes a snapshot as a diff: unchanged rows get only their refresh stamp, changed rows one UPDATE,
 * new rows an INSERT, vanished rows a DELETE. Re-inserting every row (the first design) rewrote the
 * trigram index for all 100,000 mailboxes on every refresh; a diff leaves it alone. Call inside a transaction.
 */
export function syncTable(db: Db, spec: SyncTable, connectionId: string, domain: string | null, rows: ReadonlyMap<string, readonly Value[]>, at: string): SyncCounts {
  const { table, key, scope, columns } = spec;
  const where = `connection_id = ?${domain === null ? '' : ` AND ${scope} = ?`}`;
  const args = domain === null ? [connectionId] : [connectionId, domain];
  const existing = db.prepare(`SELECT id, ${key} AS k, ${columns.join(', ')} FROM ${table} WHERE ${where}`).raw().all(...args) as Value[][];
  db.prepare(`UPDATE ${table} SET refreshed_at = ?, stale = 0 WHERE ${where}`).run(at, ...args);
  const insert = db.prepare(`INSERT INTO ${table} (connection_id, ${key}, ${columns.join(', ')}, refreshed_at, stale) VALUES (?, ?, ${columns.map(() => '?').join(', ')}, ?, 0)`);
  const update = db.prepare(`UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
  const remove = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
  const counts: SyncCounts = { inserted: 0, updated: 0, deleted: 0 };
  const seen = new Set<string>();
  for (const [id, k, ...values] of existing) {
    const next = rows.get(k as string);
    if (next === undefined) {
      remove.run(id);
      counts.deleted += 1;
      continue;
    }
    seen.add(k as string);
    if (!sameValues(values, next)) {
      update.run(...next, id);
      counts.updated += 1;
    }
  }
  for (const [k, values] of rows) {
    if (seen.has(k)) continue;
    insert.run(connectionId, k, ...values, at);
    counts.inserted += 1;
  }
  return counts;
}

function sameValues(a: readonly Value[], b: readonly Value[]): boolean {
  for (let i = 0; i < b.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
