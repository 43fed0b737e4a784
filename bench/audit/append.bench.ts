// Audit journal benchmark: append cost (one at a time, as the router journals a CLI command or an
// import row, and in bursts) and verify cost, on a file database. Prints JSON lines.
// BENCH_VAULT=keychain uses the OS keychain (run inside test/servers/keyring.sh); default: in memory.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditJournal, type AuditRecord } from '../../electron/audit/audit-journal.ts';
import { journalIdFor } from '../../electron/audit/audit-keys.ts';
import { openDatabase } from '../../electron/db/database.ts';
import type { CredentialVault } from '../../electron/platform/credential-vault.ts';
import { KeychainVault } from '../../electron/platform/keychain-vault.ts';
import { MemoryVault } from '../../test/fakes/memory-vault.ts';

const N = Number(process.env['BENCH_APPENDS'] ?? 2000);
const keychain = process.env['BENCH_VAULT'] === 'keychain';
const line = (o: Record<string, unknown>): void => void process.stdout.write(JSON.stringify({ bench: 'audit', vault: keychain ? 'keychain' : 'memory', ...o }) + '\n');
const record = (i: number): AuditRecord => ({
  operator: 'alice',
  action: 'mailboxes.create',
  connectionId: 'c1',
  object: `user${i}@example.com`,
  before: null,
  after: { quota: 1_000_000_000, name: `User ${i}` },
  result: 'ok',
  errorCode: null,
});

const dir = mkdtempSync(join(tmpdir(), 'mr-bench-audit-'));
const service = `Mailroom-bench-${randomUUID()}`;
const vault: CredentialVault = keychain ? new KeychainVault(service) : new MemoryVault();
try {
  const file = join(dir, 'mailroom.db');
  const db = openDatabase(file);
  const journal = new AuditJournal(db, { vault, journalId: journalIdFor(file) });
  let t = performance.now();
  await journal.append(record(0));
  line({ phase: 'first append (reads or makes the key)', ms: +(performance.now() - t).toFixed(2) });
  await journal.flush();

  t = performance.now();
  for (let i = 1; i <= N; i++) await journal.append(record(i));
  const sequential = (performance.now() - t) / N;
  t = performance.now();
  await journal.flush();
  line({ phase: 'sequential append', appends: N, msPerAppend: +sequential.toFixed(4), finalAnchorMs: +(performance.now() - t).toFixed(2) });

  t = performance.now();
  for (let i = 1; i <= 200; i++) {
    await journal.append(record(i));
    await journal.flush();
  }
  line({ phase: 'append and wait for the anchor', appends: 200, msPerAppend: +((performance.now() - t) / 200).toFixed(3) });

  t = performance.now();
  await Promise.all(Array.from({ length: N }, (_, i) => journal.append(record(i))));
  await journal.flush();
  line({ phase: 'burst append incl. anchor', appends: N, msPerAppend: +((performance.now() - t) / N).toFixed(4) });

  t = performance.now();
  const v = await journal.verify();
  line({ phase: 'verify', entries: v.ok ? v.value.checked : null, ok: v.ok && v.value.ok, ms: +(performance.now() - t).toFixed(1) });
  db.close();
} finally {
  if (keychain) for (const account of await vault.list()) await vault.delete(account);
  rmSync(dir, { recursive: true, force: true });
}
