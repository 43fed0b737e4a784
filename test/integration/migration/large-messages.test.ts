import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import { runMigration, type MigrateOptions, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { startHoldProxy } from '../../fakes/hold-proxy.ts';
import { compareMailboxes } from './compare.ts';
import { largeAttachmentMailbox, seedMaildir } from './large-seed.ts';
import { endpointFor, freshUsers, servers } from './support.ts';

const MiB = 1024 * 1024;
// The run-wide budget of bodies in flight (folder-copier.ts) is 32 MB: the first message alone is over it.
const MAILBOX = largeAttachmentMailbox(50, [40 * MiB, 3 * MiB, 3 * MiB]);
// Far into the first message's literal (≈ 54 MiB once base64-encoded), whichever way it travels.
const HOLD_AFTER = 8 * MiB;

type Account = ReturnType<typeof freshUsers>[number];

/** A source seeded with the large-attachment mailbox (straight into its Maildir) and an empty target. */
function seeded(prefix: string): { src: Account; dst: Account } {
  const [src, dst] = freshUsers([`${prefix}src`, `${prefix}dst`]);
  seedMaildir(src!.user, MAILBOX);
  return { src: src!, dst: dst! };
}

const newStore = (): StateStore => new StateStore(openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-large-')), 'state.db')), 'job');

/** Runs a migration that must end by `ms`; a run still going then is aborted and reported as hung. */
async function migrateWithin(ms: number, options: Omit<MigrateOptions, 'signal'>): Promise<MigrationSummary> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), ms)));
  const outcome = await Promise.race([runMigration({ ...options, signal: controller.signal }), hung]);
  clearTimeout(timer);
  if (outcome === 'hung') {
    controller.abort();
    throw new Error(`the migration was still running after ${ms / 1000} s`);
  }
  return outcome;
}

/** Every source message once on the target, byte for byte, with its date and flags (read back independently). */
async function expectExactCopy(src: Account, dst: Account): Promise<void> {
  const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
  expect([cmp.missing, cmp.extra, cmp.sourceMessages, cmp.targetMessages]).toEqual([[], [], MAILBOX.length, MAILBOX.length]);
}

/** Resolves once the proxy holds a connection; fails at once if the run ended first. */
async function heldDuring(proxy: { held(n?: number): Promise<void> }, run: Promise<MigrationSummary>): Promise<void> {
  await Promise.race([proxy.held(), run.then((s) => Promise.reject(new Error(`the run ended before the proxy held it: ${JSON.stringify(s.error)}`)))]);
}

describe('migration of large attachments against Dovecot', () => {
  it('copies 50 messages, the first with a 40 MiB attachment, byte for byte and without hanging', async () => {
    expect(MAILBOX[0]!.content.length).toBeGreaterThan(32 * 1024 * 1024);
    const { src, dst } = seeded('l');
    const summary = await migrateWithin(60_000, { source: endpointFor(src), target: endpointFor(dst), store: newStore(), verify: true });
    expect(summary.error).toBeNull();
    expect([summary.copied, summary.failed, summary.pending, summary.complete]).toEqual([50, 0, 0, true]);
    await expectExactCopy(src, dst);
  }, 120_000);

  it('stops within seconds when cancelled in the middle of the 40 MiB upload; the next run copies everything exactly once', async () => {
    const { src, dst } = seeded('c');
    const proxy = await startHoldProxy(servers().imap.host, servers().imap.imapsPort, { direction: 'toServer', afterBytes: HOLD_AFTER });
    const store = newStore();
    const controller = new AbortController();
    try {
      const run = runMigration({ source: endpointFor(src), target: endpointFor(dst, proxy.port), store, verify: true, signal: controller.signal });
      await heldDuring(proxy, run);
      const t0 = performance.now();
      controller.abort();
      const stopped = await run;
      const ms = performance.now() - t0;
      process.stderr.write(`cancel mid-literal: the run returned ${Math.round(ms)} ms after abort()\n`);
      expect(stopped.error?.code).toBe('cancelled');
      expect(stopped.complete).toBe(false);
      expect(ms).toBeLessThan(6_000);
    } finally {
      await proxy.close();
    }
    const resumed = await migrateWithin(60_000, { source: endpointFor(src), target: endpointFor(dst), store, verify: true });
    expect(resumed.error).toBeNull();
    expect(resumed.complete).toBe(true);
    await expectExactCopy(src, dst);
  }, 120_000);

  it('reports a source that stalls mid-literal as a stall naming the FETCH it waited for, within a bounded time', async () => {
    const { src, dst } = seeded('s');
    const proxy = await startHoldProxy(servers().imap.host, servers().imap.imapsPort, { direction: 'toClient', afterBytes: HOLD_AFTER });
    try {
      const t0 = performance.now();
      const summary = await migrateWithin(40_000, { source: { ...endpointFor(src, proxy.port), stallMs: 2_000 }, target: endpointFor(dst), store: newStore(), verify: true });
      process.stderr.write(`source stall: reported after ${Math.round(performance.now() - t0)} ms: ${summary.error?.message}\n`);
      expect(summary.error?.code).toBe('imap.timeout');
      expect(summary.error?.message).toMatch(/^INBOX: the source stalled: .*2 s.*UID FETCH .*BODY\.PEEK\[\].*in a literal/);
      expect(summary.complete).toBe(false);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('reports a target that stalls mid-literal as a stall naming the upload it waited for; a re-run completes exactly', async () => {
    const { src, dst } = seeded('t');
    const proxy = await startHoldProxy(servers().imap.host, servers().imap.imapsPort, { direction: 'toServer', afterBytes: HOLD_AFTER });
    const store = newStore();
    try {
      const t0 = performance.now();
      const summary = await migrateWithin(40_000, { source: endpointFor(src), target: { ...endpointFor(dst, proxy.port), stallMs: 2_000 }, store, verify: true });
      process.stderr.write(`target stall: reported after ${Math.round(performance.now() - t0)} ms: ${summary.error?.message}\n`);
      expect(summary.error?.code).toBe('imap.timeout');
      expect(summary.error?.message).toMatch(/^INBOX: The target stalled during APPEND: nothing moved for 2 s while waiting for the server to take the \d+-byte literal of M\d+/);
      expect(summary.complete).toBe(false);
    } finally {
      await proxy.close();
    }
    const again = await migrateWithin(60_000, { source: endpointFor(src), target: endpointFor(dst), store, verify: true });
    expect(again.error).toBeNull();
    expect(again.complete).toBe(true);
    await expectExactCopy(src, dst);
  }, 120_000);
});
