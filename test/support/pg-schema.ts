import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A private schema in the test PostgreSQL, and a URL whose connections work in it. */
export interface PgSchema {
  readonly name: string;
  /** postgres://… with search_path set to the schema (libpq's `options`). */
  readonly url: string;
  /** Runs SQL as the test's admin connection (search_path: the schema). */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<R[]>;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

const BASE = process.env['MAILROOM_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Creates a fresh schema for one test (the PostgreSQL server every machine here runs: trust, database `test`). */
export async function freshPgSchema(prefix: string): Promise<PgSchema> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  await admin.query(`SET search_path = ${name}`);
  return {
    name,
    url: `${BASE}?options=${encodeURIComponent(`-c search_path=${name}`)}`,
    query: async (sql, values) => (await admin.query(sql, values)).rows,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await admin.end();
    },
  };
}
