import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditCheckpoint } from '../../../../shared/domain/audit.ts';
import { auditCheckpoint } from '../../../../shared/ipc/schemas/audit.ts';
import { journalWith, record, verified, type JournalFixture } from './journal-fixture.ts';

async function signed(journal: JournalFixture['journal']): Promise<AuditCheckpoint> {
  const result = await journal.checkpoint();
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('signed checkpoints', () => {
  it('records the newest entry with an Ed25519 signature anyone can check with the enclosed key', async () => {
    const { journal } = await journalWith(4);
    const c = await signed(journal);
    expect(auditCheckpoint.safeParse(c).success).toBe(true);
    expect(c).toMatchObject({ format: 'mailroom-audit-checkpoint/1', seq: 4, mac: journal.list({ limit: 1 }).entries[0]!.hash });
    expect(createHash('sha256').update(Buffer.from(c.publicKey, 'base64')).digest('hex')).toBe(c.keyFingerprint);
  });

  it('matches the journal it was taken from, also after more entries are appended', async () => {
    const { journal } = await journalWith(3);
    const c = await signed(journal);
    await journal.append(record(4));
    expect(await verified(journal, c)).toMatchObject({ ok: true, problems: [], checkpoint: { seq: 3, at: c.at, matched: true } });
  });

  it('is not matched once the entries it records were deleted, even with the anchor out of reach', async () => {
    const { journal, attacker } = await journalWith(5);
    const c = await signed(journal);
    attacker.dropTriggers().sql('DELETE FROM audit_journal WHERE seq >= 4');
    const v = await verified(journal, c);
    expect(v.checkpoint).toEqual({ seq: 5, at: c.at, matched: false });
    expect(v.problems).toContainEqual({ kind: 'checkpoint', seq: 5, reason: `entries after 3 were deleted: the checkpoint of ${c.at} records entry 5` });
  });

  it('is not matched when the entry it records was rewritten', async () => {
    const { journal, attacker } = await journalWith(3);
    const c = await signed(journal);
    attacker.dropTriggers().sql("UPDATE audit_journal SET object = 'x' WHERE seq = 2").rechain(2);
    const v = await verified(journal, c);
    expect(v.problems).toContainEqual({
      kind: 'checkpoint',
      seq: 3,
      reason: `the checkpoint is not matched: entry 3 is not the entry the checkpoint of ${c.at} recorded, so the journal was rewritten up to there`,
    });
  });

  it('is refused when the file was altered', async () => {
    const { journal } = await journalWith(3);
    const c = await signed(journal);
    const v = await verified(journal, { ...c, seq: 2, mac: journal.list({ beforeSeq: 3, limit: 1 }).entries[0]!.hash });
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([{ kind: 'checkpoint', seq: null, reason: 'the checkpoint is not matched: its signature is invalid, so the file was altered after it was signed' }]);
  });

  it('is refused when re-signed with another key, and when its key does not match its fingerprint', async () => {
    const { journal } = await journalWith(2);
    const c = await signed(journal);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const keyFingerprint = createHash('sha256').update(der).digest('hex');
    const body = [c.format, c.seq, c.mac, c.at, keyFingerprint];
    const mine = { ...c, keyFingerprint, publicKey: der.toString('base64'), signature: sign(null, Buffer.from(JSON.stringify(body)), privateKey).toString('base64') };
    expect((await verified(journal, mine)).problems[0]?.reason).toMatch(/^the checkpoint is not matched: it was signed by another journal's key \([0-9a-f]{16}…\), not this journal's/);
    expect((await verified(journal, { ...c, publicKey: der.toString('base64') })).problems[0]?.reason).toBe(
      'the checkpoint is not matched: its public key does not match its fingerprint, so the file was altered',
    );
  });

  it('does not match a different journal', async () => {
    const a = await journalWith(2);
    const b = await journalWith(2);
    const v = await verified(b.journal, await signed(a.journal));
    expect(v.checkpoint?.matched).toBe(false);
    expect(v.problems[0]?.reason).toMatch(/signed by another journal's key/);
  });

  it('is not signed for a damaged journal', async () => {
    const { journal, attacker } = await journalWith(3);
    attacker.dropTriggers().appendForged();
    const result = await journal.checkpoint();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('audit.damaged');
      expect(result.error.message).toMatch(/^The journal is damaged \(entry 4 is forged: .*\); no checkpoint was signed\.$/);
    }
  });
});
