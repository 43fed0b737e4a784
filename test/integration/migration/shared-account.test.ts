import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { MigrationBatch, MigrationPlan } from '../../../shared/domain/migration.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { compareMailboxes } from './compare.ts';
import { startStockDovecot, type StockAccount, type StockDovecot } from './stock-dovecot.ts';
import { fixturesDir } from './support.ts';

// The whole corpus (23 folders: each pair alone opens most of the 10 source connections a stock
// Dovecot allows), less the one message Dovecot stores differently on the target (not this test's).
const corpus = loadCorpus().filter((m) => !m.content.includes('\r\r'));

let dovecot: StockDovecot;
let services: Services;

beforeAll(async () => {
  dovecot = await startStockDovecot();
  const dataDir = mkdtempSync(join(fixturesDir(), 'shared-account-'));
  services = composeServices({ dataDir, vault: new MemoryVault(), logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
});

afterAll(async () => {
  await services?.migration.shutdown();
  services?.close();
  await dovecot?.stop();
});

async function call<T>(channel: string, ...args: unknown[]): Promise<T> {
  const r = (await services.router.dispatch(channel, args)) as Result<T>;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

// The certificate the private Dovecot presents, pinned by the saved connections.
function fingerprint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: dovecot.port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

async function until(id: string, ms: number): Promise<MigrationBatch> {
  const end = Date.now() + ms;
  for (;;) {
    const b = await call<MigrationBatch>('migration.getBatch', id);
    if (['done', 'failed', 'paused', 'cancelled'].includes(b.status)) return b;
    if (Date.now() > end) throw new Error(`batch ${id} still ${b.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a batch whose parallel pairs share an account, against a Dovecot at the stock connection limit (10)', () => {
  it('keeps the account within 10 connections across both pairs: no login refused, every message copied once to each target', async () => {
    const src = dovecot.account('sharedsrc');
    const targets: StockAccount[] = [dovecot.account('shareddsta'), dovecot.account('shareddstb')];
    await seedMailbox(dovecot.endpoint(src), corpus);
    const fp = await fingerprint();
    const saved = async (name: string, a: StockAccount): Promise<string> =>
      (await call<{ id: string }>('connections.addImap', { name, host: '127.0.0.1', port: dovecot.port, tls: 'implicit', user: a.user, password: a.password, pinnedFingerprint: fp })).id;
    const sourceConnectionId = await saved('shared-src', src);
    const targetConnectionId = await saved('shared-dst', targets[0]!);
    // One source mailbox copied to two targets at once (a split, or an archive copy beside the new mailbox).
    const csv = ['source,target,source_password,target_password', ...targets.map((t) => `${src.user},${t.user},${src.password},${t.password}`)].join('\n');
    const plan = await call<MigrationPlan>('migration.createPlanFromCsv', { csv, sourceConnectionId, targetConnectionId, preset: 'dovecot', parallel: 2 });
    const from = dovecot.logLines();
    const started = await call<MigrationBatch>('migration.startBatch', plan.id, {});
    const batch = await until(started.id, 150_000);
    // The imap processes log their logout as they see the close, a moment after the client's.
    await new Promise((r) => setTimeout(r, 300));
    expect(batch.pairs.map((p) => [p.status, p.error])).toEqual([
      ['done', null],
      ['done', null],
    ]);
    expect(batch.status).toBe('done');
    // The server's own judgement: both pairs together held at most 10 of the source's connections, and it refused none.
    const count = dovecot.count(src.user, from);
    expect(count.refused).toBe(0);
    expect(count.peak).toBeLessThanOrEqual(10);
    // Read back: each target holds every source message once.
    for (const t of targets) {
      const cmp = await compareMailboxes(dovecot.endpoint(src), dovecot.endpoint(t));
      expect([cmp.missing, cmp.extra]).toEqual([[], []]);
      expect([cmp.sourceMessages, cmp.targetMessages]).toEqual([corpus.length, corpus.length]);
    }
  }, 200_000);
});
