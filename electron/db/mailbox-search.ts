import type { Db } from './database.ts';
import type { Statement } from 'better-sqlite3';
import { NEAR_QUOTA_RATIO, type CachedMailbox, type InventoryQuery, type MailboxKeysetPage, type MailboxPage, type MailboxPageQuery, type MailboxSort } from '../../shared/domain/inventory.ts';
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
// Each non-address order is an index of migration 007 over exactly this expression (SQLite matches it textually).
const SORT_EXPR: Record<Exclude<MailboxSort, 'address'>, string> = {
  domain: 'm.domain',
  used: 'coalesce(m.used_bytes, -1)',
  quota: 'coalesce(m.quota_bytes, 9007199254740991)',
  usage: 'CASE WHEN m.quota_bytes > 0 THEN coalesce(m.used_bytes, 0) * 1.0 / m.quota_bytes ELSE -1 END',
};

interface Order {
  readonly sort: MailboxSort;
  readonly desc: boolean;
  /** The ORDER BY clause. */
  readonly by: string;
  /** The row-value keyset condition (parameters: the key's parts). */
  readonly after: string;
}

function orderOf(query: { sort?: MailboxSort; dir?: 'asc' | 'desc' }): Order {
  const sort = query.sort ?? 'address';
  const desc = query.dir === 'desc';
  const d = desc ? ' DESC' : '';
  const cmp = desc ? '<' : '>';
  if (sort === 'address') return { sort, desc, by: `ORDER BY m.address${d}, m.connection_id${d}`, after: `AND (m.address, m.connection_id) ${cmp} (?, ?)` };
  const e = SORT_EXPR[sort];
  return { sort, desc, by: `ORDER BY ${e}${d}, m.address${d}, m.connection_id${d}`, after: `AND (${e}, m.address, m.connection_id) ${cmp} (?, ?, ?)` };
}

/** The keyset value of a row under an order. */
function sortValue(r: MailboxRow, sort: MailboxSort): string | number {
  switch (sort) {
    case 'domain':
      return r.domain;
    case 'used':
      return r.used_bytes ?? -1;
    case 'quota':
      return r.quota_bytes ?? Number.MAX_SAFE_INTEGER;
    case 'usage':
      return r.quota_bytes !== null && r.quota_bytes > 0 ? (r.used_bytes ?? 0) / r.quota_bytes : -1;
    default:
      return r.address;
  }
}
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
 * Totals are exact (a search matching 6,667 mailboxes says 6,667): a count is remembered until the cache changes, so
 * the pages of one query count once. Keyset pages follow (address, connection).
 */
export class MailboxSearch {
  private readonly db: Db;
  private readonly cache = new Map<string, Statement>();
  private counted: { readonly key: string; readonly stamp: string; readonly n: number } | null = null;

  constructor(db: Db) {
    this.db = db;
  }

  /** Offset paging, kept for the CLI and callers that jump to a page. */
  search(query: InventoryQuery): MailboxPage {
    const { total, capped, plan, scope } = this.count(query);
    const rows = this.rows(plan, scope, orderOf(query), null, query.limit ?? 100, query.offset ?? 0);
    return { total, capped, rows: rows.map(toCachedMailbox) };
  }

  /** Keyset paging for the virtualized table. */
  page(query: MailboxPageQuery): MailboxKeysetPage {
    const limit = query.limit ?? 200;
    const { total, capped, plan, scope } = this.count(query);
    const order = orderOf(query);
    const after = query.afterKey ? parseKey(query.afterKey, order.sort) : null;
    const rows = this.rows(plan, scope, order, after, limit + 1, query.offset ?? 0);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    const nextKey = !more || !last ? null : order.sort === 'address' ? `${last.address}\n${last.connection_id}` : JSON.stringify([sortValue(last, order.sort), last.address, last.connection_id]);
    return { total, capped, rows: page.map(toCachedMailbox), nextKey };
  }

  /** The cached mailboxes with these addresses, on every connection (an import's lookup). */
  byAddress(addresses: readonly string[]): CachedMailbox[] {
    if (addresses.length === 0) return [];
    const rows = this.stmt(`SELECT ${COLUMNS} FROM mailboxes m JOIN connections c ON c.id = m.connection_id WHERE m.address IN (SELECT value FROM json_each(?))`).all(JSON.stringify(addresses)) as MailboxRow[];
    return rows.map(toCachedMailbox);
  }

  private count(query: InventoryQuery | MailboxPageQuery): { total: number; capped: boolean; plan: Plan; scope: Plan } {
    const scope = scopeOf(query);
    const text = (query.text ?? '').trim().toLowerCase();
    if (text === '') {
      const n = this.exactCount(`SELECT count(*) AS n FROM mailboxes m WHERE 1 ${scope.where}`, scope.params);
      return { total: n, capped: false, plan: { strategy: 'all', where: '', params: [] }, scope };
    }
    if (text.length <= 2) {
      // A display-name prefix would need a second index range and a sort; the address prefix is one covering range.
      const plan: Plan = { strategy: 'prefix', where: 'AND m.address >= ? AND m.address < ?', params: [text, text + MAX] };
      const n = this.exactCount(`SELECT count(*) AS n FROM mailboxes m WHERE 1 ${plan.where} ${scope.where}`, [...plan.params, ...scope.params]);
      return { total: n, capped: false, plan, scope };
    }
    const match = `"${text.replace(/"/g, '""')}"`;
    // The exact size first, from the trigram index (remembered for the query's next pages). A dense match (over DENSE
    // rows) costs more to collect and sort than to find a page along the address index, so only a sparse one collects
    // its row ids, which are then the set the page is sorted from.
    const n =
      scope.where === ''
        ? this.exactCount('SELECT count(*) AS n FROM mailboxes_fts WHERE mailboxes_fts MATCH ?', [match])
        : this.exactCount(`SELECT count(*) AS n FROM mailboxes_fts f JOIN mailboxes m ON m.id = f.rowid WHERE f.mailboxes_fts MATCH ? ${scope.where}`, [match, ...scope.params]);
    if (n > DENSE) {
      const like = `%${escapeLike(text)}%`;
      return { total: n, capped: false, plan: { strategy: 'scan', where: "AND (m.address LIKE ? ESCAPE '\\' OR m.display_name LIKE ? ESCAPE '\\')", params: [like, like] }, scope };
    }
    const matched = (
      scope.where === ''
        ? this.stmt('SELECT rowid FROM mailboxes_fts WHERE mailboxes_fts MATCH ?')
        : this.stmt(`SELECT m.id FROM mailboxes_fts f JOIN mailboxes m ON m.id = f.rowid WHERE f.mailboxes_fts MATCH ? ${scope.where}`)
    )
      .pluck()
      .all(match, ...scope.params) as number[];
    return { total: n, capped: false, plan: { strategy: 'trigram', where: 'AND m.id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(matched)] }, scope };
  }

  /** A count, remembered until the cache changes (in this connection or another): every page of a query reuses it. */
  private exactCount(sql: string, params: readonly unknown[]): number {
    const key = `${sql}\n${JSON.stringify(params)}`;
    const stamp = `${this.db.pragma('data_version', { simple: true })}/${(this.stmt('SELECT total_changes() AS n').get() as { n: number }).n}`;
    if (this.counted?.key === key && this.counted.stamp === stamp) return this.counted.n;
    const n = (this.stmt(sql).get(...params) as { n: number }).n;
    this.counted = { key, stamp, n };
    return n;
  }

  private rows(plan: Plan, scope: Plan, order: Order, after: readonly (string | number)[] | null, limit: number, offset: number): MailboxRow[] {
    const key = after ? order.after : '';
    // The scan strategy relies on walking the address index in order and stopping at LIMIT.
    const from = plan.strategy === 'scan' && scope.where === '' && order.sort === 'address' ? 'mailboxes m INDEXED BY mailboxes_address_key' : 'mailboxes m';
    // Sort narrow (id and key only), then read the full rows of one page: sorting whole rows cost 3-4x more.
    const ids = this.stmt(`SELECT m.id FROM ${from} WHERE 1 ${plan.where} ${scope.where} ${key} ${order.by} LIMIT ? OFFSET ?`)
      .pluck()
      .all(...plan.params, ...scope.params, ...(after ?? []), limit, offset) as number[];
    if (ids.length === 0) return [];
    return this.stmt(`SELECT ${COLUMNS} FROM mailboxes m JOIN connections c ON c.id = m.connection_id WHERE m.id IN (SELECT value FROM json_each(?)) ${order.by}`).all(JSON.stringify(ids)) as MailboxRow[];
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
  // Literals, not parameters: the partial index (active = 0) and the usage index only serve a matching literal.
  if (query.status) clauses.push(query.status === 'active' ? 'AND m.active = 1' : 'AND m.active = 0');
  if (query.nearQuota) clauses.push(`AND ${SORT_EXPR.usage} >= ${NEAR_QUOTA_RATIO}`);
  return { strategy: 'all', where: clauses.join(' '), params };
}

function parseKey(key: string, sort: MailboxSort): readonly (string | number)[] {
  if (sort !== 'address') {
    try {
      const parsed = JSON.parse(key) as unknown;
      if (Array.isArray(parsed) && parsed.length === 3 && parsed.every((p) => typeof p === 'string' || typeof p === 'number')) return parsed as (string | number)[];
    } catch {
      // Falls through: a key from another order restarts at the first row.
    }
    return [sort === 'domain' ? '' : -Infinity, '', ''];
  }
  const at = key.lastIndexOf('\n');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}
