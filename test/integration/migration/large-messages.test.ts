import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import { runMigration, type MigrateOptions, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { compareMailboxes } from './compare.ts';
import { largeAttachmentMailbox, seedMaildir } from './large-seed.ts';
import { endpointFor, freshUser } from './support.ts';

const MiB = 1024 * 1024;
// The run-wide budget of bodies in flight (folder-copier.ts) is 32 MB: the first message alone is over it.
const SIZES = [40 * MiB, 3 * MiB, 3 * MiB];

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

const newStore = (): StateStore => new StateStore(openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-large-')), 'state.db')), 'job');

describe('migration of large attachments against Dovecot', () => {
  it('copies 50 messages, the first with a 40 MiB attachment, byte for byte and without hanging', async () => {
    const src = freshUser('lsrc');
    const dst = freshUser('ldst');
    const messages = largeAttachmentMailbox(50, SIZES);
    expect(messages[0]!.content.length).toBeGreaterThan(32 * 1024 * 1024);
    seedMaildir(src.user, messages);

    const summary = await migrateWithin(60_000, { source: endpointFor(src), target: endpointFor(dst), store: newStore(), verify: true });
    expect(summary.error).toBeNull();
    expect([summary.copied, summary.failed, summary.pending, summary.complete]).toEqual([50, 0, 0, true]);

    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra, cmp.sourceMessages, cmp.targetMessages]).toEqual([[], [], 50, 50]);
  }, 120_000);
});
