import { createHash, createHmac } from 'node:crypto';

/** One stored row of audit_journal, as SQLite returns it. */
export interface JournalRow {
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
  /** NULL on entries written before the journal was keyed. */
  content_mac: string | null;
}

/** What links the first entry of a journal: there is nothing before it. */
export const GENESIS = '0'.repeat(64);

type Content = Pick<JournalRow, 'at' | 'operator' | 'action' | 'connection_id' | 'object' | 'before_json' | 'after_json' | 'result' | 'error_code'>;

const content = (row: Content): unknown[] => [
  row.at,
  row.operator,
  row.action,
  row.connection_id,
  row.object,
  row.before_json,
  row.after_json,
  row.result,
  row.error_code,
];

/** The plain SHA-256 link of entries written before keying: every field, chained to the previous hash. */
export function legacyHash(row: Content & Pick<JournalRow, 'seq' | 'prev_hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([row.seq, ...content(row), row.prev_hash]))
    .digest('hex');
}

// Distinct prefixes keep a content seal from ever being accepted as a link seal, and the reverse.
const CONTENT = 'mailroom.audit.content.v2\n';
const LINK = 'mailroom.audit.link.v2\n';

/** HMAC-SHA-256 of an entry's content: tells an edited entry from one that was only moved. */
export function contentMac(key: Buffer, row: Content): string {
  return createHmac('sha256', key).update(CONTENT).update(JSON.stringify(content(row))).digest('hex');
}

/** HMAC-SHA-256 binding an entry's sequence number and content seal to the link of the entry before it. */
export function linkMac(key: Buffer, seq: number, prevHash: string, contentSeal: string): string {
  return createHmac('sha256', key).update(LINK).update(JSON.stringify([seq, prevHash, contentSeal])).digest('hex');
}
