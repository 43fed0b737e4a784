import type { Db } from './database.ts';
import type { AliasInfo, DomainInfo, ForwardingInfo, GroupInfo, MailboxInfo } from '../../shared/domain/provisioning.ts';
import type { CachedAlias, CachedDomain, CachedGroup, CachedMailbox, InventoryQuery, MailboxPage } from '../../shared/domain/inventory.ts';
import type { ConnectionKind } from '../../shared/domain/connection.ts';

/** Everything one refresh read from a connection (or from one of its domains). */
export interface InventorySnapshot {
  readonly domains: readonly DomainInfo[];
  readonly mailboxes: readonly MailboxInfo[];
  readonly aliases: readonly AliasInfo[];
  readonly groups: readonly GroupInfo[];
  readonly forwarding: readonly ForwardingInfo[];
}

const ORIGIN = 'c.name AS connection_name, c.kind AS connection_kind';

interface Origin {
  connection_id: string;
  connection_name: string;
  connection_kind: ConnectionKind;
  refreshed_at: string | null;
  stale: number;
}

const origin = (r: Origin) => ({
  connectionId: r.connection_id,
  connectionName: r.connection_name,
  connectionKind: r.connection_kind,
  refreshedAt: r.refreshed_at,
  stale: r.stale === 1,
});

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

/** The provisioning cache: what the console browses offline and searches as the user types. */
export class InventoryRepo {
  private readonly db: Db;
  private readonly s;

  constructor(db: Db) {
    this.db = db;
    this.s = {
      insertDomain: db.prepare(`INSERT INTO domains (connection_id, name, description, active, mailbox_count, quota_bytes, used_bytes, alias_domains_json, refreshed_at, stale)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
        ON CONFLICT (connection_id, name) DO UPDATE SET description = excluded.description, active = excluded.active, mailbox_count = excluded.mailbox_count,
          quota_bytes = excluded.quota_bytes, used_bytes = excluded.used_bytes, alias_domains_json = excluded.alias_domains_json, refreshed_at = excluded.refreshed_at, stale = 0`),
      insertMailbox: db.prepare(`INSERT INTO mailboxes (connection_id, address, domain, display_name, active, quota_bytes, used_bytes, message_count, forward_json, keep_copy, refreshed_at, stale)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`),
      insertAlias: db.prepare('INSERT INTO aliases (connection_id, address, domain, targets_json, active, refreshed_at, stale) VALUES (?, ?, ?, ?, ?, ?, 0)'),
      insertGroup: db.prepare('INSERT INTO groups (connection_id, address, domain, name, members_json, refreshed_at, stale) VALUES (?, ?, ?, ?, ?, ?, 0)'),
      state: db.prepare(`INSERT INTO cache_state (connection_id, refreshed_at, last_attempt_at, last_error_code, last_error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (connection_id) DO UPDATE SET refreshed_at = coalesce(excluded.refreshed_at, refreshed_at), last_attempt_at = excluded.last_attempt_at,
          last_error_code = excluded.last_error_code, last_error = excluded.last_error, duration_ms = coalesce(excluded.duration_ms, duration_ms)`),
    };
  }

  /** Replaces a connection's whole inventory (or, with `domain`, that domain's part) in one transaction. */
  replace(connectionId: string, snapshot: InventorySnapshot, at: string, domain: string | null = null, durationMs: number | null = null): void {
    this.db.transaction(() => {
      const scope = domain === null ? '' : ' AND domain = ?';
      const args = domain === null ? [connectionId] : [connectionId, domain];
      this.db.prepare(`DELETE FROM mailboxes WHERE connection_id = ?${scope}`).run(...args);
      this.db.prepare(`DELETE FROM aliases WHERE connection_id = ?${scope}`).run(...args);
      this.db.prepare(`DELETE FROM groups WHERE connection_id = ?${scope}`).run(...args);
      if (domain === null) this.db.prepare('DELETE FROM domains WHERE connection_id = ?').run(connectionId);
      else this.db.prepare('DELETE FROM domains WHERE connection_id = ? AND name = ? ').run(connectionId, domain);
      for (const d of snapshot.domains) {
        this.s.insertDomain.run(connectionId, d.name, d.description, d.active ? 1 : 0, d.mailboxCount, d.quotaBytes, d.usedBytes, d.aliasDomains ? JSON.stringify(d.aliasDomains) : null, at);
      }
      const forwards = new Map(snapshot.forwarding.map((f) => [f.address, f]));
      for (const m of snapshot.mailboxes) {
        const f = forwards.get(m.address);
        const targets = f && f.state !== 'off' ? f.targets : [];
        this.s.insertMailbox.run(connectionId, m.address, m.domain, m.displayName, m.active ? 1 : 0, m.quotaBytes, m.usedBytes, m.messageCount, targets.length ? JSON.stringify(targets) : null, f?.keepCopy ? 1 : 0, at);
      }
      for (const a of snapshot.aliases) this.s.insertAlias.run(connectionId, a.address, a.domain, JSON.stringify(a.targets), a.active ? 1 : 0, at);
      for (const g of snapshot.groups) this.s.insertGroup.run(connectionId, g.address, domainOf(g.address), g.name, JSON.stringify(g.members), at);
      this.s.state.run(connectionId, domain === null ? at : null, at, null, null, durationMs);
    })();
  }

  /** Marks a connection's rows stale after a failed refresh; the console keeps showing them. */
  markStale(connectionId: string, at: string, error: { code: string; message: string }, domain: string | null = null): void {
    this.db.transaction(() => {
      const scope = domain === null ? '' : ' AND domain = ?';
      const args = domain === null ? [connectionId] : [connectionId, domain];
      for (const table of ['mailboxes', 'aliases', 'groups']) this.db.prepare(`UPDATE ${table} SET stale = 1 WHERE connection_id = ?${scope}`).run(...args);
      this.db.prepare(`UPDATE domains SET stale = 1 WHERE connection_id = ?${domain === null ? '' : ' AND name = ?'}`).run(...args);
      this.s.state.run(connectionId, null, at, error.code, error.message, null);
    })();
  }

  /** When the connection was last refreshed in full; null when never. */
  refreshedAt(connectionId: string): string | null {
    const row = this.db.prepare('SELECT refreshed_at FROM cache_state WHERE connection_id = ?').get(connectionId) as { refreshed_at: string | null } | undefined;
    return row?.refreshed_at ?? null;
  }

  /** Domains across connections. */
  listDomains(query: InventoryQuery = {}): CachedDomain[] {
    const { where, params } = filters(query, 'd', 'name');
    const rows = this.db
      .prepare(`SELECT d.*, ${ORIGIN} FROM domains d JOIN connections c ON c.id = d.connection_id ${where} ORDER BY d.name LIMIT ? OFFSET ?`)
      .all(...params, query.limit ?? 10_000, query.offset ?? 0) as (Origin & Record<string, unknown>)[];
    return rows.map((r) => ({
      ...origin(r),
      name: String(r['name']),
      description: (r['description'] as string | null) ?? null,
      active: r['active'] === 1,
      mailboxCount: r['mailbox_count'] as number | null,
      quotaBytes: r['quota_bytes'] as number | null,
      usedBytes: r['used_bytes'] as number | null,
      ...(r['alias_domains_json'] ? { aliasDomains: JSON.parse(String(r['alias_domains_json'])) as string[] } : {}),
    }));
  }

  /** One page of mailboxes; `text` is a substring match on address or name (trigram FTS from 3 characters). */
  searchMailboxes(query: InventoryQuery = {}): MailboxPage {
    const { where, params } = filters(query, 'm', 'domain');
    const text = query.text?.trim() ?? '';
    let match = '';
    const matchParams: unknown[] = [];
    if (text.length >= 3) {
      match = `${where ? ' AND' : 'WHERE'} m.id IN (SELECT rowid FROM mailboxes_fts WHERE mailboxes_fts MATCH ?)`;
      matchParams.push(`"${text.replace(/"/g, '""')}"`);
    } else if (text.length > 0) {
      match = `${where ? ' AND' : 'WHERE'} (m.address LIKE ? ESCAPE '\\' OR m.display_name LIKE ? ESCAPE '\\')`;
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      matchParams.push(like, like);
    }
    const from = `FROM mailboxes m JOIN connections c ON c.id = m.connection_id ${where}${match}`;
    const total = (this.db.prepare(`SELECT count(*) AS n ${from}`).get(...params, ...matchParams) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT m.*, ${ORIGIN} ${from} ORDER BY m.address LIMIT ? OFFSET ?`)
      .all(...params, ...matchParams, query.limit ?? 100, query.offset ?? 0) as (Origin & Record<string, unknown>)[];
    return {
      total,
      rows: rows.map(
        (r): CachedMailbox => ({
          ...origin(r),
          address: String(r['address']),
          domain: String(r['domain']),
          displayName: (r['display_name'] as string | null) ?? null,
          active: r['active'] === 1,
          quotaBytes: r['quota_bytes'] as number | null,
          usedBytes: r['used_bytes'] as number | null,
          messageCount: r['message_count'] as number | null,
          forwardTargets: r['forward_json'] ? (JSON.parse(String(r['forward_json'])) as string[]) : [],
          keepCopy: r['keep_copy'] === 1,
        }),
      ),
    };
  }

  /** Aliases and catch-alls across connections. */
  listAliases(query: InventoryQuery = {}): CachedAlias[] {
    return this.listAddressed('aliases', query).map((r) => ({
      ...origin(r),
      address: String(r['address']),
      domain: String(r['domain']),
      targets: JSON.parse(String(r['targets_json'])) as string[],
      active: r['active'] === 1,
    }));
  }

  /** Groups across connections. */
  listGroups(query: InventoryQuery = {}): CachedGroup[] {
    return this.listAddressed('groups', query).map((r) => ({
      ...origin(r),
      address: String(r['address']),
      domain: String(r['domain']),
      name: (r['name'] as string | null) ?? null,
      members: JSON.parse(String(r['members_json'])) as string[],
    }));
  }

  private listAddressed(table: 'aliases' | 'groups', query: InventoryQuery): (Origin & Record<string, unknown>)[] {
    const { where, params } = filters(query, 't', 'domain');
    const text = query.text?.trim();
    const extra = text ? `${where ? ' AND' : 'WHERE'} t.address LIKE ?` : '';
    return this.db
      .prepare(`SELECT t.*, ${ORIGIN} FROM ${table} t JOIN connections c ON c.id = t.connection_id ${where}${extra} ORDER BY t.address LIMIT ? OFFSET ?`)
      .all(...params, ...(text ? [`%${text}%`] : []), query.limit ?? 10_000, query.offset ?? 0) as (Origin & Record<string, unknown>)[];
  }
}

function filters(query: InventoryQuery, alias: string, domainColumn: string): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (query.connectionId) (clauses.push(`${alias}.connection_id = ?`), params.push(query.connectionId));
  if (query.domain) (clauses.push(`${alias}.${domainColumn} = ?`), params.push(query.domain.toLowerCase()));
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
