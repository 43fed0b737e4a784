import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { ChangeCapture, sharedTables, type RowChange } from '../../../../electron/fleet/state-capture.ts';
import { ContentLedger } from '../../../../electron/migration/content-state.ts';
import { GmailState } from '../../../../electron/migration/gmail-state.ts';
import { StateStore } from '../../../../electron/migration/state-store.ts';

function captured(): { store: StateStore; capture: ChangeCapture } {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-capture-')), 'state.db'));
  const capture = new ChangeCapture(db, sharedTables(db));
  return { store: new StateStore(db, 'job'), capture };
}

const row = (uid: number): Parameters<StateStore['insertPending']>[0][number] => ({ sourcePath: 'INBOX', uidValidity: 7, uid, key: `k${uid}`, size: 10 * uid, internalDate: null, targetPath: 'INBOX' });
const byKey = (changes: readonly RowChange[]): Map<string, RowChange['row']> => new Map(changes.map((c) => [`${c.table} ${JSON.stringify(c.key)}`, c.row]));

describe('capture of the job state writes (the flush queue)', () => {
  it('reads the shared tables and their keys from the schema itself', () => {
    const db = openDatabase(':memory:');
    const tables = new Map(sharedTables(db).map((t) => [t.name, t]));
    expect(tables.get('migration_messages')?.key).toEqual(['job_id', 'source_path', 'source_uidvalidity', 'source_uid']);
    expect(tables.get('migration_messages')?.columns.map((c) => c.name)).toContain('content_sha1');
    expect(tables.get('migration_jobs')).toMatchObject({ key: ['id'], jobColumn: 'id' });
    expect(tables.get('migration_folder_modseq')?.key).toEqual(['job_id', 'source_path']);
  });

  it('queues each changed row once, with its content at take time, and empties the queue', () => {
    const { store, capture } = captured();
    store.ensureJob('a@src:993', 'b@dst:993', '2026-12-06T00:00:00Z');
    store.insertPending([row(1), row(2), row(3)]);
    store.setState([{ ...row(1), contentSha1: 'aa' }], 'appending', 1, true);
    store.settle([row(1)], 'done', 5, [41]);
    store.modseq.save('INBOX', { uidValidity: 7, highestModseq: 99n });
    expect(capture.size).toBe(5);
    const first = byKey(capture.take());
    expect(first.size).toBe(5);
    expect(first.get('migration_messages ["job","INBOX",7,1]')).toMatchObject({ state: 'done', target_uid: 41, target_uidvalidity: 5, content_sha1: 'aa', batch: 1 });
    expect(first.get('migration_messages ["job","INBOX",7,2]')).toMatchObject({ state: 'pending', size: 20 });
    expect(first.get('migration_jobs ["job"]')).toMatchObject({ source: 'a@src:993', status: 'running' });
    expect(first.get('migration_folder_modseq ["job","INBOX"]')).toMatchObject({ highest_modseq: '99' });
    expect(capture.take()).toEqual([]);
  });

  it('sees deletions as null rows and leaves no-op writes out', () => {
    const { store, capture } = captured();
    store.ensureJob('a', 'b', 'now');
    store.insertPending([row(1), row(2)]);
    capture.take();
    // Already there: INSERT OR IGNORE changes nothing.
    store.insertPending([row(1)]);
    expect(capture.take()).toEqual([]);
    store.modseq.forgetMessages('INBOX', 7, [2]);
    expect(store.dropStaleUidValidity('INBOX', 8)).toBe(1);
    const gone = byKey(capture.take());
    expect([...gone.keys()].sort()).toEqual(['migration_messages ["job","INBOX",7,1]', 'migration_messages ["job","INBOX",7,2]']);
    expect([...gone.values()]).toEqual([null, null]);
  });

  it('captures the ledgers that write beside the store (content checks, Gmail copies)', () => {
    const { store, capture } = captured();
    store.ensureJob('a', 'b', 'now');
    store.insertPending([row(1)]);
    capture.take();
    new ContentLedger(store).markChecked([row(1)]);
    const gmail = new GmailState(store.database, 'job');
    gmail.plan([{ msgid: '1789', targetPath: 'Work', step: 'append' }]);
    gmail.set('1789', 'Work', 'appending', { key: 'kk' });
    const changes = byKey(capture.take());
    expect(changes.get('migration_messages ["job","INBOX",7,1]')).toMatchObject({ content_checked: 1 });
    expect(changes.get('migration_gmail_copies ["job","1789","Work"]')).toMatchObject({ state: 'appending', msg_key: 'kk' });
  });

  it('puts a failed flush back, and the next take reads those rows as they are then', () => {
    const { store, capture } = captured();
    store.ensureJob('a', 'b', 'now');
    store.insertPending([row(1), row(2)]);
    const taken = capture.take();
    store.setState([row(2)], 'appending', 3);
    capture.requeue(taken);
    const again = byKey(capture.take());
    expect(again.size).toBe(3);
    expect(again.get('migration_messages ["job","INBOX",7,2]')).toMatchObject({ state: 'appending', batch: 3 });
  });

  it('ignores tables a fleet does not share', () => {
    const { store, capture } = captured();
    store.database.prepare(`INSERT INTO migration_plans (id, name, created_at, updated_at, target_preset, options_json, summary_json) VALUES ('p', 'n', 'c', 'u', 'x', '{}', '{}')`).run();
    expect(capture.take()).toEqual([]);
  });
});
