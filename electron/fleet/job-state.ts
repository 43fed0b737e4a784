import type { Db } from '../db/database.ts';
import { openDatabase } from '../db/database.ts';
import { StateStore } from '../migration/state-store.ts';
import type { PgSessions } from './pg-sessions.ts';
import { takeSqliteLease } from './sqlite-job-lease.ts';

/** The write-ahead state of one mailbox job, wherever it lives. */
export interface JobState {
  readonly store: StateStore;
  /** Makes every state write so far durable in the shared store (no-op for SQLite). */
  durable(): Promise<void>;
  close(): Promise<void>;
}

/** Raised for a state URL this build cannot open; its message is one line for the user. */
export class StateUrlError extends Error {
  override readonly name = 'StateUrlError';
}

/** True for a PostgreSQL state URL (postgres:// or postgresql://): the fleet's shared state. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The file of a `sqlite:/path/file.db` (or `sqlite:///path/file.db`) URL, or a StateUrlError. */
export function sqlitePathOf(url: string): string {
  if (!url.startsWith('sqlite:')) throw new StateUrlError(`--state must be postgres://USER@HOST/DB (a fleet on several machines) or sqlite:/path/file.db (workers of one machine), not "${withoutCredentials(url)}".`);
  const path = decodeURIComponent(url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''));
  if (!path.startsWith('/')) throw new StateUrlError(`--state needs an absolute path: sqlite:/path/file.db, not "${url}".`);
  return path;
}

/** Checks a state URL before a worker or controller starts (a StateUrlError names the problem); every scheme openJobState takes passes. */
export function checkStateUrl(url: string): void {
  if (!isPostgresUrl(url)) {
    sqlitePathOf(url);
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StateUrlError(`--state "${withoutCredentials(url)}" is not a URL like postgres://USER@HOST/DB.`);
  }
  // The password comes from PGPASSWORD or ~/.pgpass (libpq's own places), never from argv; pg also
  // takes one from the query string.
  if (parsed.password || ['password', 'sslpassword'].some((p) => parsed.searchParams.has(p))) {
    throw new StateUrlError('--state must not carry a password: give it in PGPASSWORD or ~/.pgpass.');
  }
}

/** A URL as it may be echoed: whatever sits before an "@" in its authority (user and password) left out. */
export function withoutCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1…@').replace(/([?&](ssl)?password=)[^&]*/gi, '$1…');
}

// One handle per file in a process: a worker's concurrent jobs share it (better-sqlite3 is synchronous,
// so their short transactions never interleave); other processes share the file through WAL.
const handles = new Map<string, { db: Db; users: number }>();

/** Opens a job's state from a URL: postgres://… (shared by a fleet, pg-job-state.ts; `sessions` keeps its connections between jobs) or sqlite:/path/file.db (a SQLite file shared by the workers of one machine, WAL). */
export async function openJobState(url: string, jobId: string, options: { readonly sessions?: PgSessions } = {}): Promise<JobState> {
  if (isPostgresUrl(url)) {
    checkStateUrl(url);
    return (await import('./pg-job-state.ts')).openPgJobState(url, jobId, options);
  }
  const path = sqlitePathOf(url);
  let handle = handles.get(path);
  if (!handle) {
    handle = { db: await openShared(path), users: 0 };
    handles.set(path, handle);
  }
  const held = handle;
  let release: () => void;
  try {
    release = takeSqliteLease(held.db, path, jobId);
  } catch (error) {
    if (held.users === 0) {
      handles.delete(path);
      held.db.close();
    }
    throw error;
  }
  held.users += 1;
  let closed = false;
  return {
    store: new StateStore(held.db, jobId),
    durable: () => Promise.resolve(),
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      release();
      held.users -= 1;
      if (held.users === 0) {
        handles.delete(path);
        held.db.close();
      }
      return Promise.resolve();
    },
  };
}

// Workers started together may create the file at the same moment: the loser of the schema race
// (a table already made, or a version already recorded by the other process) opens it again.
async function openShared(path: string): Promise<Db> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return openDatabase(path);
    } catch (error) {
      const text = (error as Error).message;
      if (attempt >= 5 || !/already exists|UNIQUE constraint|database is locked/i.test(text)) throw error;
      await new Promise((done) => setTimeout(done, 100 * attempt));
    }
  }
}
