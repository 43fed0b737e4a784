import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { openDatabase, type Db } from '../db/database.ts';
import { StateStore } from '../migration/state-store.ts';
import type { JobState } from './job-state.ts';
import { JobHeldError, processAlive } from './sqlite-job-lease.ts';
import type { PgSessions } from './pg-sessions.ts';
import { changeStatements, ensureSharedTables, loadJob } from './pg-state-tables.ts';
import { ChangeCapture, sharedTables } from './state-capture.ts';

/** The shared state cannot be opened or written (PostgreSQL unreachable, the job held by another process); the message names no secret. */
export class SharedStateError extends Error {
  override readonly name = 'SharedStateError';
}

// How long a job held by another live process is waited for before giving up.
const LOCK_WAIT_MS = 15_000;
// PostgreSQL 20 = int8: these columns hold UIDs, sizes and millisecond dates, all below 2^53.
const INT8 = 20;

/**
 * A job's write-ahead state shared in PostgreSQL. The engine stays synchronous on a private SQLite
 * working copy (a temporary 0600 file, loaded with the job's rows, deleted on close); every write
 * to it is captured (state-capture.ts) and durable() sends the captured rows in one transaction.
 *
 * Why a SIGKILL loses nothing and doubles nothing: the engine awaits durable() after recording a
 * batch as 'appending' and before the APPEND leaves the process, so PostgreSQL never holds a row
 * as 'pending' whose message may be on the target. A kill loses at most the writes after the last
 * durable(): those rows are 'appending' or 'pending' there, and the resume path already settles
 * 'appending' rows against the target's content (the uncertain-append reconciliation), and a
 * 'pending' one was never sent. The job is held under a session advisory lock, which PostgreSQL
 * drops with the dead session, so two processes never write the same job at once.
 */
export async function openPgJobState(url: string, jobId: string, options: { readonly lockWaitMs?: number; readonly sessions?: PgSessions } = {}): Promise<JobState> {
  const { sessions } = options;
  const reused = sessions?.take(url) ?? null;
  const client = reused ?? (await connect(url));
  let broken: Error | null = null;
  const onError = (error: Error): void => void (broken = error);
  client.on('error', onError);
  let dir: string | null = null;
  try {
    await holdJob(client, jobId, options.lockWaitMs ?? LOCK_WAIT_MS);
    removeOrphanCopies();
    dir = mkdtempSync(join(tmpdir(), `${COPY_PREFIX}${process.pid}-`));
    const db = openWorkingCopy(join(dir, 'state.db'));
    const tables = sharedTables(db);
    await (sessions ? sessions.ensureOnce(url, () => ensureSharedTables(client, tables)) : ensureSharedTables(client, tables));
    await loadJob(client, db, tables, jobId);
    const capture = new ChangeCapture(db, tables);
    let chain: Promise<void> = Promise.resolve();
    const flush = async (): Promise<void> => {
      if (broken) throw new SharedStateError(`shared state: the PostgreSQL connection was lost: ${broken.message}`);
      const changes = capture.take();
      if (changes.length === 0) return;
      const statements = changeStatements(tables, changes);
      // A single statement commits atomically by itself: one round trip (and one commit) instead of three.
      // Before each APPEND batch that is the usual case: only the batch's message rows changed.
      const single = statements.length === 1;
      try {
        if (!single) await client.query('BEGIN');
        for (const statement of statements) await client.query(statement);
        if (!single) await client.query('COMMIT');
      } catch (error) {
        if (!single) await client.query('ROLLBACK').catch(() => undefined);
        capture.requeue(changes);
        throw new SharedStateError(`shared state: PostgreSQL refused the write: ${(error as Error).message}`, { cause: error });
      }
    };
    // One flush at a time, in call order: a durable() resolves only after every write before it committed.
    const durable = (): Promise<void> => {
      const next = chain.then(flush);
      chain = next.catch(() => undefined);
      return next;
    };
    const workDir = dir;
    return {
      store: new StateStore(db, jobId),
      durable,
      async close() {
        try {
          await durable();
        } finally {
          db.close();
          rmSync(workDir, { recursive: true, force: true });
          await release(client, jobId, sessions && !broken ? () => sessions.give(url, client) : null, onError);
        }
      },
    };
  } catch (error) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await release(client, jobId, null, onError);
    // A session kept from an earlier job that died meanwhile (PostgreSQL restarted): again on the next kept one, or a new one.
    if (reused && !(error instanceof JobHeldError)) return openPgJobState(url, jobId, options);
    if (error instanceof SharedStateError || error instanceof JobHeldError) throw error;
    throw new SharedStateError(`shared state: ${(error as Error).message}`, { cause: error });
  }
}

async function connect(url: string): Promise<Client> {
  const { default: pg } = await import('pg');
  const client: Client = new pg.Client({
    connectionString: url,
    // No wait without a deadline: a half-open connection would hold durable(), and with it the job's
    // BullMQ lock, for the kernel's 15 minutes (connect: 2).
    connectionTimeoutMillis: 15_000,
    query_timeout: 60_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser },
  });
  // Errors before the job's own handler is on (a refused connection rejects connect() as well).
  const early = (): void => undefined;
  client.on('error', early);
  try {
    await client.connect();
    // A worker machine that vanishes holds its lock until the server notices: keepalives make that a minute, not hours.
    await client.query(`SET tcp_keepalives_idle = 20; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new SharedStateError(`shared state: cannot connect to PostgreSQL: ${(error as Error).message}`, { cause: error });
  } finally {
    client.off('error', early);
  }
  return client;
}

// Ends the job's session, or (keep given) releases its lock and keeps it for the next job.
async function release(client: Client, jobId: string, keep: (() => void) | null, onError: (error: Error) => void): Promise<void> {
  if (keep) {
    const unlocked = await client.query<{ ok: boolean }>(`SELECT pg_advisory_unlock(${JOB_LOCK_KEY}) AS ok`, [jobId]).then((r) => r.rows[0]?.ok === true, () => false);
    client.off('error', onError);
    if (unlocked) return keep();
  }
  client.off('error', onError);
  await client.end().catch(() => undefined);
}

// 64 bits of the job id's MD5: hashtext's 32 bits would make two of 10,000 mailboxes block each other about once in a hundred fleets.
const JOB_LOCK_KEY = `('x' || substr(md5('mailroom.job:' || $1), 1, 16))::bit(64)::bigint`;

// Working copies are named by the process that made them: one a killed process left is removed by the next.
const COPY_PREFIX = 'mailroom-job-';

// The working copy's schema is made once per process (all the app's migrations: ~100 ms on a loaded
// machine) and copied for each job; a copy is opened as it is, its migrations already recorded.
let template: string | null = null;

function openWorkingCopy(file: string): Db {
  if (!template || !existsSync(template)) {
    const dir = mkdtempSync(join(tmpdir(), `${COPY_PREFIX}${process.pid}-`));
    openDatabase(join(dir, 'template.db')).close();
    template = join(dir, 'template.db');
    const made = dir;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  copyFileSync(template, file);
  const db = openDatabase(file);
  // Durability is PostgreSQL's job; the working copy dies with the process anyway.
  db.pragma('synchronous = OFF');
  return db;
}

function removeOrphanCopies(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = name.startsWith(COPY_PREFIX) ? Number(name.slice(COPY_PREFIX.length).split('-')[0]) : NaN;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

// Takes the job's session lock, waiting a while for a process that still holds it.
async function holdJob(client: Client, jobId: string, waitMs: number): Promise<void> {
  const until = Date.now() + waitMs;
  for (;;) {
    const { rows } = await client.query<{ held: boolean }>(`SELECT pg_try_advisory_lock(${JOB_LOCK_KEY}) AS held`, [jobId]);
    if (rows[0]?.held) return;
    if (Date.now() > until) throw new JobHeldError(`shared state: job ${jobId} is being run by another process`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
