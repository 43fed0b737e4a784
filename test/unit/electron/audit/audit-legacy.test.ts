import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../electron/db/database.ts';
import { migrations } from '../../../../electron/db/migrations/index.ts';
import { MemoryVault } from '../../../fakes/memory-vault.ts';
import { JournalAttacker } from '../../../support/journal-attacker.ts';
import { writeOldJournal } from '../../../support/old-journal.ts';
import { openJournal, record, verified } from './journal-fixture.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database as the plain SHA-256 builds left it, with `count` entries. */
function oldJournal(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-legacy-'));
  dirs.push(dir);
  const file = join(dir, 'mailroom.db');
  writeOldJournal(file, count);
  return file;
}

async function upgraded(count: number, vault = new MemoryVault()): Promise<{ db: Db; vault: MemoryVault; journal: ReturnType<typeof openJournal> }> {
  const db = openDatabase(oldJournal(count));
  const journal = openJournal(db, vault);
  await journal.append(record(1));
  await journal.flush();
  return { db, vault, journal };
}

describe('a journal from a build before keying', () => {
  it('is keyed on first use: older entries stay checked by their SHA-256 chain, a sealed note says so, new entries are keyed', async () => {
    const { journal, vault } = await upgraded(3);
    const entries = journal.list().entries;
    expect(entries.map((e) => [e.seq, e.action])).toEqual([
      [5, 'connections.addImap'],
      [4, 'audit.keyed'],
      [3, 'domains.create'],
      [2, 'domains.create'],
      [1, 'domains.create'],
    ]);
    expect(entries[1]!.after).toMatchObject({ olderEntries: 3, olderEntriesCheck: 'intact' });
    expect(entries[1]!.operator).toBe('mailroom-test');
    expect(JSON.parse(vault.secrets.get('audit-key:unit')!)).toMatchObject({ legacySeq: 3, legacyHash: entries[2]!.hash });
    expect(await verified(journal)).toMatchObject({ ok: true, checked: 5, legacyUpTo: 3, anchoredSeq: 5, unanchored: null });
  });

  it('still detects an older entry edited without re-chaining', async () => {
    const { db, journal } = await upgraded(3);
    new JournalAttacker(db).dropTriggers().sql("UPDATE audit_journal SET object = 'evil.example' WHERE seq = 2");
    expect((await verified(journal)).firstProblem).toEqual({
      kind: 'edited',
      seq: 2,
      reason: 'entry 2 was edited: its content no longer matches its hash (it predates the journal key)',
    });
  });

  it('detects older entries edited and re-chained with the old rule, which the first keyed entry no longer covers', async () => {
    const { db, journal } = await upgraded(3);
    new JournalAttacker(db).dropTriggers().sql("UPDATE audit_journal SET object = 'evil.example' WHERE seq = 2").rechainLegacy(2, 3);
    expect((await verified(journal)).firstProblem).toEqual({
      kind: 'legacy-rewritten',
      seq: 3,
      reason: 'entries 1 to 3, written before the journal was keyed, were rewritten: entry 3 is not the one the keychain recorded when the journal was keyed',
    });
  });

  it('cannot be passed off as older entries by moving the keyed ones under the old rule', async () => {
    const { db, journal } = await upgraded(3);
    await journal.append(record(2));
    // The mark sits in the keychain, so re-hashing keyed entries with plain SHA-256 does not make them "older".
    new JournalAttacker(db).dropTriggers().sql("UPDATE audit_journal SET content_mac = NULL, object = 'evil' WHERE seq >= 5").rechainLegacy(5, 6);
    const v = await verified(journal);
    expect(v.legacyUpTo).toBe(3);
    expect(v.firstProblem).toMatchObject({ kind: 'edited', seq: 5 });
  });

  it('records, when keyed, that the old journal had already lost its newest entries', async () => {
    const file = oldJournal(4);
    const raw = openDatabase(file, migrations.filter((m) => m.version <= 8));
    new JournalAttacker(raw).dropTriggers().sql('DELETE FROM audit_journal WHERE seq = 4');
    raw.close();
    const db = openDatabase(file);
    const journal = openJournal(db, new MemoryVault());
    expect((await verified(journal)).legacyUpTo).toBe(3);
    const note = journal.list({ action: 'audit.keyed' }).entries[0]!;
    expect(note.after).toMatchObject({ olderEntries: 3 });
    expect((note.after as { olderEntriesCheck: string[] }).olderEntriesCheck).toContainEqual(
      'the old chain head records entry 4, not 3: its newest entries were removed before keying',
    );
  });

  it('says when entries were sealed with a key this keychain does not hold', async () => {
    const { db, journal } = await upgraded(2);
    await journal.append(record(3));
    // The same data folder with an empty keychain: a new key is made, and the older keyed entries cannot be checked.
    const fresh = openJournal(db, new MemoryVault());
    const v = await verified(fresh);
    expect(v.legacyUpTo).toBe(5);
    expect(v.firstProblem).toEqual({
      kind: 'key-lost',
      seq: 3,
      reason: 'entry 3 was sealed with a journal key this keychain does not hold (the keychain entry was lost or the data folder moved), so it cannot be verified',
    });
  });
});
