import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { auditToCsv } from '../../../../electron/audit/audit-csv.ts';
import { VaultUnavailableError } from '../../../../electron/platform/credential-vault.ts';
import { MemoryVault } from '../../../fakes/memory-vault.ts';
import { journalWith, openJournal, record, verified } from './journal-fixture.ts';

/** A MemoryVault that counts writes and can be told to fail or to hold reads back. */
class SlowVault extends MemoryVault {
  sets = 0;
  failSets = false;
  release: () => void = () => undefined;
  private gate: Promise<void> | null = null;

  holdReads(): void {
    this.gate = new Promise((done) => (this.release = done));
  }

  override async get(account: string): Promise<string | null> {
    if (this.gate) await this.gate;
    return super.get(account);
  }

  override async set(account: string, secret: string): Promise<void> {
    this.sets += 1;
    await new Promise((done) => setTimeout(done, 5));
    if (this.failSets && account.startsWith('audit-anchor:')) throw new VaultUnavailableError('keychain locked');
    return super.set(account, secret);
  }
}

describe('AuditJournal', () => {
  it('chains entries, anchors the newest in the keychain and verifies an untouched journal', async () => {
    const { journal, vault } = await journalWith(5);
    const page = journal.list({ limit: 2 });
    expect(page.total).toBe(5);
    expect(page.entries.map((e) => e.seq)).toEqual([5, 4]);
    expect(await verified(journal)).toEqual({
      ok: true,
      checked: 5,
      firstProblem: null,
      problems: [],
      anchoredSeq: 5,
      unanchored: null,
      legacyUpTo: 0,
      checkpoint: null,
    });
    expect(JSON.parse(vault.secrets.get('audit-anchor:unit')!)).toEqual({ seq: 5, mac: page.entries[0]!.hash });
  });

  it('keeps the HMAC and signing keys in the keychain only, never in the database', async () => {
    const { db, vault } = await journalWith(3);
    const stored = JSON.parse(vault.secrets.get('audit-key:unit')!) as { mac: string; ed25519: string };
    const macKey = Buffer.from(stored.mac, 'base64');
    expect(macKey).toHaveLength(32);
    const file = db.serialize();
    for (const secret of [macKey, Buffer.from(macKey.toString('hex')), Buffer.from(stored.mac), Buffer.from(stored.ed25519)]) {
      expect(file.includes(secret)).toBe(false);
    }
  });

  it('refuses UPDATE, DELETE and out-of-order INSERT through SQL', async () => {
    const { db } = await journalWith(2);
    expect(() => db.exec("UPDATE audit_journal SET operator = 'mallory' WHERE seq = 1")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit_journal WHERE seq = 1')).toThrow(/append-only/);
    expect(() => db.exec("INSERT INTO audit_journal (seq, at, operator, action, result, prev_hash, hash) VALUES (7, 'x', 'm', 'a', 'ok', 'p', 'h')")).toThrow(/in order/);
    expect(() => db.exec("INSERT INTO audit_journal (seq, at, operator, action, result, prev_hash, hash) VALUES (0, 'x', 'm', 'a', 'ok', 'p', 'h')")).toThrow(/in order/);
  });

  it('writes nothing until the key is read, and nothing at all when the keychain cannot be reached', async () => {
    const vault = new SlowVault();
    const db = openDatabase(':memory:');
    const journal = openJournal(db, vault);
    vault.holdReads();
    const pending = journal.append(record(1));
    await new Promise((done) => setTimeout(done, 20));
    expect(journal.list().total).toBe(0);
    vault.release();
    expect((await pending).seq).toBe(1);

    const locked = new MemoryVault();
    locked.get = () => Promise.reject(new VaultUnavailableError('no Secret Service'));
    const other = openJournal(openDatabase(':memory:'), locked);
    await expect(other.append(record(1))).rejects.toThrow(/no Secret Service/);
    expect(other.list().total).toBe(0);
    expect(await other.verify()).toMatchObject({ ok: false, error: { code: 'vault.unavailable' } });
  });

  it('coalesces anchor writes under a burst and ends anchored at the newest entry', async () => {
    const vault = new SlowVault();
    const journal = openJournal(openDatabase(':memory:'), vault);
    await journal.append(record(0));
    await journal.flush();
    const before = vault.sets;
    await Promise.all(Array.from({ length: 100 }, (_, i) => journal.append(record(i + 1))));
    await journal.flush();
    expect(vault.sets - before).toBeLessThanOrEqual(3);
    expect(JSON.parse(vault.secrets.get('audit-anchor:unit')!).seq).toBe(101);
    expect((await verified(journal)).anchoredSeq).toBe(101);
  });

  it('reports entries the anchor could not follow as unanchored, and says so to the caller', async () => {
    const vault = new SlowVault();
    const errors: unknown[] = [];
    const journal = openJournal(openDatabase(':memory:'), vault, { onAnchorError: (e) => errors.push(e) });
    await journal.append(record(1));
    await journal.append(record(2));
    await journal.flush();
    vault.failSets = true;
    await journal.append(record(3));
    await journal.append(record(4));
    await expect(journal.flush()).rejects.toThrow(/keychain locked/);
    expect(errors.length).toBeGreaterThan(0);
    const v = await verified(journal);
    expect(v).toMatchObject({ ok: true, checked: 4, anchoredSeq: 2, unanchored: { from: 3, to: 4 } });
    vault.failSets = false;
    await journal.flush();
    expect(await verified(journal)).toMatchObject({ ok: true, anchoredSeq: 4, unanchored: null });
  });

  it('filters by action and connection, and pages with beforeSeq', async () => {
    const { journal } = await journalWith(3);
    await journal.append({ ...record(9), action: 'connections.remove' });
    expect(journal.list({ action: 'connections.remove' }).entries.map((e) => e.seq)).toEqual([4]);
    expect(journal.list({ connectionId: 'c2' }).entries.map((e) => e.seq)).toEqual([2]);
    expect(journal.list({ beforeSeq: 3 }).entries.map((e) => e.seq)).toEqual([2, 1]);
  });

  it('exports CSV with the seals, quoting embedded JSON', async () => {
    const { journal } = await journalWith(2);
    const csv = auditToCsv(journal.entries());
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('seq,at,operator,action,connection_id,object,before,after,result,error_code,hash');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('"{""name"":""Connection 1"",""port"":993}"');
    expect(lines[2]).toMatch(/,[0-9a-f]{64}$/);
  });
});
