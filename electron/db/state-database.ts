import { boundStateCache, type Db, type Migration, migrate, openConnection, schemaIsCurrent, STATE_PAGE_BYTES, tightenDatabaseFiles } from './database-core.ts';

const allSteps = async (): Promise<readonly Migration[]> => (await import('./migrations/index.ts')).migrations;

/**
 * Opens a migration's --state database with a bounded page cache, like database.ts's openStateDatabase,
 * but loads the schema steps (23 modules, ~10 ms of a no-change re-run's start) only when the file's
 * schema is not this build's (a new file, an older build's, or one that fails the checks).
 */
export async function openCurrentStateDatabase(file: string, loadSteps: () => Promise<readonly Migration[]> = allSteps): Promise<Db> {
  const db = openConnection(file, STATE_PAGE_BYTES);
  try {
    if (!schemaIsCurrent(db)) migrate(db, await loadSteps());
  } catch (error) {
    db.close();
    throw error;
  }
  tightenDatabaseFiles(file);
  boundStateCache(db);
  return db;
}
