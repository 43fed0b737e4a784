import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { contentMac, legacyHash, linkMac, type JournalRow } from '../../electron/audit/audit-seal.ts';

/**
 * Someone who can write the database file but cannot read the keychain: they know the algorithm
 * (they have the source) and use it with the only key they have, their own.
 */
export class JournalAttacker {
  readonly db: Database.Database;
  private readonly key = randomBytes(32);

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** Drops every guard trigger on the journal. */
  dropTriggers(): this {
    const names = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_journal'").pluck().all() as string[];
    for (const name of names) this.db.exec(`DROP TRIGGER ${name}`);
    return this;
  }

  /** Runs SQL with the guards already gone. */
  sql(statement: string, ...params: unknown[]): this {
    this.db.prepare(statement).run(...params);
    return this;
  }

  row(seq: number): JournalRow {
    return this.db.prepare('SELECT * FROM audit_journal WHERE seq = ?').get(seq) as JournalRow;
  }

  /** Re-links every entry from `fromSeq` on to the one before it, sealing each with the attacker's key. */
  rechain(fromSeq: number, options: { keepContentSeals?: boolean } = {}): this {
    const rows = this.db.prepare('SELECT * FROM audit_journal WHERE seq >= ? ORDER BY seq').all(fromSeq) as JournalRow[];
    const before = this.db.prepare('SELECT hash FROM audit_journal WHERE seq < ? ORDER BY seq DESC LIMIT 1').pluck().get(fromSeq) as string | undefined;
    let prev = before ?? '0'.repeat(64);
    const update = this.db.prepare('UPDATE audit_journal SET prev_hash = ?, content_mac = ?, hash = ? WHERE seq = ?');
    for (const row of rows) {
      const seal = options.keepContentSeals && row.content_mac ? row.content_mac : contentMac(this.key, row);
      const hash = linkMac(this.key, row.seq, prev, seal);
      update.run(prev, seal, hash, row.seq);
      prev = hash;
    }
    return this;
  }

  /** Re-links entries from `fromSeq` on with the plain SHA-256 rule entries had before keying, and fixes the old head. */
  rechainLegacy(fromSeq: number, toSeq: number): this {
    const rows = this.db.prepare('SELECT * FROM audit_journal WHERE seq BETWEEN ? AND ? ORDER BY seq').all(fromSeq, toSeq) as JournalRow[];
    let prev = (this.db.prepare('SELECT hash FROM audit_journal WHERE seq < ? ORDER BY seq DESC LIMIT 1').pluck().get(fromSeq) as string | undefined) ?? '0'.repeat(64);
    for (const row of rows) {
      const hash = legacyHash({ ...row, prev_hash: prev });
      this.db.prepare('UPDATE audit_journal SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, row.seq);
      prev = hash;
    }
    return this.fixHead();
  }

  /** Appends an entry sealed with the attacker's key, linked to the newest one. */
  appendForged(fields: Partial<JournalRow> = {}): this {
    const last = this.db.prepare('SELECT seq, hash FROM audit_journal ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    const content = {
      at: new Date().toISOString(),
      operator: 'alice',
      action: 'connections.remove',
      connection_id: null,
      object: 'Production',
      before_json: null,
      after_json: null,
      result: 'ok' as const,
      error_code: null,
      ...fields,
    };
    const seq = last.seq + 1;
    const seal = contentMac(this.key, content);
    this.db
      .prepare(
        `INSERT INTO audit_journal (seq, at, operator, action, connection_id, object, before_json, after_json, result, error_code, prev_hash, hash, content_mac)
         VALUES (@seq, @at, @operator, @action, @connection_id, @object, @before_json, @after_json, @result, @error_code, @prev_hash, @hash, @content_mac)`,
      )
      .run({ ...content, seq, prev_hash: last.hash, content_mac: seal, hash: linkMac(this.key, seq, last.hash, seal) });
    return this.fixHead();
  }

  /** Points the old in-database chain head at the newest entry, as the plain-hash journal would have. */
  fixHead(): this {
    const last = this.db.prepare('SELECT seq, hash FROM audit_journal ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    this.db
      .prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash')
      .run(last?.seq ?? 0, last?.hash ?? '0'.repeat(64));
    return this;
  }
}
