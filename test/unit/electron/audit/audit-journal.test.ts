import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../electron/db/database.ts';
import { AuditJournal, type AuditRecord } from '../../../../electron/audit/audit-journal.ts';
import { auditToCsv } from '../../../../electron/audit/audit-csv.ts';

const record = (n: number): AuditRecord => ({
  operator: 'alice',
  action: 'connections.addImap',
  connectionId: `c${n}`,
  object: `Connection ${n}`,
  before: null,
  after: { name: `Connection ${n}`, port: 993 },
  result: 'ok',
  errorCode: null,
});

function journalWith(count: number): { db: Db; journal: AuditJournal } {
  const db = openDatabase(':memory:');
  let t = Date.parse('2026-01-01T00:00:00Z');
  const journal = new AuditJournal(db, () => new Date((t += 1000)));
  for (let i = 1; i <= count; i++) journal.append(record(i));
  return { db, journal };
}

/** Simulates someone with raw access to the file: drop the guard triggers, then run SQL. */
function tamper(db: Db, sql: string): void {
  db.exec('DROP TRIGGER audit_journal_no_update; DROP TRIGGER audit_journal_no_delete;');
  db.exec(sql);
}

describe('AuditJournal', () => {
  it('chains entries and verifies an untouched journal', () => {
    const { journal } = journalWith(5);
    const page = journal.list({ limit: 2 });
    expect(page.total).toBe(5);
    expect(page.entries.map((e) => e.seq)).toEqual([5, 4]);
    expect(journal.verify()).toEqual({ ok: true, checked: 5, firstProblem: null });
  });

  it('refuses UPDATE and DELETE through SQL', () => {
    const { db } = journalWith(2);
    expect(() => db.exec("UPDATE audit_journal SET operator = 'mallory' WHERE seq = 1")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit_journal WHERE seq = 1')).toThrow(/append-only/);
  });

  it('detects an edited row', () => {
    const { db, journal } = journalWith(4);
    tamper(db, `UPDATE audit_journal SET after_json = '{"name":"Connection 2","port":143}' WHERE seq = 2`);
    const result = journal.verify();
    expect(result.ok).toBe(false);
    expect(result.firstProblem?.seq).toBe(2);
    expect(result.firstProblem?.reason).toMatch(/changed/);
  });

  it('detects an edit that also recomputes the row hash', () => {
    const { db, journal } = journalWith(4);
    tamper(db, `UPDATE audit_journal SET operator = 'mallory', hash = '${'a'.repeat(64)}' WHERE seq = 3`);
    expect(journal.verify().firstProblem?.seq).toBe(3);
  });

  it('detects a deleted row in the middle', () => {
    const { db, journal } = journalWith(5);
    tamper(db, 'DELETE FROM audit_journal WHERE seq = 3');
    expect(journal.verify().firstProblem).toEqual({ seq: 3, reason: 'entry 3 is missing' });
  });

  it('detects deleted newest rows through the chain head', () => {
    const { db, journal } = journalWith(5);
    tamper(db, 'DELETE FROM audit_journal WHERE seq >= 4');
    const result = journal.verify();
    expect(result.ok).toBe(false);
    expect(result.firstProblem?.reason).toMatch(/newest entries were removed/);
  });

  it('filters by action and connection, and pages with beforeSeq', () => {
    const { journal } = journalWith(3);
    journal.append({ ...record(9), action: 'connections.remove' });
    expect(journal.list({ action: 'connections.remove' }).entries.map((e) => e.seq)).toEqual([4]);
    expect(journal.list({ connectionId: 'c2' }).entries.map((e) => e.seq)).toEqual([2]);
    expect(journal.list({ beforeSeq: 3 }).entries.map((e) => e.seq)).toEqual([2, 1]);
  });

  it('exports CSV with the hashes, quoting embedded JSON', () => {
    const { journal } = journalWith(2);
    const csv = auditToCsv(journal.entries());
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('seq,at,operator,action,connection_id,object,before,after,result,error_code,hash');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('"{""name"":""Connection 1"",""port"":993}"');
    expect(lines[2]).toMatch(/,[0-9a-f]{64}$/);
  });
});
