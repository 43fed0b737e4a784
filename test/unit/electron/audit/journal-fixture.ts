import { openDatabase, type Db } from '../../../../electron/db/database.ts';
import { AuditJournal, type AuditRecord } from '../../../../electron/audit/audit-journal.ts';
import type { CredentialVault } from '../../../../electron/platform/credential-vault.ts';
import type { AuditVerification } from '../../../../shared/domain/audit.ts';
import { MemoryVault } from '../../../fakes/memory-vault.ts';
import { JournalAttacker } from '../../../support/journal-attacker.ts';

/** A typical journal record, numbered. */
export const record = (n: number): AuditRecord => ({
  operator: 'alice',
  action: 'connections.addImap',
  connectionId: `c${n}`,
  object: `Connection ${n}`,
  before: null,
  after: { name: `Connection ${n}`, port: 993 },
  result: 'ok',
  errorCode: null,
});

/** A journal over `db` with the given vault and a clock that ticks a second per call. */
export function openJournal(db: Db, vault: CredentialVault, extra: { onAnchorError?: (error: unknown) => void } = {}): AuditJournal {
  let t = Date.parse('2026-01-01T00:00:00Z');
  return new AuditJournal(db, { vault, journalId: 'unit', now: () => new Date((t += 1000)), operator: 'mailroom-test', ...extra });
}

/** What journalWith returns: the database, the keychain stand-in, the journal and an attacker on the same file. */
export interface JournalFixture {
  readonly db: Db;
  readonly vault: MemoryVault;
  readonly journal: AuditJournal;
  readonly attacker: JournalAttacker;
}

/** An in-memory journal with `count` entries, its anchor written. */
export async function journalWith(count: number, vault: MemoryVault = new MemoryVault()): Promise<JournalFixture> {
  const db = openDatabase(':memory:');
  const journal = openJournal(db, vault);
  for (let i = 1; i <= count; i++) await journal.append(record(i));
  await journal.flush();
  return { db, vault, journal, attacker: new JournalAttacker(db) };
}

/** Runs verify and unwraps its Result. */
export async function verified(journal: AuditJournal, ...args: Parameters<AuditJournal['verify']>): Promise<AuditVerification> {
  const result = await journal.verify(...args);
  if (!result.ok) throw new Error(`verify failed: ${result.error.message}`);
  return result.value;
}
