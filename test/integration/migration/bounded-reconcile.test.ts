import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import { runMigration } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { startRewriteProxy } from '../../fakes/imap-rewrite-proxy.ts';
import { compareMailboxes } from './compare.ts';
import { seedMaildir, type SeededMessage } from './large-seed.ts';
import { endpointFor, freshUser, servers } from './support.ts';
import { watchReads } from './watch-reads.ts';

// Reconciliation holds no folder whole either: a target that already holds half the folder (some
// copies with another internal date, matched tolerantly), and a resume whose last batches are
// uncertain ('appending', as a kill -9 leaves them), are matched a UID window at a time. Watched:
// every row set read from the state db at once, the FETCH answers of one target command and the
// UIDs of one SEARCH answer. A whole-folder read of the rows (store.rows), of the target's keys
// (FETCH 1:*) or of its UIDs (SEARCH ALL, the check's match by key) shows up at any folder size.

const WINDOW = 100;
const MESSAGES = 1200;
const start = Date.UTC(2024, 0, 1);

function message(i: number, shiftMs = 0): SeededMessage {
  return { content: Buffer.from(`Message-ID: <recon.${i}@seed.example>\r\nSubject: recon ${i}\r\n\r\nbody ${i}\r\n`), internalDate: new Date(start + i * 60_000 + shiftMs), seen: false };
}

describe('reconciling a folder many UID windows long', () => {
  beforeEach(() => {
    process.env['MAILROOM_UID_WINDOW'] = String(WINDOW);
  });
  afterEach(() => {
    delete process.env['MAILROOM_UID_WINDOW'];
  });

  it('matches a target holding half the folder, then uncertain batches on resume, a window at a time', async () => {
    const src = freshUser('rsrc');
    const dst = freshUser('rdst');
    seedMaildir(src.user, Array.from({ length: MESSAGES }, (_, i) => message(i)));
    // Every other message is on the target already; one in ten of those with its date an hour off.
    seedMaildir(dst.user, Array.from({ length: MESSAGES / 2 }, (_, j) => message(2 * j, j % 10 === 0 ? 3_600_000 : 0)));
    let fetched = 0;
    let answers = 0;
    let searched = 0;
    // Window SEARCHes of the check's match by key sent and not yet answered: more than one at a time
    // means a folder many windows long costs fewer round trips than windows.
    const windowSearches = new Set<string>();
    let searchesInFlight = 0;
    const proxy = await startRewriteProxy(
      servers().imap.host,
      servers().imap.port,
      (line) => {
        if (/^\* \d+ FETCH\b/i.test(line)) fetched = Math.max(fetched, ++answers);
        else if (/^[A-Za-z0-9.]+ (OK|NO|BAD)\b/.test(line)) answers = 0;
        if (/^\* SEARCH\b/i.test(line)) searched = Math.max(searched, line.trim().split(' ').length - 2);
        windowSearches.delete(line.split(' ')[0]!);
        return line;
      },
      () => (chunk) => {
        for (const m of chunk.toString('latin1').matchAll(/^(\S+) UID SEARCH UID \d+:(\d+|\*)\r?$/gim)) windowSearches.add(m[1]!);
        searchesInFlight = Math.max(searchesInFlight, windowSearches.size);
        return chunk;
      },
    );
    try {
      const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-recon-')), 'state.db'));
      const reads = watchReads(db);
      const target = { ...endpointFor(dst), port: proxy.port, tls: 'none' as const };
      const first = await runMigration({ source: endpointFor(src), target, store: new StateStore(db, 'job'), verify: true, concurrency: 2 });
      expect([first.error, first.copied, first.skipped, first.failed, first.complete]).toEqual([null, MESSAGES / 2, MESSAGES / 2, 0, true]);
      expect(first.verification.find((v) => v.sourcePath === 'INBOX')).toMatchObject({ deep: true, sourceCount: MESSAGES, targetCount: MESSAGES, missing: 0, extra: 0 });
      expect(fetched).toBeGreaterThan(0);
      expect(fetched).toBeLessThanOrEqual(WINDOW);
      expect(searched).toBeLessThanOrEqual(WINDOW);
      expect(reads.largest().rows, reads.largest().sql).toBeLessThanOrEqual(WINDOW);
      expect(searchesInFlight).toBeGreaterThan(1);

      // As a kill -9 leaves them: the last copies' rows uncertain, the folder and the job unfinished.
      db.prepare(`UPDATE migration_messages SET state = 'appending', target_uid = NULL, target_uidvalidity = NULL WHERE state = 'done' AND source_uid > ?`).run(MESSAGES - 300);
      const uncertain = db.prepare(`SELECT COUNT(*) FROM migration_messages WHERE state = 'appending'`).pluck().get() as number;
      expect(uncertain).toBeGreaterThan(WINDOW);
      db.prepare(`UPDATE migration_folders SET status = 'partial'`).run();
      db.prepare(`UPDATE migration_jobs SET quiet_fingerprint = NULL, quiet_mappings = NULL`).run();
      [fetched, searched] = [0, 0];
      reads.reset();
      const resumed = await runMigration({ source: endpointFor(src), target, store: new StateStore(db, 'job'), verify: true, concurrency: 2 });
      expect([resumed.error, resumed.copied, resumed.failed, resumed.complete]).toEqual([null, uncertain, 0, true]);
      expect(resumed.verification.find((v) => v.sourcePath === 'INBOX')).toMatchObject({ sourceCount: MESSAGES, targetCount: MESSAGES, missing: 0, extra: 0 });
      expect(fetched).toBeGreaterThan(0);
      expect(fetched).toBeLessThanOrEqual(WINDOW);
      expect(searched).toBeLessThanOrEqual(WINDOW);
      expect(reads.largest().rows, reads.largest().sql).toBeLessThanOrEqual(WINDOW);
      const compared = await compareMailboxes(endpointFor(src), endpointFor(dst), true);
      // No copy twice: the only unmatched bytes are the 60 copies that were there with another date.
      expect([compared.targetMessages, compared.extra.length, compared.missing.length]).toEqual([MESSAGES, MESSAGES / 20, MESSAGES / 20]);
    } finally {
      await proxy.close();
    }
  });
});
