import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import { runMigration } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { startRewriteProxy } from '../../fakes/imap-rewrite-proxy.ts';
import { seedMaildir, type SeededMessage } from './large-seed.ts';
import { endpointFor, freshUser, servers } from './support.ts';
import { watchReads } from './watch-reads.ts';

// Nothing of a folder is held whole, whatever its size: the copy, the content check and the deep
// check each read a UID window at a time. A folder many windows long (MAILROOM_UID_WINDOW, here
// 100) is copied and verified while two things are watched: every row set read from the state db
// at once (better-sqlite3 `.all()`), and every `UID SEARCH` answer from the target. Either holding
// the folder's rows or asking for all its UIDs (what a 1,000,000-message folder's peak RSS of
// 442 MB came from) shows up as a read of the whole folder, at any size.

const WINDOW = 100;
const MESSAGES = 1200;
const ALREADY_THERE = 10;

function mailbox(): SeededMessage[] {
  const start = Date.UTC(2024, 0, 1);
  return Array.from({ length: MESSAGES }, (_, i) => ({
    content: Buffer.from(`Message-ID: <bounded.${i}@seed.example>\r\nSubject: bounded ${i}\r\n\r\nbody ${i}\r\n`),
    internalDate: new Date(start + i * 60_000),
    seen: i % 2 === 0,
  }));
}

describe('a folder many UID windows long', () => {
  beforeEach(() => {
    process.env['MAILROOM_UID_WINDOW'] = String(WINDOW);
  });
  afterEach(() => {
    delete process.env['MAILROOM_UID_WINDOW'];
  });

  it('is copied and verified by content and by UID with no read of more than one window', async () => {
    const src = freshUser('bsrc');
    const dst = freshUser('bdst');
    seedMaildir(src.user, mailbox());
    // The target already holds the first few: copies the content check does not compare, so the deep
    // check looks the folder up by UID (a folder whose every copy the check found is not looked up again).
    seedMaildir(dst.user, mailbox().slice(0, ALREADY_THERE));
    let searched = 0;
    // The target through a plain proxy that counts the UIDs of every SEARCH answer.
    const proxy = await startRewriteProxy(servers().imap.host, servers().imap.port, (line) => {
      if (/^\* SEARCH\b/i.test(line)) searched = Math.max(searched, line.trim().split(' ').length - 2);
      return line;
    });
    try {
      const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-bounded-')), 'state.db'));
      const reads = watchReads(db);
      const summary = await runMigration({ source: endpointFor(src), target: { ...endpointFor(dst), port: proxy.port, tls: 'none' }, store: new StateStore(db, 'job'), verify: true, concurrency: 2 });
      expect([summary.error, summary.copied, summary.skipped, summary.failed, summary.complete]).toEqual([null, MESSAGES - ALREADY_THERE, ALREADY_THERE, 0, true]);
      expect(summary.content).toMatchObject({ checked: MESSAGES - ALREADY_THERE, differed: 0, unchecked: 0 });
      expect(summary.verification.find((v) => v.sourcePath === 'INBOX')).toMatchObject({ deep: true, sourceCount: MESSAGES, targetCount: MESSAGES, missing: 0, extra: 0 });
      // The deep check did ask the target (a page of UIDs at a time), and no read took more than a window.
      expect(searched).toBeGreaterThan(0);
      expect(searched).toBeLessThanOrEqual(WINDOW);
      expect(reads.largest().rows, reads.largest().sql).toBeLessThanOrEqual(WINDOW);
    } finally {
      await proxy.close();
    }
  });
});
