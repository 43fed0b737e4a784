import type { ClientBase } from 'pg';
import type { Db } from '../db/database.ts';
import { quoteIdent, type RowChange, type SharedTable } from './state-capture.ts';

// PostgreSQL caps a statement at 65,535 parameters: rows per INSERT are bounded by that.
const MAX_PARAMS = 60_000;

/** PostgreSQL type of an SQLite declared type (affinity rules, SQLite §3.1): INTEGER holds 64-bit values. */
function pgType(sqliteType: string): string {
  const t = sqliteType.toUpperCase();
  if (t.includes('INT')) return 'bigint';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'double precision';
  if (t.includes('BLOB')) return 'bytea';
  return 'text';
}

/**
 * Creates the shared tables in the connection's schema (its search_path) when missing, and adds
 * columns a newer schema step brought: the same names, columns and keys as the SQLite working copy,
 * so one SQL text describes both. A view sums each job's counters from its message rows.
 * DDL runs only when something is missing (ALTER TABLE locks the table against every worker's
 * flush), under a transaction-scoped advisory lock: workers starting together race on CREATE.
 */
export async function ensureSharedTables(client: ClientBase, tables: readonly SharedTable[]): Promise<void> {
  // Columns the mirror lacks ("table.column"), and whether the counters view is there.
  const survey = async (): Promise<{ columns: { table: SharedTable; column: SharedTable['columns'][number] }[]; view: boolean }> => {
    const { rows } = await client.query<{ t: string; c: string }>(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1)`,
      [[...tables.map((t) => t.name), 'migration_job_counters']],
    );
    const have = new Set(rows.map((r) => `${r.t}.${r.c}`));
    return { columns: tables.flatMap((table) => table.columns.filter((c) => !have.has(`${table.name}.${c.name}`)).map((column) => ({ table, column }))), view: have.has('migration_job_counters.job_id') };
  };
  const first = await survey();
  if (first.columns.length === 0 && first.view) return;
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('mailroom.shared-state.schema'))`);
    for (const t of tables) {
      const cols = t.columns.map((c) => `${quoteIdent(c.name)} ${pgType(c.type)}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(t.name)} (${cols.join(', ')}, PRIMARY KEY (${t.key.map(quoteIdent).join(', ')}))`);
    }
    for (const { table, column } of (await survey()).columns) await client.query(`ALTER TABLE ${quoteIdent(table.name)} ADD COLUMN IF NOT EXISTS ${quoteIdent(column.name)} ${pgType(column.type)}`);
    await client.query(`CREATE OR REPLACE VIEW migration_job_counters AS
      SELECT j.id AS job_id, j.status, j.last_error, j.updated_at,
        COUNT(m.*) FILTER (WHERE m.state = 'pending') AS pending, COUNT(m.*) FILTER (WHERE m.state = 'appending') AS appending,
        COUNT(m.*) FILTER (WHERE m.state = 'done') AS done, COUNT(m.*) FILTER (WHERE m.state = 'skipped') AS skipped,
        COUNT(m.*) FILTER (WHERE m.state = 'failed') AS failed, COALESCE(SUM(m.size) FILTER (WHERE m.state = 'done'), 0) AS bytes_done
      FROM migration_jobs j LEFT JOIN migration_messages m ON m.job_id = j.id GROUP BY j.id`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Copies one job's rows from PostgreSQL into the (empty) working copy, table by table in load order. */
export async function loadJob(client: ClientBase, db: Db, tables: readonly SharedTable[], jobId: string): Promise<number> {
  let n = 0;
  for (const t of tables) {
    const names = t.columns.map((c) => c.name);
    const { rows } = await client.query<Record<string, unknown>>({ text: `SELECT ${names.map(quoteIdent).join(', ')} FROM ${quoteIdent(t.name)} WHERE ${quoteIdent(t.jobColumn)} = $1`, values: [jobId] });
    const insert = db.prepare(`INSERT INTO main.${quoteIdent(t.name)} (${names.map(quoteIdent).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
    db.transaction(() => {
      for (const r of rows) insert.run(...names.map((c) => r[c] ?? null));
    })();
    n += rows.length;
  }
  return n;
}

/** One SQL statement with its parameters. */
export interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

/** The statements (deletes, then upserts, table by table) that write captured changes; the caller runs them in one transaction. */
export function changeStatements(tables: readonly SharedTable[], changes: readonly RowChange[]): Statement[] {
  const statements: Statement[] = [];
  for (const t of tables) {
    const mine = changes.filter((c) => c.table === t.name);
    const gone = mine.filter((c) => c.row === null);
    const live = mine.filter((c) => c.row !== null);
    const keyCols = t.key.map(quoteIdent).join(', ');
    for (let i = 0; i < gone.length; i += Math.floor(MAX_PARAMS / t.key.length)) {
      const part = gone.slice(i, i + Math.floor(MAX_PARAMS / t.key.length));
      const values = part.flatMap((c) => c.key);
      const tuples = part.map((_, r) => `(${t.key.map((_k, k) => `$${r * t.key.length + k + 1}`).join(', ')})`);
      statements.push({ text: `DELETE FROM ${quoteIdent(t.name)} WHERE (${keyCols}) IN (${tuples.join(', ')})`, values });
    }
    const names = t.columns.map((c) => c.name);
    const others = names.filter((c) => !t.key.includes(c));
    const onConflict = others.length > 0 ? `DO UPDATE SET ${others.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`).join(', ')}` : 'DO NOTHING';
    const per = Math.floor(MAX_PARAMS / names.length);
    for (let i = 0; i < live.length; i += per) {
      const part = live.slice(i, i + per);
      const values = part.flatMap((c) => names.map((n) => c.row![n] ?? null));
      const tuples = part.map((_, r) => `(${names.map((_n, k) => `$${r * names.length + k + 1}`).join(', ')})`);
      statements.push({ text: `INSERT INTO ${quoteIdent(t.name)} (${names.map(quoteIdent).join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${keyCols}) ${onConflict}`, values });
    }
  }
  return statements;
}
