import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus, messagesPerFolder, seedMailbox } from '../../support/migration-corpus.ts';
import { freshPgSchema, type PgSchema } from '../../support/pg-schema.ts';
import { compareMailboxes } from '../migration/compare.ts';
import { endpointFor, finalLine, freshUser, reportLine, runMigrateCli, urlFor } from '../migration/support.ts';

const corpus = loadCorpus(900);

let schema: PgSchema | null = null;
afterEach(async () => {
  await schema?.drop();
  schema = null;
});

// Rows of the job by state, as PostgreSQL holds them (what another process would resume from).
async function sharedStates(s: PgSchema): Promise<Record<string, number>> {
  const rows = await s.query<{ state: string; n: string }>('SELECT state, COUNT(*) AS n FROM migration_messages GROUP BY state');
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

describe('mailroom migrate with its state shared in PostgreSQL (real Dovecot and PostgreSQL)', () => {
  it('survives two SIGKILLs mid-copy: a third process resumes from PostgreSQL and every message lands exactly once', async () => {
    schema = await freshPgSchema('killstate');
    const src = freshUser('pgksrc');
    const dst = freshUser('pgkdst');
    await seedMailbox(endpointFor(src), corpus);
    const pw = { source: src.password, target: dst.password };
    const args = ['--source', urlFor(src), '--target', urlFor(dst), '--state', schema.url, '--concurrency', '2'];
    // Each run is killed at its first progress line with a copy (printed as soon as one batch is
    // answered, while others are in flight); later lines come every 500 ms, too late on loopback.
    for (let kill = 1; kill <= 2; kill++) {
      let copiedAtKill = -1;
      const run = await runMigrateCli(args, pw, (line, stop) => {
        if (copiedAtKill < 0 && line['event'] === 'progress' && Number(line['copied']) > 0) {
          copiedAtKill = Number(line['copied']);
          stop();
        }
      });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(copiedAtKill).toBeGreaterThan(0);
      const states = await sharedStates(schema);
      const landed = Object.values(await messagesPerFolder(endpointFor(dst))).reduce((a, b) => a + b, 0);
      // The write-ahead rule, seen from PostgreSQL: every message on the target is 'done' or
      // 'appending' there (a kill loses at most settlements, never an intent), and work remains.
      expect(landed, JSON.stringify(states)).toBeLessThanOrEqual((states['done'] ?? 0) + (states['appending'] ?? 0));
      expect(states['done'] ?? 0, JSON.stringify(states)).toBeLessThan(900);
    }

    const resumed = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst), '--state', schema.url], pw);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(reportLine(resumed).folders.every((f) => f.missing === 0 && f.extra === 0)).toBe(true);
    // Read back from Dovecot by an independent reader: every source message once, by bytes, date and flags.
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect(cmp.missing).toEqual([]);
    expect(cmp.extra).toEqual([]);
    expect(cmp.targetMessages).toBe(900);
    expect(await sharedStates(schema)).toEqual({ done: 900 });
    expect(await schema.query('SELECT status, last_error, done FROM migration_job_counters')).toEqual([{ status: 'done', last_error: null, done: '900' }]);
  });

  it('keeps no password in any row of the shared state, a failed login included', async () => {
    schema = await freshPgSchema('secretscan');
    const src = freshUser('pgssrc');
    const dst = freshUser('pgsdst');
    await seedMailbox(endpointFor(src), corpus.slice(0, 60));
    const args = ['--source', urlFor(src), '--target', urlFor(dst), '--state', schema.url];
    const wrong = `wrong-${dst.password}`;
    const refused = await runMigrateCli(args, { source: src.password, target: wrong });
    expect(reportLine(refused).error?.code).toBe('imap.auth');
    const run = await runMigrateCli(args, { source: src.password, target: dst.password });
    expect(run.code, run.stderr).toBe(0);
    expect(finalLine(run)).toMatchObject({ copied: 60, failed: 0 });
    const tables = await schema.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`, [schema.name]);
    expect(tables.map((t) => t.table_name).sort()).toEqual(['migration_folder_modseq', 'migration_folders', 'migration_gmail_copies', 'migration_jobs', 'migration_messages']);
    let scanned = 0;
    for (const { table_name: table } of tables) {
      for (const { text } of await schema.query<{ text: string }>(`SELECT t::text AS text FROM ${schema.name}.${table} t`)) {
        scanned++;
        for (const secret of [src.password, dst.password, wrong]) expect(text, `${table} holds a password`).not.toContain(secret);
      }
    }
    // The job row (with its recorded error), folder rows and one row per message were all read.
    expect(scanned).toBeGreaterThan(60);
  });
});
