import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { StateStore } from '../../../../electron/migration/state-store.ts';

function store(): StateStore {
  const s = new StateStore(openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-modseq-')), 'state.db')), 'job');
  s.ensureJob('src', 'dst', new Date().toISOString());
  return s;
}

const row = (uid: number): Parameters<StateStore['insertPending']>[0][number] => ({ sourcePath: 'INBOX', uidValidity: 7, uid, key: `k${uid}`, size: 10, internalDate: null, targetPath: 'INBOX' });

describe('CONDSTORE marks and delta counterparts (schema 014)', () => {
  it('keeps a mod-sequence beyond 2^53 exactly, per folder, and forgets it', () => {
    const s = store();
    expect(s.modseq.get('INBOX')).toBeNull();
    s.modseq.save('INBOX', { uidValidity: 7, highestModseq: 9007199254740993n });
    s.modseq.save('INBOX', { uidValidity: 8, highestModseq: 12n });
    expect(s.modseq.get('INBOX')).toEqual({ uidValidity: 8, highestModseq: 12n });
    s.modseq.forget('INBOX');
    expect(s.modseq.get('INBOX')).toBeNull();
  });

  it('finds landed copies by source UID ranges with their APPENDUID, and forgets expunged ones', () => {
    const s = store();
    s.insertPending([1, 2, 3, 4, 5].map(row));
    s.settle([row(1), row(2)], 'done', 99, [11, 12]);
    s.settle([row(3)], 'skipped', null, null);
    expect(
      s.modseq.landed('INBOX', 7, [
        [2, 4],
        [9, 1000],
      ]),
    ).toEqual([
      { uid: 2, targetPath: 'INBOX', targetUid: 12, targetUidValidity: 99 },
      { uid: 3, targetPath: 'INBOX', targetUid: null, targetUidValidity: null },
    ]);
    s.modseq.forgetMessages('INBOX', 7, [2]);
    expect(s.rows('INBOX', 7).map((r) => r.uid)).toEqual([1, 3, 4, 5]);
    expect(s.landedCount('INBOX')).toBe(2);
  });
});
