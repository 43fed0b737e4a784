import type { SqlDialect, SqlDriver } from '../../../../electron/backends/postfixadmin/sql-driver.ts';

/** SQL for the hours from the database's NOW() to a timestamp column, per dialect. */
function hoursSql(dialect: SqlDialect, column: string): string {
  switch (dialect) {
    case 'mysql':
      return `TIMESTAMPDIFF(SECOND, now(), ${column}) / 3600`;
    case 'postgres':
      return `EXTRACT(EPOCH FROM (${column} - now())) / 3600`;
    case 'sqlite':
      return `(julianday(${column}) - julianday('now')) * 24`;
  }
}

/** Hours from the database's clock to `column` of one row (negative: in the past). */
export async function hoursFromNow(db: SqlDriver, table: string, column: string, where: string, key: string): Promise<number> {
  const rows = await db.query(`SELECT ${hoursSql(db.dialect, column)} AS h FROM ${table} WHERE ${where} = ?`, [key]);
  if (!rows[0]) throw new Error(`no ${table} row ${key}`);
  return Number(rows[0]['h']);
}

/** Hours from `created` to `modified` of one row, as the database sees them. */
export async function modifiedAfterCreated(db: SqlDriver, table: string, where: string, key: string): Promise<number> {
  return (await hoursFromNow(db, table, 'modified', where, key)) - (await hoursFromNow(db, table, 'created', where, key));
}

/** How many rows match. */
export async function countRows(db: SqlDriver, table: string, where: string, key: string): Promise<number> {
  return Number((await db.query(`SELECT count(*) AS n FROM ${table} WHERE ${where} = ?`, [key]))[0]?.['n']);
}

/** One column of one row, or undefined. */
export async function cell(db: SqlDriver, sql: string, key: string): Promise<unknown> {
  const rows = await db.query(sql, [key]);
  return rows[0] ? Object.values(rows[0])[0] : undefined;
}
