import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { runMigration, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { startRewriteProxy, type RewriteProxy } from '../../fakes/imap-rewrite-proxy.ts';
import { munge8bitHeaders } from '../../fakes/munge8bit.ts';
import { loadCorpus, readMailbox, seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { alterStoredMessage, endpointFor, freshUser, reportLine, runMigrateCli, servers, urlFor } from './support.ts';

const corpus = loadCorpus();
const headerOf = (m: Buffer): Buffer => m.subarray(0, Math.max(0, m.indexOf('\r\n\r\n')));
const eightBit = (m: CorpusMessage): boolean => headerOf(m.content).some((b) => b >= 0x80);
// All 47 corpus messages with 8-bit header bytes, among 250 without.
const ALTERED = corpus.filter(eightBit);
const MESSAGES = [...corpus.filter((m) => !eightBit(m)).slice(0, 250), ...ALTERED];

const newDb = (): Db => openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-content-')), 'state.db'));
const migrate = (source: ImapEndpoint, target: ImapEndpoint, db: Db, more: { verify?: boolean; verifyOnly?: boolean } = {}): Promise<MigrationSummary> =>
  runMigration({ source, target, store: new StateStore(db, 'job'), verify: more.verify ?? true, ...(more.verifyOnly ? { verifyOnly: true } : {}), concurrency: 2 });

// A target that stores what Cyrus with munge8bit stores: the proxy munges the APPENDed header bytes on their way to Dovecot.
async function mungingTarget(): Promise<{ proxy: RewriteProxy; endpoint: (a: ReturnType<typeof freshUser>) => ImapEndpoint }> {
  const proxy = await startRewriteProxy(servers().imap.host, servers().imap.port, (line) => line, munge8bitHeaders);
  return { proxy, endpoint: (a) => ({ ...endpointFor(a), port: proxy.port, tls: 'none' }) };
}

// Source UIDs of the altered messages, by folder, as an independent reader sees them.
async function alteredUids(source: ImapEndpoint): Promise<string[]> {
  const out: string[] = [];
  for (const [folder, list] of await readMailbox(source)) for (const m of list) if (headerOf(m.content).some((b) => b >= 0x80)) out.push(`${folder} ${m.uid}`);
  return out.sort();
}

describe('verification by content against Dovecot', () => {
  it('reports every message whose 8-bit header bytes the target altered, and never calls the job complete', async () => {
    const src = freshUser('cvsrc');
    const dst = freshUser('cvdst');
    await seedMailbox(endpointFor(src), MESSAGES);
    const { proxy, endpoint } = await mungingTarget();
    const phases: string[] = [];
    let summary: MigrationSummary;
    let again: MigrationSummary;
    const db = newDb();
    try {
      summary = await runMigration({ source: endpointFor(src), target: endpoint(dst), store: new StateStore(db, 'job'), verify: true, concurrency: 2, onProgress: (p) => phases.push(p.phase) });
      again = await runMigration({ source: endpointFor(src), target: endpoint(dst), store: new StateStore(db, 'job'), verify: true, concurrency: 2 });
    } finally {
      await proxy.close();
    }
    // Nothing left that another pass could do: the next run answers from the quiet check and reports the same failures.
    expect([again.quiet, again.complete, again.failed, again.copied, again.error]).toEqual([true, false, ALTERED.length, 0, null]);
    expect(again.failures.map((f) => `${f.sourcePath} ${f.uid}`).sort()).toEqual(await alteredUids(endpointFor(src)));
    expect(summary.error).toBeNull();
    expect(summary.complete).toBe(false);
    expect(summary.failed).toBe(ALTERED.length);
    expect(summary.content).toMatchObject({ checked: MESSAGES.length - ALTERED.length, differed: ALTERED.length, unchecked: 0, method: 'reread' });
    expect(summary.failures.map((f) => `${f.sourcePath} ${f.uid}`).sort()).toEqual(await alteredUids(endpointFor(src)));
    for (const f of summary.failures) {
      expect(f.errorCode).toBe('migration.contentDiffers');
      expect(f.errorMessage).toMatch(/^the target altered 8-bit header bytes \(\d+ bytes? in the header, same size\)/);
    }
    // Verification has its own progress, between the copy and the per-folder report.
    expect(phases).toContain('checking');
    expect(phases.indexOf('checking')).toBeLessThan(phases.lastIndexOf('verifying'));
    // What the target really holds: the altered copies are there, same size, other bytes.
    const held = [...(await readMailbox(endpointFor(dst))).values()].flat();
    const sizes = new Set(ALTERED.map((m) => m.content.length));
    const mungedCopies = held.filter((m) => sizes.has(m.content.length) && !ALTERED.some((a) => a.content.equals(m.content)) && headerOf(m.content).every((b) => b < 0x80));
    expect(mungedCopies.length).toBeGreaterThanOrEqual(ALTERED.length);
  });

  it('verifies an earlier job alone, reading the source again where no hash was kept', async () => {
    const src = freshUser('cosrc');
    const dst = freshUser('codst');
    await seedMailbox(endpointFor(src), MESSAGES);
    const db = newDb();
    const { proxy, endpoint } = await mungingTarget();
    try {
      // What earlier builds did: no content check, and "complete" over altered mail.
      const blind = await migrate(endpointFor(src), endpoint(dst), db, { verify: false });
      expect([blind.complete, blind.failed, blind.content]).toEqual([true, 0, null]);
      // A job from before hashes were kept.
      db.prepare('UPDATE migration_messages SET content_sha1 = NULL').run();
      const checked = await migrate(endpointFor(src), endpoint(dst), db, { verifyOnly: true });
      expect(checked.copied).toBe(0);
      expect(checked.complete).toBe(false);
      expect(checked.content).toMatchObject({ checked: MESSAGES.length - ALTERED.length, differed: ALTERED.length, unchecked: 0 });
      expect(checked.failures.map((f) => `${f.sourcePath} ${f.uid}`).sort()).toEqual(await alteredUids(endpointFor(src)));
      expect(checked.failures.every((f) => /^the target altered 8-bit header bytes/.test(f.errorMessage))).toBe(true);
      // The source was read again for the hashes, and they are kept for the next check.
      expect(db.prepare(`SELECT COUNT(*) FROM migration_messages WHERE content_sha1 IS NULL`).pluck().get()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('`mailroom migrate verify` finds a copy changed on the target after the copy, with the reason in words', async () => {
    const src = freshUser('cisrc');
    const dst = freshUser('cidst');
    const plain = corpus.filter((m) => !eightBit(m) && m.folder === 'INBOX').slice(0, 20);
    await seedMailbox(endpointFor(src), plain);
    const state = join(mkdtempSync(join(tmpdir(), 'mailroom-content-')), 'state.db');
    const pw = { source: src.password, target: dst.password };
    const first = await runMigrateCli(['--source', urlFor(src), '--target', urlFor(dst), '--state', state], pw);
    expect(first.code, first.stderr).toBe(0);
    expect(reportLine(first)['content']).toMatchObject({ checked: 20, differed: 0 });

    // One body byte of one stored copy changes on the target's disk (same size).
    alterStoredMessage(dst.user);

    const verified = await runMigrateCli(['verify', '--source', urlFor(src), '--target', urlFor(dst), '--state', state], pw);
    expect(verified.code, verified.stderr).toBe(1);
    const report = reportLine(verified);
    expect(report['content']).toMatchObject({ checked: 19, differed: 1, unchecked: 0 });
    expect(report.failures).toEqual([expect.objectContaining({ sourcePath: 'INBOX', errorCode: 'migration.contentDiffers', errorMessage: expect.stringMatching(/^content differs: 1 of \d+ bytes changed at the same size/) as string })]);
  });
});
