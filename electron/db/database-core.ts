import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { makePrivateDir, precreatePrivateFile, tightenPath } from '../platform/private-files.ts';
import { registerIpFunctions } from './ip-bytes.ts';
import { registerNaturalKey } from './natural-key.ts';
import { CURRENT_SCHEMA } from './schema-stamp.ts';

// Opening a database and applying schema steps, without the steps themselves (migrations/index.ts):
// a --state database whose schema is current opens without loading them (state-database.ts).

/** The better-sqlite3 handle type used across repositories. */
export type Db = Database.Database;

/** A schema step; its checksum is recorded so an edited, already-applied step is detected. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Raised when the file's schema history disagrees with this build. */
export class SchemaMismatchError extends Error {
  override readonly name = 'SchemaMismatchError';
}

/** Raised when a file cannot be opened as an SQLite database (a folder, a text file, no permission). */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

/** Page cache of a migration's own --state database, KiB (SQLite's default; better-sqlite3 builds with 16,000). */
export const STATE_CACHE_KIB = 2048;

/**
 * Page size of a migration's --state database when the file is created, bytes (SQLite's default 4096; an existing file keeps its own).
 * Each commit writes every page it changed to the WAL: a first pass's write-ahead steps and settles change a few rows of
 * migration_messages and its indexes in many places, and 16 KB pages cut a corpus replay's WAL writes and its CPU (RESULTS.md, session 14).
 */
export const STATE_PAGE_BYTES = 16384;

/** Opens (creating if needed) the file in WAL mode with the connection settings every Mailroom database uses; no schema step yet. `pageBytes`: a new file's page size. */
export function openConnection(file: string, pageBytes?: number): Db {
  if (file !== ':memory:') {
    makePrivateDir(dirname(file));
    // SQLite would create the file 0644 (less the umask) and gives its -wal and -shm the file's mode.
    precreatePrivateFile(file);
  }
  const db = openSqlite(file, pageBytes);
  db.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode; only power loss can drop the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Lists of names (domains, connections, aliases) sort client0, client1, client2 … client10.
  registerNaturalKey(db);
  // Source IPs are stored as bytes; migration 30 converts them and queries print them.
  registerIpFunctions(db);
  return db;
}

/** Makes the file and its WAL private, once it has proved to be a database (a wrong --state path must not have its mode changed). */
export function tightenDatabaseFiles(file: string): void {
  if (file !== ':memory:') for (const path of [file, `${file}-wal`, `${file}-shm`]) tightenPath(path);
}

/**
 * Bounds the page cache of a migration's --state database. With better-sqlite3's 16 MB default the cache grows
 * with the job's rows (2.4 MB of malloc for the corpus, 8.3 MB for three times it): memory that grew with the
 * mailbox, while the copy's statements are primary-key lookups whose pages the OS caches anyway.
 */
export function boundStateCache(db: Db): void {
  db.pragma(`cache_size = -${STATE_CACHE_KIB}`);
  // The temporary tables reconciliation matches a folder in (key-claims.ts) have a cache of their own, else 16 MB.
  db.pragma(`temp.cache_size = -${STATE_CACHE_KIB}`);
}

function openSqlite(file: string, pageBytes: number | undefined): Db {
  let db: Db | null = null;
  try {
    db = new Database(file);
    // Only an empty file takes it, and only before WAL mode is set (which writes the header).
    if (pageBytes !== undefined) db.pragma(`page_size = ${pageBytes}`);
    db.pragma('journal_mode = WAL');
    return db;
  } catch (error) {
    db?.close();
    const code = (error as { code?: string }).code;
    const folder = file !== ':memory:' && existsSync(file) && statSync(file).isDirectory();
    const why = folder ? 'it is a folder' : code === 'SQLITE_NOTADB' ? 'it is not an SQLite database' : (error as Error).message;
    throw new DatabaseOpenError(`Cannot open ${file} as a Mailroom database: ${why}.`);
  }
}

/** A 31-bit digest of a list of schema steps (versions and SQL), kept in the file's user_version once they are applied. */
export function schemaStamp(migrations: readonly Migration[]): number {
  const hash = createHash('sha256');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) hash.update(`${m.version}:${checksumOf(m)}\n`);
  return hash.digest().readUInt32BE(0) >>> 1;
}

/**
 * True when the file holds exactly this build's schema: the stamp the last `migrate` wrote, and the
 * recorded steps' count and highest version, are this build's. Then no step is pending, none was
 * edited (the stamp covers their SQL) and none is from a newer build, so the steps need not be loaded.
 */
export function schemaIsCurrent(db: Db): boolean {
  if (db.pragma('user_version', { simple: true }) !== CURRENT_SCHEMA.stamp) return false;
  const row = db.prepare('SELECT count(*) AS steps, max(version) AS version FROM schema_migrations').get() as { steps: number; version: number | null };
  return row.steps === CURRENT_SCHEMA.steps && row.version === CURRENT_SCHEMA.version;
}

/** Applies every migration not yet recorded, each in its own transaction, then stamps the file with the list applied. */
export function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Map(
    (db.prepare('SELECT version, checksum FROM schema_migrations').all() as { version: number; checksum: string }[]).map(
      (r) => [r.version, r.checksum],
    ),
  );
  const known = new Set(migrations.map((m) => m.version));
  for (const version of applied.keys()) {
    if (!known.has(version)) {
      throw new SchemaMismatchError(`Database has schema version ${version}, which this build does not know; it was written by a newer Mailroom.`);
    }
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const checksum = checksumOf(m);
    const existing = applied.get(m.version);
    if (existing !== undefined) {
      if (existing !== checksum) throw new SchemaMismatchError(`Migration ${m.version} (${m.name}) changed after it was applied.`);
      continue;
    }
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, checksum, new Date().toISOString());
    })();
  }
  const stamp = schemaStamp(migrations);
  // Written only when it changes: every open would otherwise be a write.
  if (db.pragma('user_version', { simple: true }) !== stamp) db.pragma(`user_version = ${stamp}`);
}

function checksumOf(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}
