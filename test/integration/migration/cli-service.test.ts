import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeServices } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { AuditPage } from '../../../shared/domain/audit.ts';
import type { MigrationBatch, MigrationPlan } from '../../../shared/domain/migration.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { lastJson, runCli } from '../../support/run-cli.ts';
import { compareMailboxes } from './compare.ts';
import { endpointFor, freshUser, reportLine, servers, urlFor, withLines } from './support.ts';

describe('mailroom migrate and plan through the migration service', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-cli-service-'));
  const env = { MAILROOM_KEYCHAIN_SERVICE: `Mailroom-cli-service-${randomUUID()}` };
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli(['--data-dir', dataDir, ...args], { env: { ...env, ...extra } });
  const journal = async (action: string) => {
    const run = await cli(['audit', 'list', '--action', action, '--json']);
    expect(run.code, run.stderr).toBe(0);
    return lastJson<AuditPage>(run).entries;
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('journals a copy made without --state, under the job id a console batch of the same pair uses', async () => {
    const src = freshUser('svcsrc');
    const dst = freshUser('svcdst');
    await seedMailbox(endpointFor(src), loadCorpus(15));
    const run = withLines(await cli(['migrate', '--source', urlFor(src), '--target', urlFor(dst), '--ca', servers().ca, '--json'], { MAILROOM_SOURCE_PASSWORD: src.password, MAILROOM_TARGET_PASSWORD: dst.password }));
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines.at(-1)).toMatchObject({ copied: 15, skipped: 0, failed: 0 });
    const report = reportLine(run) as ReturnType<typeof reportLine> & { job: string; complete: boolean };
    expect(report.complete).toBe(true);
    expect(run.lines.some((l) => (l as { event?: string; job?: string }).event === 'progress' && (l as { job: string }).job === report.job)).toBe(true);
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra]).toEqual([[], []]);

    const entries = await journal('migration.copyMailbox');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ result: 'ok', object: `migration.job:${report.job}`, after: { copied: 15, failed: 0, complete: true } });
    // The passwords went to the servers only: not into the journal, the database or the logs.
    const written = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => readFileSync(join(d.parentPath, d.name)).toString('latin1'));
    for (const secret of [src.password, dst.password]) expect(written.join('\n')).not.toContain(secret);

    // The console plans the same pair and runs it: same job, so it finds everything already copied.
    const s = composeServices({ dataDir, vault: new MemoryVault(), logger: createFileLogger(join(dataDir, 'test.log')), transport: 'loopback', operator: 'tester' });
    try {
      const value = <T>(r: Result<unknown>): T => {
        if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
        return r.value as T;
      };
      const csv = `source,target,source_password,target_password\n${urlFor(src)},${urlFor(dst)},${src.password},${dst.password}\n`;
      const plan = value<MigrationPlan>(await s.router.dispatch('migration.createPlanFromCsv', [{ csv, preset: 'dovecot', inventory: false }]));
      const batch = value<MigrationBatch>(await s.router.dispatch('migration.startBatch', [plan.id, {}]));
      await s.migration.settled(batch.id);
      const done = value<MigrationBatch>(await s.router.dispatch('migration.getBatch', [batch.id]));
      expect(done.pairs[0]).toMatchObject({ status: 'done', copied: 0 });
      const jobId = s.db.prepare('SELECT job_id FROM migration_batch_pairs WHERE batch_id = ?').pluck().get(batch.id);
      expect(jobId).toBe(report.job);
    } finally {
      await s.migration.shutdown();
      s.close();
    }
  });

  it('journals a plan made without --state, and shows it again offline by name', async () => {
    const src = freshUser('svcplan');
    await seedMailbox(endpointFor(src), loadCorpus(5));
    const name = `cli-plan-${randomUUID().slice(0, 8)}`;
    const made = await cli(['plan', '--source', urlFor(src), '--target', 'imaps://someone%40example.test@127.0.0.1:1', '--target-preset', 'dovecot', '--name', name, '--ca', servers().ca, '--json'], { MAILROOM_SOURCE_PASSWORD: src.password });
    expect(made.code, made.stderr).toBe(0);
    const plan = lastJson<{ plan: { id: string; name: string; rows: { estimate: { messages: number }; folders: number }[] } }>(made).plan;
    expect(plan.name).toBe(name);
    expect(plan.rows[0]!.estimate.messages).toBe(5);
    const entries = await journal('migration.createPlanFromUrls');
    expect(entries.map((e) => e.object)).toContain(`migration.plan:${plan.id}`);

    const shown = await cli(['plan', '--show', name, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(lastJson<{ plan: unknown }>(shown).plan).toEqual(plan);
    // Reading a plan changes nothing, so it adds no entry.
    expect(await journal('migration.createPlanFromUrls')).toHaveLength(entries.length);
  });
});
