import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';

type Statement = Database.Statement<unknown[]>;

/** The SQLite tables that hold one job's state, in load order (a folder row refers to its job row). */
export const SHARED_TABLE_NAMES = ['migration_jobs', 'migration_folders', 'migration_messages', 'migration_folder_modseq', 'migration_gmail_copies'] as const;

/** A column of a shared table, with its SQLite declared type. */
export interface SharedColumn {
  readonly name: string;
  readonly type: string;
}

/** A table of the job state, as the working copy's schema describes it. */
export interface SharedTable {
  readonly name: string;
  readonly columns: readonly SharedColumn[];
  /** The primary key's columns, in key order. */
  readonly key: readonly string[];
  /** The column that holds the job id (`id` for the job row itself). */
  readonly jobColumn: string;
}

/** One changed row: its key and its content now, or null when it was deleted. */
export interface RowChange {
  readonly table: string;
  readonly key: readonly unknown[];
  readonly row: Record<string, unknown> | null;
}

/** Reads the shared tables' columns and keys from the database's own schema, so the mirror follows every schema step. */
export function sharedTables(db: Db): SharedTable[] {
  return SHARED_TABLE_NAMES.map((name) => {
    const info = db.prepare(`SELECT name, type, pk FROM pragma_table_info(?)`).all(name) as { name: string; type: string; pk: number }[];
    if (info.length === 0) throw new Error(`the state database has no table ${name}`);
    const key = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    return { name, columns: info.map((c) => ({ name: c.name, type: c.type })), key, jobColumn: name === 'migration_jobs' ? 'id' : 'job_id' };
  });
}

/** Quotes an SQL identifier (the same rule in SQLite and PostgreSQL). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Captures every write to the shared tables of a working copy: temporary triggers (on this
 * connection only) note the key of each inserted, updated or deleted row in a queue table, once
 * per key however often it changes. Whatever writes the rows (StateStore, ModseqState, the content
 * and Gmail ledgers, vanished-folders) is captured without any of them knowing.
 */
export class ChangeCapture {
  private readonly db: Db;
  private readonly keysOf: Statement;
  private readonly clear: Statement;
  private readonly mark: Statement;
  private readonly lookups: Map<string, Statement>;

  constructor(db: Db, tables: readonly SharedTable[]) {
    this.db = db;
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS shared_changes (tbl TEXT NOT NULL, pk TEXT NOT NULL, PRIMARY KEY (tbl, pk)) WITHOUT ROWID`);
    for (const t of tables) for (const sql of triggersOf(t)) db.exec(sql);
    this.keysOf = db.prepare(`SELECT tbl, pk FROM temp.shared_changes`);
    this.clear = db.prepare(`DELETE FROM temp.shared_changes`);
    this.mark = db.prepare(`INSERT OR IGNORE INTO temp.shared_changes (tbl, pk) VALUES (?, ?)`);
    this.lookups = new Map(tables.map((t) => [t.name, db.prepare(`SELECT * FROM main.${quoteIdent(t.name)} WHERE ${t.key.map((k) => `${quoteIdent(k)} = ?`).join(' AND ')}`)]));
  }

  /** Takes the queue: every changed row as it is now (null when deleted), and empties it, in one read of the database. */
  take(): RowChange[] {
    return this.db.transaction(() => {
      const out = (this.keysOf.all() as { tbl: string; pk: string }[]).map(({ tbl, pk }) => {
        const key = JSON.parse(pk) as unknown[];
        const row = (this.lookups.get(tbl)!.get(...key) as Record<string, unknown> | undefined) ?? null;
        return { table: tbl, key, row };
      });
      this.clear.run();
      return out;
    })();
  }

  /** Puts taken changes back on the queue (their flush failed); the next take reads those rows as they are then. */
  requeue(changes: readonly RowChange[]): void {
    this.db.transaction(() => {
      for (const c of changes) this.mark.run(c.table, JSON.stringify(c.key));
    })();
  }

  /** How many changed rows wait in the queue. */
  get size(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM temp.shared_changes`).get() as { n: number }).n;
  }
}

// Each trigger adds a key only when absent, with a WHERE rather than OR IGNORE: a trigger's own
// conflict clause gives way to the one of the statement that fired it (an INSERT OR REPLACE…).
function triggersOf(t: SharedTable): string[] {
  const table = quoteIdent(t.name);
  const keyOf = (side: 'NEW' | 'OLD'): string => `json_array(${t.key.map((k) => `${side}.${quoteIdent(k)}`).join(', ')})`;
  const note = (side: 'NEW' | 'OLD'): string =>
    `INSERT INTO temp.shared_changes (tbl, pk) SELECT '${t.name}', ${keyOf(side)} WHERE NOT EXISTS (SELECT 1 FROM temp.shared_changes WHERE tbl = '${t.name}' AND pk = ${keyOf(side)});`;
  return [
    `CREATE TEMP TRIGGER IF NOT EXISTS ${quoteIdent(`shared_ins_${t.name}`)} AFTER INSERT ON main.${table} BEGIN ${note('NEW')} END`,
    `CREATE TEMP TRIGGER IF NOT EXISTS ${quoteIdent(`shared_upd_${t.name}`)} AFTER UPDATE ON main.${table} BEGIN ${note('OLD')} ${note('NEW')} END`,
    `CREATE TEMP TRIGGER IF NOT EXISTS ${quoteIdent(`shared_del_${t.name}`)} AFTER DELETE ON main.${table} BEGIN ${note('OLD')} END`,
  ];
}
