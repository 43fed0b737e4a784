import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPgJobState } from '../../../electron/fleet/pg-job-state.ts';
import { PgSessions } from '../../../electron/fleet/pg-sessions.ts';
import { runMigration } from '../../../electron/migration/migrate-job.ts';
import type { StateStore } from '../../../electron/migration/state-store.ts';
import { closedPort } from '../../support/closed-port.ts';
import { freshPgSchema, type PgSchema } from '../../support/pg-schema.ts';
import { runCli } from '../../support/run-cli.ts';

const row = (uid: number): Parameters<StateStore['insertPending']>[0][number] => ({ sourcePath: 'INBOX', uidValidity: 7, uid, key: `k${uid}`, size: 100 + uid, internalDate: 1_700_000_000_000 + uid, targetPath: 'INBOX' });

// The working copy's file: the only file a StateStore on better-sqlite3 has open.
const fileOf = (store: StateStore): string => store.database.name;

let schema: PgSchema | null = null;
afterEach(async () => {
  await schema?.drop();
  schema = null;
});

describe('a job state shared in PostgreSQL (real server)', () => {
  it('creates its tables, writes only at durable(), and a second process loads the job where the first left it', async () => {
    schema = await freshPgSchema('jobstate');
    const first = await openPgJobState(schema.url, 'job-a');
    const file = fileOf(first.store);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    first.store.ensureJob('u@src:993', 'u@dst:993', '2026-12-06T10:00:00Z');
    first.store.insertPending([1, 2, 3].map(row));
    first.store.setState([{ ...row(1), contentSha1: 'f00' }], 'appending', 1, true);
    first.store.modseq.save('INBOX', { uidValidity: 7, highestModseq: 9_007_199_254_740_993n });
    expect(await schema.query('SELECT * FROM migration_messages')).toEqual([]);
    await first.durable();
    const rows = await schema.query<{ source_uid: string; state: string; content_sha1: string | null }>('SELECT source_uid, state, content_sha1 FROM migration_messages ORDER BY source_uid');
    expect(rows).toEqual([
      { source_uid: '1', state: 'appending', content_sha1: 'f00' },
      { source_uid: '2', state: 'pending', content_sha1: null },
      { source_uid: '3', state: 'pending', content_sha1: null },
    ]);
    first.store.settle([row(1)], 'done', 9, [21]);
    first.store.finishJob('incomplete', 'cut short', '2026-12-06T10:05:00Z');
    await first.close();
    expect(existsSync(file)).toBe(false);
    expect(await schema.query('SELECT status, last_error, pending, appending, done, bytes_done FROM migration_job_counters')).toEqual([
      { status: 'incomplete', last_error: 'cut short', pending: '2', appending: '0', done: '1', bytes_done: '101' },
    ]);

    const second = await openPgJobState(schema.url, 'job-a');
    expect(second.store.rows('INBOX', 7).map((r) => [r.uid, r.state, r.targetUid, r.internalDate])).toEqual([
      [1, 'done', 21, 1_700_000_000_001],
      [2, 'pending', null, 1_700_000_000_002],
      [3, 'pending', null, 1_700_000_000_003],
    ]);
    expect(second.store.modseq.get('INBOX')).toEqual({ uidValidity: 7, highestModseq: 9_007_199_254_740_993n });
    // Another job in the same tables stays apart.
    const other = await openPgJobState(schema.url, 'job-b');
    expect(other.store.counts().pending.n).toBe(0);
    await Promise.all([second.close(), other.close()]);
  });

  it('removes the working copy a killed process left behind, and none of a live one', async () => {
    schema = await freshPgSchema('jobstate');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const orphan = mkdtempSync(join(tmpdir(), `mailroom-job-${dead}-`));
    const live = await openPgJobState(schema.url, 'job-h');
    const other = await openPgJobState(schema.url, 'job-i');
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(fileOf(live.store))).toBe(true);
    await Promise.all([live.close(), other.close()]);
  });

  it('sends deletions, and concurrent durable() calls each wait for every write made before them', async () => {
    schema = await freshPgSchema('jobstate');
    const state = await openPgJobState(schema.url, 'job-c');
    state.store.ensureJob('s', 't', 'now');
    state.store.insertPending(Array.from({ length: 5000 }, (_, i) => row(i + 1)));
    const order: string[] = [];
    const early = state.durable().then(() => order.push('early'));
    // The first flush has taken its rows and is sending them while the store goes on writing.
    await new Promise((r) => setImmediate(r));
    expect(state.store.dropStaleUidValidity('INBOX', 8)).toBe(5000);
    state.store.insertPending([{ ...row(1), uidValidity: 8 }]);
    const late = state.durable().then(() => order.push('late'));
    await Promise.all([late, early]);
    expect(order).toEqual(['early', 'late']);
    expect(await schema.query('SELECT source_uidvalidity, source_uid FROM migration_messages')).toEqual([{ source_uidvalidity: '8', source_uid: '1' }]);
    await state.close();
  });

  it('adds to an older mirror the columns a newer schema step brought, keeping its rows', async () => {
    schema = await freshPgSchema('jobstate');
    const old = await openPgJobState(schema.url, 'job-g');
    old.store.ensureJob('s', 't', 'now');
    old.store.insertPending([row(1)]);
    await old.close();
    await schema.query('ALTER TABLE migration_messages DROP COLUMN content_checked');
    await schema.query('DROP VIEW migration_job_counters');
    const state = await openPgJobState(schema.url, 'job-g');
    expect(state.store.counts().pending.n).toBe(1);
    state.store.insertPending([row(2)]);
    await state.close();
    expect(await schema.query('SELECT source_uid, content_checked FROM migration_messages ORDER BY source_uid')).toEqual([
      { source_uid: '1', content_checked: null },
      { source_uid: '2', content_checked: null },
    ]);
    expect(await schema.query('SELECT pending FROM migration_job_counters')).toEqual([{ pending: '2' }]);
  });

  it('holds a job for one process at a time, and lets it go when that process closes it', async () => {
    schema = await freshPgSchema('jobstate');
    const holder = await openPgJobState(schema.url, 'job-d');
    await expect(openPgJobState(schema.url, 'job-d', { lockWaitMs: 300 })).rejects.toThrow(/job job-d is being run by another process/);
    const waiting = openPgJobState(schema.url, 'job-d', { lockWaitMs: 10_000 });
    await holder.close();
    await (await waiting).close();
  });

  it('fails durable() with a clear error when PostgreSQL drops the session, and keeps the writes queued', async () => {
    schema = await freshPgSchema('jobstate');
    const app = `mr-test-${schema.name}`;
    const state = await openPgJobState(`${schema.url}&application_name=${app}`, 'job-e');
    state.store.ensureJob('s', 't', 'now');
    await state.durable();
    const ended = await schema.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [app]);
    expect(ended).toHaveLength(1);
    state.store.insertPending([row(1)]);
    await expect(state.durable()).rejects.toThrow(/shared state: .*PostgreSQL/);
    await state.close().catch(() => undefined);
    expect(await schema.query('SELECT * FROM migration_messages')).toEqual([]);
  });

  it('keeps a worker\'s session for its next job, the first job\'s lock released, and takes a new one when the kept session died', async () => {
    schema = await freshPgSchema('jobstate');
    const app = `mr-test-keep-${schema.name}`;
    const url = `${schema.url}&application_name=${app}`;
    const sessions = new PgSessions();
    const backends = async (): Promise<number[]> => (await schema!.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [app])).map((r) => r.pid);
    const first = await openPgJobState(url, 'job-k', { sessions });
    first.store.ensureJob('s', 't', 'now');
    await first.close();
    const kept = await backends();
    expect(kept).toHaveLength(1);
    // Released: another process takes job-k at once, while the kept session runs job-l.
    const second = await openPgJobState(url, 'job-l', { sessions });
    expect(await backends()).toHaveLength(1);
    const other = await openPgJobState(schema.url, 'job-k', { lockWaitMs: 300 });
    expect(other.store.database.prepare('SELECT id FROM migration_jobs').all()).toEqual([{ id: 'job-k' }]);
    await other.close();
    await second.close();
    // The kept session dies while idle (a PostgreSQL restart): the next job connects anew.
    await schema.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [app]);
    const third = await openPgJobState(url, 'job-m', { sessions });
    third.store.ensureJob('s', 't', 'now');
    await third.durable();
    await third.close();
    expect((await backends()).filter((pid) => !kept.includes(pid))).toHaveLength(1);
    await sessions.close();
    expect(await backends()).toEqual([]);
  });

  it('ends a run whose shared state is lost as a clear error value, not a crash', async () => {
    schema = await freshPgSchema('jobstate');
    const app = `mr-test-run-${schema.name}`;
    const state = await openPgJobState(`${schema.url}&application_name=${app}`, 'job-j');
    await schema.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [app]);
    const port = await closedPort();
    const nowhere = { host: '127.0.0.1', port, tls: 'none' as const, user: 'ana', auth: { password: 'x' } };
    const summary = await runMigration({ source: nowhere, target: nowhere, store: state.store, durable: () => state.durable() });
    expect(summary.complete).toBe(false);
    expect(summary.error).toMatchObject({ code: 'backend.unavailable', message: expect.stringMatching(/^shared state: /) });
    await state.close().catch(() => undefined);
  });

  it('names the server, never a password, when PostgreSQL is unreachable', async () => {
    const url = 'postgres://fleet:s3cret-Pw@127.0.0.1:1/test';
    const failure = await openPgJobState(url, 'job-f').then(() => null, (e: unknown) => e as Error);
    expect(failure?.message).toMatch(/^shared state: cannot connect to PostgreSQL/);
    expect(failure?.message).not.toContain('s3cret-Pw');
  });

  it('mailroom migrate --state postgres://… says in one line that the shared state is unreachable (exit 1)', async () => {
    // The password travels in PGPASSWORD (libpq's variable, which pg reads too), never in argv.
    const run = await runCli(['migrate', '--source', 'imaps://u@127.0.0.1:1', '--target', 'imaps://v@127.0.0.1:2', '--state', 'postgres://fleet@127.0.0.1:1/test'], {
      env: { MAILROOM_HOME: mkdtempSync(join(tmpdir(), 'mailroom-pgcli-')), MAILROOM_SOURCE_PASSWORD: 'a', MAILROOM_TARGET_PASSWORD: 'b', PGPASSWORD: 's3cret-Pw' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error \[backend\.unavailable\]: shared state: cannot connect to PostgreSQL/)]);
    expect(run.stderr + run.stdout).not.toContain('s3cret-Pw');
  });

  it('refuses a password inside the --state URL in one line (exit 2): a secret in argv', async () => {
    const run = await runCli(['migrate', '--source', 'imaps://u@127.0.0.1:1', '--target', 'imaps://v@127.0.0.1:2', '--state', 'postgres://fleet:s3cret-Pw@127.0.0.1:1/test'], {
      env: { MAILROOM_HOME: mkdtempSync(join(tmpdir(), 'mailroom-pgcli-')), MAILROOM_SOURCE_PASSWORD: 'a', MAILROOM_TARGET_PASSWORD: 'b' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error \[input\.invalid\]: --state must not carry a password: give it in PGPASSWORD or ~\/\.pgpass\./)]);
    expect(run.stderr + run.stdout).not.toContain('s3cret-Pw');
  });
});
