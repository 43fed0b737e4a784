import type { Db } from '../../../electron/db/database.ts';

/** Watches every row set a statement of `db` returns at once (better-sqlite3 `.all()`): the largest, and its SQL. */
export function watchReads(db: Db): { largest: () => { rows: number; sql: string }; reset: () => void } {
  let largest = { rows: 0, sql: '' };
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const all = statement.all.bind(statement);
    statement.all = ((...args: unknown[]) => {
      const rows = all(...args);
      if (rows.length > largest.rows) largest = { rows: rows.length, sql };
      return rows;
    }) as typeof statement.all;
    return statement;
  }) as typeof db.prepare;
  return { largest: () => largest, reset: () => (largest = { rows: 0, sql: '' }) };
}
