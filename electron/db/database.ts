import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Migration, migrations as allMigrations } from './migrations/index.ts';
import { registerNaturalKey } from './natural-key.ts';

/** The better-sqlite3 handle type used across repositories. */
export type Db = Database.Database;

/** Raised when the file's schema history disagrees with this build. */
export class SchemaMismatchError extends Error {
  override readonly name = 'SchemaMismatchError';
}

/** Opens (creating if needed) the cache database in WAL mode and applies pending migrations. */
export function openDatabase(file: string, migrations: readonly Migration[] = allMigrations): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode; only power loss can drop the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Lists of names (domains, connections, aliases) sort client0, client1, client2 … client10.
  registerNaturalKey(db);
  migrate(db, migrations);
  return db;
}

/** Applies every migration not yet recorded, each in its own transaction. */
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
    const checksum = createHash('sha256').update(m.sql).digest('hex');
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
}
