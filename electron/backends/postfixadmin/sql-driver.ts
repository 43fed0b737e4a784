import type Database from 'better-sqlite3';
import type { Pool as PgPool } from 'pg';

/** The three databases PostfixAdmin installs on. */
export type SqlDialect = 'mysql' | 'postgres' | 'sqlite';

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | boolean | null;

/** A plain result row. */
export type SqlRow = Record<string, unknown>;

/** Statements against one connection or transaction; SQL is written with `?` placeholders. */
export interface SqlExecutor {
  /** Runs a SELECT and returns its rows. */
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs an INSERT/UPDATE/DELETE and returns the number of affected rows. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** One database behind a small common surface: placeholders, booleans and transactions per dialect. */
export interface SqlDriver extends SqlExecutor {
  readonly dialect: SqlDialect;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (schema creation); no parameters. */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

/** Where a SQL connection points; the password comes from the vault, never from here. */
export interface SqlTarget {
  readonly dialect: SqlDialect;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  /** SQLite only: the database file. */
  readonly path?: string;
}

/** The boolean literal of a dialect as a bound value: PostgreSQL has a real BOOLEAN, the others 1/0. */
export function sqlBool(dialect: SqlDialect, value: boolean): SqlValue {
  return dialect === 'postgres' ? value : value ? 1 : 0;
}

/** Reads a boolean column whatever the driver returned (1, '1', true, 't'). */
export function readBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true' || value === 1n;
}

/** Reads a numeric column; pg returns BIGINT and count(*) as strings. */
export function readNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

/** Opens a driver for the target; mysql2 and pg are loaded only when used. */
export async function openSqlDriver(target: SqlTarget, password: string | null): Promise<SqlDriver> {
  switch (target.dialect) {
    case 'sqlite':
      return openSqlite(target.path ?? '');
    case 'mysql':
      return openMysql(target, password);
    case 'postgres':
      return openPostgres(target, password);
  }
}

async function openSqlite(path: string): Promise<SqlDriver> {
  const { default: BetterSqlite } = await import('better-sqlite3');
  // fileMustExist: a typo in the path must not silently create an empty database.
  const db: Database.Database = new BetterSqlite(path, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    // One handle: a transaction's statements must not interleave with another caller's.
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const bind = (params: readonly SqlValue[]): unknown[] => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
  const direct: SqlExecutor = {
    query: async <T extends SqlRow>(sql: string, params: readonly SqlValue[] = []) => db.prepare(sql).all(...bind(params)) as T[],
    run: async (sql, params = []) => db.prepare(sql).run(...bind(params)).changes,
  };
  return {
    dialect: 'sqlite',
    query: (sql, params) => serial(() => direct.query(sql, params)),
    run: (sql, params) => serial(() => direct.run(sql, params)),
    transaction: (work) =>
      serial(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const value = await work(direct);
          db.exec('COMMIT');
          return value;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    exec: (script) => serial(async () => void db.exec(script)),
    close: async () => void db.close(),
  };
}

async function openMysql(target: SqlTarget, password: string | null): Promise<SqlDriver> {
  const mysql = await import('mysql2/promise');
  const pool = mysql.createPool({
    host: target.host ?? '127.0.0.1',
    port: target.port ?? 3306,
    user: target.user ?? 'postfixadmin',
    ...(password ? { password } : {}),
    database: target.database ?? 'postfixadmin',
    connectionLimit: 4,
    connectTimeout: 10_000,
    dateStrings: true,
    supportBigNumbers: true,
    multipleStatements: false,
    charset: 'utf8mb4',
  });
  type Conn = Pick<typeof pool, 'query'>;
  const on = (conn: Conn): SqlExecutor => ({
    query: async <T extends SqlRow>(sql: string, params: readonly SqlValue[] = []) => {
      const [rows] = await conn.query(sql, [...params]);
      return rows as T[];
    },
    run: async (sql, params = []) => {
      const [result] = await conn.query(sql, [...params]);
      return (result as { affectedRows: number }).affectedRows;
    },
  });
  const direct = on(pool);
  return {
    dialect: 'mysql',
    ...direct,
    transaction: async (work) => {
      const conn = await pool.getConnection();
      try {
        await conn.beginTransaction();
        const value = await work(on(conn));
        await conn.commit();
        return value;
      } catch (error) {
        await conn.rollback().catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
    },
    exec: async (script) => {
      for (const statement of splitStatements(script)) await pool.query(statement);
    },
    close: () => pool.end(),
  };
}

async function openPostgres(target: SqlTarget, password: string | null): Promise<SqlDriver> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    host: target.host ?? '127.0.0.1',
    port: target.port ?? 5432,
    user: target.user ?? 'postfixadmin',
    ...(password ? { password } : {}),
    database: target.database ?? 'postfixadmin',
    max: 4,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its server emits 'error'; without a listener that would crash the process.
  pool.on('error', () => undefined);
  const on = (client: Pick<PgPool, 'query'>): SqlExecutor => ({
    query: async <T extends SqlRow>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(numbered(sql), [...params])).rows as T[],
    run: async (sql, params = []) => (await client.query(numbered(sql), [...params])).rowCount ?? 0,
  });
  const direct = on(pool);
  return {
    dialect: 'postgres',
    ...direct,
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await work(on(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (script) => {
      await pool.query(script);
    },
    close: () => pool.end(),
  };
}

/** Rewrites `?` placeholders as PostgreSQL's `$1, $2, …` (our SQL never has `?` inside literals). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function splitStatements(script: string): string[] {
  return script
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
