import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Mailroom keeps its cache, logs and state on this OS (MAILROOM_HOME overrides). */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['MAILROOM_HOME']) return env['MAILROOM_HOME'];
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Mailroom');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Mailroom');
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'mailroom');
}

/** What Mailroom itself keeps in its data directory (the database, its SQLite side files, the logs folder). */
export const OWN_DATA_ENTRIES: readonly string[] = ['mailroom.db', 'mailroom.db-wal', 'mailroom.db-shm', 'mailroom.db-journal', 'logs', 'vault.json', 'serve-session.json'];

/** The files inside a data directory. */
export function dataFiles(dataDir: string): { readonly database: string; readonly log: string } {
  return { database: join(dataDir, 'mailroom.db'), log: join(dataDir, 'logs', 'mailroom.log') };
}
