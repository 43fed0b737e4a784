import { createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { AuditEntry, AuditPage, AuditQuery, AuditVerification } from '../../shared/domain/audit.ts';

/** What a caller supplies for one journal row; the journal adds seq, time and hashes. */
export interface AuditRecord {
  readonly operator: string;
  readonly action: string;
  readonly connectionId: string | null;
  readonly object: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly result: 'ok' | 'error';
  readonly errorCode: string | null;
}

interface Row {
  seq: number;
  at: string;
  operator: string;
  action: string;
  connection_id: string | null;
  object: string | null;
  before_json: string | null;
  after_json: string | null;
  result: 'ok' | 'error';
  error_code: string | null;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

/** The hash of one link: every stored field, in a fixed order, chained to the previous hash. */
export function linkHash(row: Omit<Row, 'hash'>): string {
  const fields = [
    row.seq,
    row.at,
    row.operator,
    row.action,
    row.connection_id,
    row.object,
    row.before_json,
    row.after_json,
    row.result,
    row.error_code,
    row.prev_hash,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Append-only, hash-chained journal of every change made through Mailroom. */
export class AuditJournal {
  private readonly db: Db;
  private readonly now: () => Date;
  private readonly insert;
  private readonly head;
  private readonly setHead;

  constructor(db: Db, now: () => Date = () => new Date()) {
    this.db = db;
    this.now = now;
    this.insert = db.prepare(`INSERT INTO audit_journal
      (seq, at, operator, action, connection_id, object, before_json, after_json, result, error_code, prev_hash, hash)
      VALUES (@seq, @at, @operator, @action, @connection_id, @object, @before_json, @after_json, @result, @error_code, @prev_hash, @hash)`);
    this.head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1');
    this.setHead = db.prepare(
      'INSERT INTO audit_head (id, seq, hash) VALUES (1, @seq, @hash) ON CONFLICT (id) DO UPDATE SET seq = @seq, hash = @hash',
    );
  }

  /** Appends one entry atomically with the chain head and returns it. */
  append(record: AuditRecord): AuditEntry {
    const write = this.db.transaction((): Row => {
      const head = this.head.get() as { seq: number; hash: string } | undefined;
      const base: Omit<Row, 'hash'> = {
        seq: (head?.seq ?? 0) + 1,
        at: this.now().toISOString(),
        operator: record.operator,
        action: record.action,
        connection_id: record.connectionId,
        object: record.object,
        before_json: record.before === undefined ? null : JSON.stringify(record.before),
        after_json: record.after === undefined ? null : JSON.stringify(record.after),
        result: record.result,
        error_code: record.errorCode,
        prev_hash: head?.hash ?? GENESIS,
      };
      const row = { ...base, hash: linkHash(base) };
      this.insert.run(row);
      this.setHead.run({ seq: row.seq, hash: row.hash });
      return row;
    });
    return toEntry(write.immediate());
  }

  /** Lists entries newest first, with optional filters. */
  list(query: AuditQuery = {}): AuditPage {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (query.beforeSeq !== undefined) {
      where.push('seq < @beforeSeq');
      params['beforeSeq'] = query.beforeSeq;
    }
    if (query.action !== undefined) {
      where.push('action = @action');
      params['action'] = query.action;
    }
    if (query.connectionId !== undefined) {
      where.push('connection_id = @connectionId');
      params['connectionId'] = query.connectionId;
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.db
      .prepare(`SELECT * FROM audit_journal ${clause} ORDER BY seq DESC LIMIT @limit`)
      .all({ ...params, limit: query.limit ?? 100 }) as Row[];
    const total = (this.db.prepare(`SELECT count(*) AS n FROM audit_journal ${clause}`).get(params) as { n: number }).n;
    return { entries: rows.map(toEntry), total };
  }

  /** Iterates every entry oldest first without loading the table into memory. */
  *entries(): IterableIterator<AuditEntry> {
    for (const row of this.db.prepare('SELECT * FROM audit_journal ORDER BY seq').iterate() as IterableIterator<Row>) {
      yield toEntry(row);
    }
  }

  /** Re-computes the chain; reports the first edited, inserted or deleted row. */
  verify(): AuditVerification {
    let expectedSeq = 1;
    let prev = GENESIS;
    let checked = 0;
    const fail = (seq: number, reason: string): AuditVerification => ({ ok: false, checked, firstProblem: { seq, reason } });
    for (const row of this.db.prepare('SELECT * FROM audit_journal ORDER BY seq').iterate() as IterableIterator<Row>) {
      if (row.seq !== expectedSeq) return fail(expectedSeq, `entry ${expectedSeq} is missing`);
      if (row.prev_hash !== prev) return fail(row.seq, 'does not link to the entry before it');
      const { hash, ...rest } = row;
      if (linkHash(rest) !== hash) return fail(row.seq, 'its content was changed after it was written');
      prev = hash;
      expectedSeq += 1;
      checked += 1;
    }
    const head = this.head.get() as { seq: number; hash: string } | undefined;
    if ((head?.seq ?? 0) !== checked || (head?.hash ?? GENESIS) !== prev) {
      return fail(checked + 1, 'the newest entries were removed (the chain head does not match)');
    }
    return { ok: true, checked, firstProblem: null };
  }
}

function toEntry(row: Row): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    operator: row.operator,
    action: row.action,
    connectionId: row.connection_id,
    object: row.object,
    before: row.before_json === null ? null : JSON.parse(row.before_json),
    after: row.after_json === null ? null : JSON.parse(row.after_json),
    result: row.result,
    errorCode: row.error_code,
    hash: row.hash,
  };
}
