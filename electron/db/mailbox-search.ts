import type { Db } from './database.ts';
import type { Statement } from 'better-sqlite3';
import { TOTAL_CAP, type CachedMailbox, type InventoryQuery, type MailboxKeysetPage, type MailboxPage, type MailboxPageQuery } from '../../shared/domain/inventory.ts';
import type { ConnectionKind } from '../../shared/domain/connection.ts';

/** A mailbox row joined with its connection, as SQLite returns it. */
export interface MailboxRow {
  connection_id: string;
  connection_name: string;
  connection_kind: ConnectionKind;
  refreshed_at: string | null;
  stale: number;
  address: string;
  domain: string;
  display_name: string | null;
  active: number;
  quota_bytes: number | null;
  used_bytes: number | null;
  message_count: number | null;
  forward_json: string | null;
  keep_copy: number;
}

/** Maps a joined row to the console's mailbox shape. */
export function toCachedMailbox(r: MailboxRow): CachedMailbox {
  return {
    connectionId: r.connection_id,
    connectionName: r.connection_name,
    connectionKind: r.connection_kind,
    refreshedAt: r.refreshed_at,
    stale: r.stale === 1,
    address: r.address,
    domain: r.domain,
    displayName: r.display_name,
    active: r.active === 1,
    quotaBytes: r.quota_bytes,
    usedBytes: r.used_bytes,
    messageCount: r.message_count,
    forwardTargets: r.forward_json ? (JSON.parse(r.forward_json) as string[]) : [],
    keepCopy: r.keep_copy === 1,
  };
}

const COLUMNS = `m.connection_id, c.name AS connection_name, c.kind AS connection_kind, m.refreshed_at, m.stale, m.address, m.domain,
  m.display_name, m.active, m.quota_bytes, m.used_bytes, m.message_count, m.forward_json, m.keep_copy`;
const ORDER = 'ORDER BY m.address, m.connection_id';
// Above every BMP character in both BINARY and NOCASE order: [p, p + MAX) is "starts with p".
const MAX = '\uffff';
// Trigram matches above this many rows are "dense" and paged along the address index instead.
const DENSE = 10_000;

type Strategy = 'all' | 'prefix' | 'trigram' | 'scan';

interface Plan {
  readonly strategy: Strategy;
  /** Extra WHERE clause on `m` and its parameters. */
  readonly where: string;
  readonly params: unknown[];
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Search-as-you-type over the mailbox cache, tuned for 100,000 rows:
 * 1–2 characters match the start of the address, one covering range of the address index; 3 or more
 * match anywhere in address or name through the trigram index, and a dense match (over DENSE rows) pages
 * along the address index with LIKE instead, which finds a common substring within a few thousand rows.
 * Totals are counted up to TOTAL_CAP while searching ("1,000+"); keyset pages follow (address, connection).
 */
export class MailboxSearch {
  private readonly db: Db;
  private readonly cache = new Map<string, Statement>();

  constructor(db: Db) {
    this.db = db;
  }

  /** Offset paging, kept for the CLI and callers that jump to a page. */
  search(query: InventoryQuery): MailboxPage {
    const { total, capped, plan, scope } = this.count(query);
    const rows = this.rows(plan, scope, null, query.limit ?? 100, query.offset ?? 0);
    return { total, capped, rows: rows.map(toCachedMailbox) };
  }

  /** Keyset paging for the virtualized table. */
  page(query: MailboxPageQuery): MailboxKeysetPage {
    const limit = query.limit ?? 200;
    const { total, capped, plan, scope } = this.count(query);
    const after = query.afterKey ? parseKey(query.afterKey) : null;
    const rows = this.rows(plan, scope, after, limit + 1, query.offset ?? 0);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    return { total, capped, rows: page.map(toCachedMailbox), nextKey: more && last ? `${last.address}\n${last.connection_id}` : null };
  }

  private count(query: InventoryQuery | MailboxPageQuery): { total: number; capped: boolean; plan: Plan; scope: Plan } {
    const scope = scopeOf(query);
    const text = (query.text ?? '').trim().toLowerCase();
    if (text === '') {
      const n = this.stmt(`SELECT count(*) AS n FROM mailboxes m WHERE 1 ${scope.where}`).get(...scope.params) as { n: number };
      return { total: n.n, capped: false, plan: { strategy: 'all', where: '', params: [] }, scope };
    }
    if (text.length <= 2) {
      // A display-name prefix would need a second index range and a sort; the address prefix is one covering range.
      const plan: Plan = { strategy: 'prefix', where: 'AND m.address >= ? AND m.address < ?', params: [text, text + MAX] };
      const n = this.countUpTo(`SELECT 1 FROM mailboxes m WHERE 1 ${plan.where} ${scope.where}`, [...plan.params, ...scope.params], TOTAL_CAP + 1);
      return { total: Math.min(n, TOTAL_CAP), capped: n > TOTAL_CAP, plan, scope };
    }
    const match = `"${text.replace(/"/g, '""')}"`;
    // The trigram index is read once: its row ids are both the count and the set the page is sorted from.
    const matched = (
      scope.where === ''
        ? this.stmt(`SELECT rowid FROM mailboxes_fts WHERE mailboxes_fts MATCH ? LIMIT ${DENSE + 1}`)
        : this.stmt(`SELECT m.id FROM mailboxes_fts f JOIN mailboxes m ON m.id = f.rowid WHERE f.mailboxes_fts MATCH ? ${scope.where} LIMIT ${DENSE + 1}`)
    )
      .pluck()
      .all(match, ...scope.params) as number[];
    const n = matched.length;
    // A dense match (over DENSE rows) costs more to collect and sort than to find the first page along the address index.
    const plan: Plan =
      n > DENSE
        ? { strategy: 'scan', where: "AND (m.address LIKE ? ESCAPE '\\' OR m.display_name LIKE ? ESCAPE '\\')", params: [`%${escapeLike(text)}%`, `%${escapeLike(text)}%`] }
        : { strategy: 'trigram', where: 'AND m.id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(matched)] };
    return { total: Math.min(n, TOTAL_CAP), capped: n > TOTAL_CAP, plan, scope };
  }

  private countUpTo(select: string, params: readonly unknown[], limit: number): number {
    return (this.stmt(`SELECT count(*) AS n FROM (${select} LIMIT ${limit})`).get(...params) as { n: number }).n;
  }

  private rows(plan: Plan, scope: Plan, after: readonly [string, string] | null, limit: number, offset: number): MailboxRow[] {
    const key = after ? 'AND (m.address, m.connection_id) > (?, ?)' : '';
    // The scan strategy relies on walking the address index in order and stopping at LIMIT.
    const from = plan.strategy === 'scan' && scope.where === '' ? 'mailboxes m INDEXED BY mailboxes_address_key' : 'mailboxes m';
    // Sort narrow (id and key only), then read the full rows of one page: sorting whole rows cost 3-4x more.
    const ids = this.stmt(`SELECT m.id FROM ${from} WHERE 1 ${plan.where} ${scope.where} ${key} ${ORDER} LIMIT ? OFFSET ?`)
      .pluck()
      .all(...plan.params, ...scope.params, ...(after ?? []), limit, offset) as number[];
    if (ids.length === 0) return [];
    return this.stmt(`SELECT ${COLUMNS} FROM mailboxes m JOIN connections c ON c.id = m.connection_id WHERE m.id IN (SELECT value FROM json_each(?)) ${ORDER}`).all(JSON.stringify(ids)) as MailboxRow[];
  }

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}

function scopeOf(query: InventoryQuery | MailboxPageQuery): Plan {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (query.connectionId) {
    clauses.push('AND m.connection_id = ?');
    params.push(query.connectionId);
  }
  if (query.domain) {
    clauses.push('AND m.domain = ?');
    params.push(query.domain.toLowerCase());
  }
  return { strategy: 'all', where: clauses.join(' '), params };
}

function parseKey(key: string): readonly [string, string] {
  const at = key.lastIndexOf('\n');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}
