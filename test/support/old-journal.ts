import { openDatabase } from '../../electron/db/database.ts';
import { migrations } from '../../electron/db/migrations/index.ts';
import { GENESIS, legacyHash } from '../../electron/audit/audit-seal.ts';

/** Writes `file` as the plain SHA-256 builds left it: schema up to migration 8 and `count` chained entries with their head. */
export function writeOldJournal(file: string, count: number): void {
  const db = openDatabase(file, migrations.filter((m) => m.version <= 8));
  let prev = GENESIS;
  for (let seq = 1; seq <= count; seq++) {
    const row = {
      seq,
      at: new Date(Date.UTC(2025, 5, seq, 10)).toISOString(),
      operator: 'bob',
      action: 'domains.create',
      connection_id: 'c1',
      object: `d${seq}.example`,
      before_json: null,
      after_json: JSON.stringify({ name: `d${seq}.example` }),
      result: 'ok' as const,
      error_code: null,
      prev_hash: prev,
    };
    const hash = legacyHash(row);
    db.prepare(
      `INSERT INTO audit_journal (seq, at, operator, action, connection_id, object, before_json, after_json, result, error_code, prev_hash, hash)
       VALUES (@seq, @at, @operator, @action, @connection_id, @object, @before_json, @after_json, @result, @error_code, @prev_hash, @hash)`,
    ).run({ ...row, hash });
    db.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash').run(seq, hash);
    prev = hash;
  }
  db.close();
}
