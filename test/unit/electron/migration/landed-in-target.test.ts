import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStateDatabase } from '../../../../electron/db/database.ts';
import { StateStore } from '../../../../electron/migration/state-store.ts';

// Order is checked against main's whole-folder read in key-claims.test.ts; this checks what a page costs.
describe('StateStore.landedInTarget query plan', () => {
  it("reads a page on the target index, never walking the job's primary key (every folder's rows) to filter on target_path", () => {
    const db = openStateDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-landed-plan-')), 'state.db'));
    const store = new StateStore(db, 'job');
    const sql = (store as unknown as { s: Record<string, Database.Statement> }).s.landedInTarget!.source;
    const cursor = ['job', 'T', '', -1, -1, 2];
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...cursor, ...cursor, 2) as { detail: string }[]).map((r) => r.detail);
    const reads = plan.filter((d) => d.includes('migration_messages'));
    expect(reads).toHaveLength(2);
    for (const d of reads) expect(d).toMatch(/USING (COVERING )?INDEX migration_messages_target \(job_id=\? AND target_path=\? AND state=\? AND \(source_path,source_uidvalidity,source_uid\)>/);
    db.close();
  });
});
