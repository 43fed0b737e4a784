import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { MigrationBatch, MigrationPlan } from '../../../shared/domain/migration.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { compareMailboxes } from './compare.ts';
import { alterStoredMessage, endpointFor, freshUsers, servers } from './support.ts';

const corpus = loadCorpus(700);
const opened: Services[] = [];

afterEach(async () => {
  for (const s of opened.splice(0)) {
    await s.migration.shutdown();
    s.close();
  }
});

function open(dataDir: string, vault: MemoryVault): Services {
  const s = composeServices({ dataDir, vault, logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
  // As the app does at start-up: batches a dead process left running become resumable.
  s.migration.start();
  opened.push(s);
  return s;
}

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function call<T>(s: Services, channel: string, ...args: unknown[]): Promise<T> {
  return value((await s.router.dispatch(channel, args)) as Result<T>);
}

/** The SHA-256 fingerprint of the certificate the fixture Dovecot presents (pinned by the connections). */
function fingerprint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: servers().imap.host, port: servers().imap.imapsPort, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

type Account = { user: string; password: string };

/** Two IMAP connections (source and target "admin" accounts) with the fixture certificate pinned. */
async function connections(s: Services, admins: readonly [Account, Account]): Promise<{ sourceId: string; targetId: string }> {
  const fp = await fingerprint();
  const add = async (name: string, account: Account): Promise<string> =>
    (await call<{ id: string }>(s, 'connections.addImap', { name, host: servers().imap.host, port: servers().imap.imapsPort, tls: 'implicit', user: account.user, password: account.password, pinnedFingerprint: fp })).id;
  return { sourceId: await add(`src-${Date.now()}`, admins[0]), targetId: await add(`dst-${Date.now()}`, admins[1]) };
}

async function until(s: Services, id: string, done: (b: MigrationBatch) => boolean, ms = 60_000): Promise<MigrationBatch> {
  const end = Date.now() + ms;
  for (;;) {
    const b = await call<MigrationBatch>(s, 'migration.getBatch', id);
    if (done(b)) return b;
    if (Date.now() > end) throw new Error(`batch ${id} still ${b.status}: ${JSON.stringify(b.pairs.map((p) => [p.status, p.error]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const finished = (b: MigrationBatch): boolean => ['done', 'failed', 'paused', 'cancelled'].includes(b.status);

/** Seeds `sizes.length` source users and makes a plan (CSV with passwords) of them against fresh target users. */
async function plan(s: Services, sizes: readonly number[]): Promise<{ plan: MigrationPlan; pairs: { src: Account; dst: Account }[] }> {
  // Every account of the plan in one passwd-file append (one wait for Dovecot instead of one per account).
  const [sourceAdmin, targetAdmin, ...users] = freshUsers(['bsrcadm', 'bdstadm', ...sizes.flatMap(() => ['bsrc', 'bdst'])]);
  const { sourceId, targetId } = await connections(s, [sourceAdmin!, targetAdmin!]);
  const pairs = sizes.map((_, i) => ({ src: users[2 * i]!, dst: users[2 * i + 1]! }));
  let at = 0;
  for (const [i, p] of pairs.entries()) {
    await seedMailbox(endpointFor(p.src), corpus.slice(at, at + sizes[i]!));
    at += sizes[i]!;
  }
  const csv = ['source,target,source_password,target_password', ...pairs.map((p) => `${p.src.user},${p.dst.user},${p.src.password},${p.dst.password}`)].join('\n');
  const created = await call<MigrationPlan>(s, 'migration.createPlanFromCsv', { csv, sourceConnectionId: sourceId, targetConnectionId: targetId, preset: 'dovecot', parallel: 3 });
  return { plan: created, pairs };
}

async function expectExact(pairs: { src: Account; dst: Account }[]): Promise<void> {
  for (const p of pairs) {
    const cmp = await compareMailboxes(endpointFor(p.src), endpointFor(p.dst));
    expect([cmp.missing, cmp.extra]).toEqual([[], []]);
    expect(cmp.targetMessages).toBe(cmp.sourceMessages);
  }
}

describe('migration batches (IPC) against Dovecot', () => {
  it('plans 3 mailbox pairs from CSV and migrates them in one click with a clean verification report; a delta pass copies only what is new', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-batch-'));
    const s = open(dataDir, new MemoryVault());
    const progress: unknown[] = [];
    s.events.on('migration.progress', (p) => progress.push(p));
    const { plan: p, pairs } = await plan(s, [120, 90, 60]);
    expect(p.rows).toHaveLength(3);
    expect(p.rows.map((r) => r.estimate?.messages)).toEqual([120, 90, 60]);
    expect(p.rows.every((r) => r.hasSourceSecret && r.hasTargetSecret)).toBe(true);
    expect(await call<string>(s, 'migration.exportPlanCsv', p.id)).toContain(pairs[0]!.src.user);

    const started = await call<MigrationBatch>(s, 'migration.startBatch', p.id, {});
    const b = await until(s, started.id, finished);
    expect(b.status, JSON.stringify(b.pairs.map((x) => x.error))).toBe('done');
    expect(b.pairs.map((x) => [x.status, x.copied, x.verified?.clean])).toEqual([['done', 120, true], ['done', 90, true], ['done', 60, true]]);
    expect(b.copied).toBe(270);
    await expectExact(pairs);
    const report = await call<{ clean: boolean; folders: { missing: number; extra: number }[] }>(s, 'migration.report', b.id, 0);
    expect(report.clean).toBe(true);
    expect(report.folders.length).toBeGreaterThan(5);
    const csv = await call<string>(s, 'migration.exportReportCsv', b.id);
    expect(csv.split('\n')[0]).toContain('missing');
    expect(csv).toContain('INBOX');
    expect(progress.length).toBeGreaterThan(0);

    await seedMailbox(endpointFor(pairs[1]!.src), corpus.slice(600, 605));
    await call(s, 'migration.deltaPass', b.id);
    const delta = await until(s, b.id, (x) => x.status !== 'running' && x.pairs.every((y) => y.passes === 2));
    expect(delta.status).toBe('done');
    expect(delta.pairs.map((x) => x.copied)).toEqual([0, 5, 0]);
    await expectExact(pairs);
  });

  it('verifies a finished batch alone from the console action: a copy changed on the target afterwards is a failed message with the reason', async () => {
    const s = open(mkdtempSync(join(tmpdir(), 'mailroom-batch-')), new MemoryVault());
    const { plan: p, pairs } = await plan(s, [40]);
    const started = await call<MigrationBatch>(s, 'migration.startBatch', p.id, {});
    expect((await until(s, started.id, finished)).status).toBe('done');
    alterStoredMessage(pairs[0]!.dst.user);

    await call(s, 'migration.verifyBatch', started.id);
    const verified = await until(s, started.id, (x) => x.status !== 'running' && x.pairs.every((y) => y.passes === 2));
    expect(verified.status).toBe('failed');
    expect(verified.pairs.map((x) => [x.copied, x.failed])).toEqual([[0, 1]]);
    const report = await call<{ clean: boolean; failures: { errorCode: string; errorMessage: string }[] }>(s, 'migration.report', started.id, 0);
    expect(report.clean).toBe(false);
    expect(report.failures).toEqual([expect.objectContaining({ errorCode: 'migration.contentDiffers', errorMessage: expect.stringMatching(/^content differs: 1 of \d+ bytes changed at the same size/) as string })]);
  });

  it('pauses and resumes, cancels, and resumes an interrupted batch after a restart without duplicates', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-batch-'));
    const vault = new MemoryVault();
    let s = open(dataDir, vault);
    const { plan: p, pairs } = await plan(s, [300, 250]);

    // Pause at the first progress with copies, then resume.
    const onFirstCopy = (svc: Services, act: (id: string) => Promise<void>): void => {
      let fired = false;
      const off = svc.events.on('migration.progress', (e) => {
        if (fired || e.batch.copied === 0) return;
        fired = true;
        off();
        void act(e.batch.id);
      });
    };
    onFirstCopy(s, async (id) => void (await call(s, 'migration.pauseBatch', id)));
    const b = await call<MigrationBatch>(s, 'migration.startBatch', p.id, { concurrency: 2, connectionsPerMailbox: 1 });
    const paused = await until(s, b.id, finished);
    expect(paused.status).toBe('paused');
    expect(paused.copied).toBeLessThan(550);
    await call(s, 'migration.resumeBatch', b.id);
    const resumed = await until(s, b.id, finished);
    expect(resumed.status).toBe('done');
    expect(resumed.pairs.every((x) => x.verified?.clean)).toBe(true);
    await expectExact(pairs);

    // Cancel a second batch of new pairs; a new batch of the same plan then finishes the work.
    const second = await plan(s, [300]);
    onFirstCopy(s, async (id) => void (await call(s, 'migration.cancelBatch', id)));
    const c = await call<MigrationBatch>(s, 'migration.startBatch', second.plan.id, { connectionsPerMailbox: 1 });
    const cancelled = await until(s, c.id, finished);
    expect(cancelled.status).toBe('cancelled');
    const again = await call<MigrationBatch>(s, 'migration.startBatch', second.plan.id, {});
    expect((await until(s, again.id, finished)).status).toBe('done');
    await expectExact(second.pairs);

    // "Crash" mid-run: stop the services as the app does on exit, open new ones on the same data dir.
    const third = await plan(s, [350]);
    let crashed: Promise<void> | null = null;
    onFirstCopy(s, async () => {
      crashed = s.migration.shutdown();
      await crashed;
    });
    const r = await call<MigrationBatch>(s, 'migration.startBatch', third.plan.id, { connectionsPerMailbox: 1 });
    while (crashed === null) await new Promise((res) => setTimeout(res, 20));
    await crashed;
    opened.splice(opened.indexOf(s), 1);
    s.close();
    s = open(dataDir, vault);
    const interrupted = await call<MigrationBatch>(s, 'migration.getBatch', r.id);
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.pairs[0]!.status).toBe('queued');
    await call(s, 'migration.resumeBatch', r.id);
    const end = await until(s, r.id, finished);
    expect(end.status).toBe('done');
    expect(end.pairs[0]!.verified?.clean).toBe(true);
    await expectExact(third.pairs);
  });
});
