import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStateDatabase } from '../../../../electron/db/database.ts';
import { ContentLedger } from '../../../../electron/migration/content-state.ts';
import { StateStore } from '../../../../electron/migration/state-store.ts';

function ledgerWithRows(): { db: Database.Database; store: StateStore; ledger: ContentLedger } {
  const db = openStateDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-ledger-')), 'state.db'));
  const store = new StateStore(db, 'job');
  const insert = db.prepare(`INSERT INTO migration_messages (job_id, source_path, source_uidvalidity, source_uid, msg_key, size, state, target_path, target_uidvalidity, target_uid)
    VALUES ('job', ?, 1, ?, ?, 10, 'done', ?, 7, ?)`);
  // Two target folders; B's copies land on target UIDs 1-40 and 101-140, three of them without a target UID.
  for (let i = 1; i <= 200; i++) insert.run('A', i, `a${i}`, 'A', i);
  for (let i = 1; i <= 80; i++) insert.run('B', i, `b${i}`, 'B', i <= 3 ? null : i <= 40 ? i : i + 60);
  return { db, store, ledger: new ContentLedger(store) };
}

describe('ContentLedger', () => {
  it("counts a target folder's unchecked copies on the index of unchecked copies, never walking the job's primary key (every folder's rows)", () => {
    const { db, ledger } = ledgerWithRows();
    const statements = (ledger as unknown as { s: Record<string, Database.Statement> }).s;
    for (const name of ['countToCheck', 'countInWindow', 'unlocated', 'nextUnchecked', 'toCheck']) {
      const sql = statements[name]!.source;
      const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, (_, i) => (i === 0 ? 'job' : i === 1 ? 'B' : 1));
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
      expect(plan, name).toEqual([expect.stringMatching(/USING (COVERING )?INDEX migration_messages_unchecked \(job_id=\? AND target_path=\?/)]);
    }
    db.close();
  });

  it('counts what a window would hold without reading it, and the copies without a target UID apart', () => {
    const { db, store, ledger } = ledgerWithRows();
    expect(ledger.countToCheck('B')).toBe(77);
    expect(ledger.unlocated('B')).toBe(3);
    for (const [after, size] of [[0, 300], [0, 50], [4, 20], [40, 30], [39, 300], [140, 10]] as const) {
      expect(ledger.countAfter('B', after, size), `after ${after}, size ${size}`).toBe(ledger.toCheckAfter('B', after, size).length);
    }
    ledger.markChecked(ledger.toCheckAfter('B', 0, 50));
    expect(ledger.countAfter('B', 0, 300)).toBe(40);
    expect(ledger.countToCheck('B')).toBe(40);
    expect(store.jobId).toBe('job');
    db.close();
  });
});
