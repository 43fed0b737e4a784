import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { MigrationBatch, MigrationPlan } from '../../../shared/domain/migration.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { startHoldProxy } from '../../fakes/hold-proxy.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { compareMailboxes } from './compare.ts';
import { largeAttachmentMailbox, seedMaildir } from './large-seed.ts';
import { endpointFor, freshUser, servers } from './support.ts';

const MiB = 1024 * 1024;
const MAILBOX = largeAttachmentMailbox(50, [40 * MiB, 3 * MiB, 3 * MiB]);
const opened: Services[] = [];

afterEach(async () => {
  for (const s of opened.splice(0)) {
    await s.migration.shutdown();
    s.close();
  }
});

async function call<T>(s: Services, channel: string, ...args: unknown[]): Promise<T> {
  const r = (await s.router.dispatch(channel, args)) as Result<T>;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
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

/** Polls the batch until `done` holds; returns it and how long that took. */
async function until(s: Services, id: string, done: (b: MigrationBatch) => boolean, ms: number): Promise<{ batch: MigrationBatch; ms: number }> {
  const start = performance.now();
  for (;;) {
    const batch = await call<MigrationBatch>(s, 'migration.getBatch', id);
    if (done(batch)) return { batch, ms: performance.now() - start };
    if (performance.now() - start > ms) throw new Error(`batch ${id} still ${batch.status} after ${ms / 1000} s: ${JSON.stringify(batch.pairs.map((p) => [p.status, p.error]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const settled = (b: MigrationBatch): boolean => ['done', 'failed', 'paused', 'cancelled'].includes(b.status);

describe('migration batches with a 40 MiB message against Dovecot', () => {
  it('pauses and cancels within seconds in the middle of the 40 MiB upload; resume and a new batch end with every message exactly once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-large-batch-'));
    const s = composeServices({ dataDir, vault: new MemoryVault(), logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
    s.migration.start();
    opened.push(s);
    // The target is reached through a proxy that stops reading uploads 8 MiB into a connection: far into the first message.
    const src = freshUser('lbsrc');
    const dst = freshUser('lbdst');
    seedMaildir(src.user, MAILBOX);
    const proxy = await startHoldProxy(servers().imap.host, servers().imap.imapsPort, { direction: 'toServer', afterBytes: 8 * MiB });
    try {
      const fp = await fingerprint();
      const add = async (name: string, port: number): Promise<string> =>
        (await call<{ id: string }>(s, 'connections.addImap', { name, host: servers().imap.host, port, tls: 'implicit', user: freshUser(`${name}adm`).user, password: 'unused', pinnedFingerprint: fp })).id;
      const csv = `source,target,source_password,target_password\n${src.user},${dst.user},${src.password},${dst.password}`;
      const plan = await call<MigrationPlan>(s, 'migration.createPlanFromCsv', { csv, sourceConnectionId: await add('lbs', servers().imap.imapsPort), targetConnectionId: await add('lbt', proxy.port), preset: 'dovecot', parallel: 1 });

      const first = await call<MigrationBatch>(s, 'migration.startBatch', plan.id, {});
      await proxy.held(1);
      await call(s, 'migration.pauseBatch', first.id);
      const paused = await until(s, first.id, settled, 15_000);
      process.stderr.write(`pause mid-literal: paused after ${Math.round(paused.ms)} ms\n`);
      expect(paused.batch.status).toBe('paused');
      expect(paused.ms).toBeLessThan(6_000);

      await call(s, 'migration.resumeBatch', first.id);
      await proxy.held(2);
      await call(s, 'migration.cancelBatch', first.id);
      const cancelled = await until(s, first.id, settled, 15_000);
      process.stderr.write(`cancel mid-literal: cancelled after ${Math.round(cancelled.ms)} ms\n`);
      expect(cancelled.batch.status).toBe('cancelled');
      expect(cancelled.ms).toBeLessThan(6_000);

      proxy.release();
      const again = await call<MigrationBatch>(s, 'migration.startBatch', plan.id, {});
      const done = await until(s, again.id, settled, 90_000);
      expect(done.batch.status, JSON.stringify(done.batch.pairs.map((p) => p.error))).toBe('done');
      expect(done.batch.pairs[0]!.verified?.clean).toBe(true);
    } finally {
      await proxy.close();
    }
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra, cmp.sourceMessages, cmp.targetMessages]).toEqual([[], [], MAILBOX.length, MAILBOX.length]);
  }, 180_000);
});
