import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { JournalAttacker } from '../../../support/journal-attacker.ts';
import { journalWith, openJournal, record, verified } from './journal-fixture.ts';

// Each attacker drops the guard triggers and recomputes every hash they can: they have the source,
// so they know the algorithm, but the key is in the keychain, which they cannot read.
describe('a journal rewritten by someone who can write the database but not read the keychain', () => {
  it('is not fooled by an untouched-looking chain after the newest entry is deleted and the head fixed', async () => {
    const { journal, attacker } = await journalWith(5);
    attacker.dropTriggers().sql('DELETE FROM audit_journal WHERE seq = 5').fixHead();
    const v = await verified(journal);
    expect(v.ok).toBe(false);
    expect(v.firstProblem).toEqual({ kind: 'truncated', seq: 5, reason: 'entries after 4 were deleted: the keychain anchor records entry 5' });
  });

  it('names the missing entry when a middle entry is deleted and the chain re-linked', async () => {
    const { journal, attacker } = await journalWith(5);
    attacker.dropTriggers().sql('DELETE FROM audit_journal WHERE seq = 3').rechain(4).fixHead();
    const v = await verified(journal);
    expect(v.firstProblem).toEqual({ kind: 'missing', seq: 3, reason: 'entry 3 is missing' });
    expect(v.problems.map((p) => [p.kind, p.seq])).toContainEqual(['edited', 4]);
  });

  it('names a moved entry when a middle entry is deleted and the rest renumbered with their seals kept', async () => {
    const { journal, attacker } = await journalWith(5);
    attacker.dropTriggers().sql('DELETE FROM audit_journal WHERE seq = 3').sql('UPDATE audit_journal SET seq = seq - 1 WHERE seq > 3');
    attacker.rechain(3, { keepContentSeals: true }).fixHead();
    const v = await verified(journal);
    expect(v.firstProblem?.kind).toBe('moved');
    expect(v.firstProblem?.seq).toBe(3);
    expect(v.firstProblem?.reason).toMatch(/^entry 3 was moved: its content is genuine but its sequence number or link was changed/);
    expect(v.problems).toContainEqual({ kind: 'truncated', seq: 5, reason: 'entries after 4 were deleted: the keychain anchor records entry 5' });
  });

  it('names a forged entry appended with a correctly computed hash', async () => {
    const { journal, attacker } = await journalWith(5);
    attacker.dropTriggers().appendForged({ object: 'Payroll' });
    const v = await verified(journal);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([
      { kind: 'forged', seq: 6, reason: 'entry 6 is forged: it is newer than the keychain anchor (entry 5) and was not sealed with the journal key' },
      expect.objectContaining({ kind: 'triggers' }),
    ]);
  });

  it('names the edited entry when an entry is changed and the chain recomputed from it', async () => {
    const { journal, attacker } = await journalWith(5);
    attacker.dropTriggers().sql(`UPDATE audit_journal SET after_json = '{"name":"Connection 2","port":143}' WHERE seq = 2`).rechain(2).fixHead();
    const v = await verified(journal);
    expect(v.firstProblem).toEqual({ kind: 'edited', seq: 2, reason: 'entry 2 was edited: its content no longer matches its seal' });
  });

  it('names the edited entry when only its content changes', async () => {
    const { journal, attacker } = await journalWith(4);
    attacker.dropTriggers().sql("UPDATE audit_journal SET operator = 'mallory' WHERE seq = 3");
    expect((await verified(journal)).problems.filter((p) => p.kind !== 'triggers')).toEqual([
      { kind: 'edited', seq: 3, reason: 'entry 3 was edited: its content no longer matches its seal' },
    ]);
  });

  it('reports an emptied table instead of "0 entries checked"', async () => {
    const { journal, attacker } = await journalWith(5);
    attacker.dropTriggers().sql('DELETE FROM audit_journal').sql('DELETE FROM audit_head');
    const v = await verified(journal);
    expect(v.checked).toBe(0);
    expect(v.firstProblem).toEqual({ kind: 'emptied', seq: null, reason: 'the journal is empty, but the keychain records 5 entries: the table was emptied' });
  });

  it('reports an entry numbered 0 as an invalid sequence number, not as "entry 1 is missing"', async () => {
    const { journal, attacker } = await journalWith(2);
    attacker.dropTriggers().sql("INSERT INTO audit_journal SELECT 0, at, 'mallory', action, connection_id, object, before_json, after_json, result, error_code, prev_hash, hash, content_mac FROM audit_journal WHERE seq = 1");
    const v = await verified(journal);
    expect(v.firstProblem).toEqual({ kind: 'invalid-seq', seq: 0, reason: 'an entry has sequence number 0: entries are numbered from 1, so it was inserted outside Mailroom' });
    expect(v.problems.map((p) => p.kind)).not.toContain('missing');
  });

  it('reports dropped or changed guard triggers even when no entry was touched', async () => {
    const { journal, db } = await journalWith(3);
    db.exec('DROP TRIGGER audit_journal_no_delete; DROP TRIGGER audit_journal_in_order;');
    expect((await verified(journal)).problems).toEqual([
      {
        kind: 'triggers',
        seq: null,
        reason: 'the append-only guard triggers are missing (audit_journal_no_delete, audit_journal_in_order): the database was changed outside Mailroom',
      },
    ]);
    db.exec("DROP TRIGGER audit_journal_no_update; CREATE TRIGGER audit_journal_no_update BEFORE UPDATE ON audit_journal BEGIN SELECT 1; END;");
    expect((await verified(journal)).problems.map((p) => p.reason)).toContain('the guard trigger audit_journal_no_update was changed outside Mailroom');
  });

  it('keeps the anchor where it was after a rollback, so later appends cannot hide it', async () => {
    const { db, journal, vault } = await journalWith(3);
    const older = db.serialize();
    for (let i = 4; i <= 5; i++) await journal.append(record(i));
    await journal.flush();
    // The attacker puts back the copy taken at 3 entries; the app starts again on it and keeps working.
    const rolledBack = new Database(older);
    const errors: unknown[] = [];
    const again = openJournal(rolledBack, vault, { onAnchorError: (e) => errors.push(e) });
    expect((await verified(again)).firstProblem).toEqual({ kind: 'truncated', seq: 4, reason: 'entries after 3 were deleted: the keychain anchor records entry 5' });
    for (let i = 4; i <= 7; i++) await again.append(record(i));
    await again.flush();
    const v = await verified(again);
    expect(v.anchoredSeq).toBe(5);
    expect(v.firstProblem).toEqual({ kind: 'anchor-mismatch', seq: 5, reason: 'entry 5 is not the entry the keychain anchored: the journal was replaced or rolled back' });
    expect(errors).toHaveLength(1);
  });

  it('names the replaced entry when genuine entries from two copies are spliced together', async () => {
    const { db, journal, vault } = await journalWith(3);
    const fork = new Database(db.serialize());
    await journal.append(record(4));
    await journal.append(record(5));
    // A second copy continued differently from entry 3; its entry 4 is spliced in before the original entry 5.
    const other = openJournal(fork, vault);
    await other.append({ ...record(4), object: 'Other' });
    const spliced = new JournalAttacker(db).dropTriggers();
    const foreign = fork.prepare('SELECT * FROM audit_journal WHERE seq = 4').get() as Record<string, unknown>;
    spliced.sql('DELETE FROM audit_journal WHERE seq = 4');
    spliced.sql(
      'INSERT INTO audit_journal VALUES (@seq, @at, @operator, @action, @connection_id, @object, @before_json, @after_json, @result, @error_code, @prev_hash, @hash, @content_mac)',
      foreign,
    );
    const v = await verified(journal);
    expect(v.problems.filter((p) => p.kind !== 'triggers')).toEqual([
      { kind: 'replaced', seq: 4, reason: 'entry 4 was replaced: entry 5 was chained to a different entry 4' },
    ]);
  });
});
