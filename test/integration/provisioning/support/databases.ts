import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { postfixAdminSchema } from '../../../../electron/backends/postfixadmin/schema.ts';
import { openSqlDriver, type SqlDialect, type SqlTarget } from '../../../../electron/backends/postfixadmin/sql-driver.ts';

/** A fresh PostfixAdmin database on one of the three engines, and how to drop it. */
export interface TestDatabase {
  readonly target: SqlTarget;
  /** The directory that holds the SQLite file (readable by the service account). */
  readonly dir: string | null;
  drop(): Promise<void>;
}

/** MariaDB and PostgreSQL as the development machines and CI run them (root / postgres without password). */
export const SERVERS = {
  mysql: { host: '127.0.0.1', port: Number(process.env['MYSQL_PORT'] ?? 3306), user: process.env['MYSQL_USER'] ?? 'root' },
  postgres: { host: '127.0.0.1', port: Number(process.env['PGPORT'] ?? 5432), user: process.env['PGUSER'] ?? 'postgres' },
} as const;

/** Creates an empty database with the PostfixAdmin schema on `dialect`. */
export async function createTestDatabase(dialect: SqlDialect): Promise<TestDatabase> {
  const name = `mr_pfa_${randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'mr-pfa-db-'));
    chmodSync(dir, 0o777);
    const path = join(dir, 'postfixadmin.db');
    const db = new Database(path);
    db.exec(postfixAdminSchema('sqlite'));
    db.close();
    // Dovecot's dict process (another user) updates quota2 and needs write access to file and directory.
    chmodSync(path, 0o666);
    return { target: { dialect, path }, dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const server = SERVERS[dialect];
  const admin = await openSqlDriver({ dialect, ...server, database: dialect === 'mysql' ? 'test' : 'test' }, null);
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  const target: SqlTarget = { dialect, ...server, database: name };
  const driver = await openSqlDriver(target, null);
  await driver.exec(postfixAdminSchema(dialect));
  await driver.close();
  return {
    target,
    dir: null,
    drop: async () => {
      const again = await openSqlDriver({ dialect, ...server, database: 'test' }, null);
      await again.exec(dialect === 'postgres' ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`);
      await again.close();
    },
  };
}
