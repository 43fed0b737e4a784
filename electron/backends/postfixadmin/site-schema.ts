import type { SqlDialect, SqlExecutor } from './sql-driver.ts';

/** What the connected database holds: PostfixAdmin's schema revision and the columns of each table. */
export interface PfaSchema {
  /** `config.version` as upgrade.php left it (1847 for PostfixAdmin 3.3.x), or null when absent. */
  readonly revision: number | null;
  /** True when the table exists and, if given, has the column. */
  has(table: string, column?: string): boolean;
}

const COLUMNS: Readonly<Record<SqlDialect, string>> = {
  mysql: 'SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE()',
  postgres: 'SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema()',
  sqlite: "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
};

/** Reads the revision and every table's columns once, at connect time. */
export async function readSchema(db: SqlExecutor, dialect: SqlDialect): Promise<PfaSchema> {
  const tables = new Map<string, Set<string>>();
  for (const row of await db.query(COLUMNS[dialect])) {
    const table = String(row['t'] ?? row['T'] ?? row['TABLE_NAME']).toLowerCase();
    const column = String(row['c'] ?? row['C'] ?? row['COLUMN_NAME']).toLowerCase();
    tables.set(table, (tables.get(table) ?? new Set()).add(column));
  }
  let revision: number | null = null;
  if (tables.get('config')?.has('value')) {
    const rows = await db.query("SELECT value FROM config WHERE name = 'version'");
    const value = Number(rows[0]?.['value']);
    revision = Number.isInteger(value) && value > 0 ? value : null;
  }
  return {
    revision,
    has: (table, column) => {
      const columns = tables.get(table);
      return columns !== undefined && (column === undefined || columns.has(column));
    },
  };
}

/** The release line a revision belongs to, for people reading `connections test`. */
export function releaseOf(revision: number | null): string {
  if (revision === null) return 'PostfixAdmin schema without a version row';
  if (revision <= 1847) return `PostfixAdmin 3.x (schema revision ${revision})`;
  if (revision <= 1851) return `PostfixAdmin 4.0 (schema revision ${revision})`;
  return `PostfixAdmin development schema (revision ${revision})`;
}

/** The tables Mailroom cannot work without, with the columns it reads from each. */
export const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  domain: ['domain', 'description', 'aliases', 'mailboxes', 'maxquota', 'quota', 'transport', 'backupmx', 'active'],
  mailbox: ['username', 'password', 'name', 'maildir', 'quota', 'local_part', 'domain', 'active'],
  alias: ['address', 'goto', 'domain', 'active'],
  alias_domain: ['alias_domain', 'target_domain', 'active'],
};

/** The first required table or column the database lacks, or null. */
export function missingRequired(schema: PfaSchema): string | null {
  for (const [table, columns] of Object.entries(REQUIRED)) {
    if (!schema.has(table)) return `table ${table}`;
    for (const column of columns) if (!schema.has(table, column)) return `column ${table}.${column}`;
  }
  return null;
}
