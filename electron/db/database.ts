import { type Db, type Migration, boundStateCache, migrate, openConnection, tightenDatabaseFiles } from './database-core.ts';
import { migrations as allMigrations } from './migrations/index.ts';

export { type Db, DatabaseOpenError, migrate, SchemaMismatchError, STATE_CACHE_KIB } from './database-core.ts';

/** Opens (creating if needed) the cache database in WAL mode and applies pending migrations. */
export function openDatabase(file: string, migrations: readonly Migration[] = allMigrations): Db {
  const db = openConnection(file);
  migrate(db, migrations);
  tightenDatabaseFiles(file);
  return db;
}

/** Opens a migration's --state database (every schema step checked) with a bounded page cache (database-core.ts's boundStateCache). */
export function openStateDatabase(file: string): Db {
  const db = openDatabase(file);
  boundStateCache(db);
  return db;
}
