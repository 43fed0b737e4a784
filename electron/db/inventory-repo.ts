import { conditionsJson } from './forward-conditions.ts';
import type { Db } from './database.ts';
import { syncTable, type SyncTable } from './inventory-sync.ts';
import { MailboxSearch } from './mailbox-search.ts';
import { InventoryObjects } from './inventory-objects.ts';
import type { AliasInfo, DomainInfo, ForwardingInfo, GroupInfo, MailboxInfo, SpamThreshold, TenantSettings } from '../../shared/domain/provisioning.ts';
import type { CachedAlias, CachedDomain, CachedGroup, CachedMailbox, InventoryQuery, MailboxKeysetPage, MailboxPage, MailboxPageQuery } from '../../shared/domain/inventory.ts';
import type { ConnectionKind } from '../../shared/domain/connection.ts';

/** Everything one refresh read from a connection (or from one of its domains). */
export interface InventorySnapshot {
  readonly domains: readonly DomainInfo[];
  readonly mailboxes: readonly MailboxInfo[];
  readonly aliases: readonly AliasInfo[];
  readonly groups: readonly GroupInfo[];
  readonly forwarding: readonly ForwardingInfo[];
  /** Tenant-wide settings, when the platform has any (a whole-connection refresh only). */
  readonly tenant?: TenantSettings;
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

const TABLES = {
  domains: { table: 'domains', key: 'name', scope: 'name', columns: ['description', 'active', 'mailbox_count', 'quota_bytes', 'used_bytes', 'alias_domains_json'] },
  mailboxes: { table: 'mailboxes', key: 'address', scope: 'domain', columns: ['domain', 'display_name', 'active', 'quota_bytes', 'used_bytes', 'message_count', 'forward_json', 'keep_copy', 'forward_conditions_json', 'last_login_at', 'two_step_enforced', 'spam_threshold_json'] },
  aliases: { table: 'aliases', key: 'address', scope: 'domain', columns: ['domain', 'targets_json', 'active'] },
  groups: { table: 'groups', key: 'address', scope: 'domain', columns: ['domain', 'name', 'members_json'] },
} as const satisfies Record<string, SyncTable>;

/** The provisioning cache: what the console browses offline and searches as the user types. */
export class InventoryRepo {
  private readonly db: Db;
  private readonly s;
  private readonly search: MailboxSearch;
  private readonly objects: InventoryObjects;

  constructor(db: Db) {
    this.db = db;
    this.search = new MailboxSearch(db);
    this.objects = new InventoryObjects(db);
    this.s = {
      state: db.prepare(`INSERT INTO cache_state (connection_id, refreshed_at, last_attempt_at, last_error_code, last_error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (connection_id) DO UPDATE SET refreshed_at = coalesce(excluded.refreshed_at, refreshed_at), last_attempt_at = excluded.last_attempt_at,
          last_error_code = excluded.last_error_code, last_error = excluded.last_error, duration_ms = coalesce(excluded.duration_ms, duration_ms)`),
      tenant: db.prepare(`INSERT INTO tenant_settings (connection_id, settings_json, refreshed_at) VALUES (?, ?, ?)
        ON CONFLICT (connection_id) DO UPDATE SET settings_json = excluded.settings_json, refreshed_at = excluded.refreshed_at`),
    };
  }

  /** Writes a connection's inventory (or, with `domain`, that domain's part) as a diff, in one transaction. */
  replace(connectionId: string, snapshot: InventorySnapshot, at: string, domain: string | null = null, durationMs: number | null = null): void {
    const b = (v: boolean): number => (v ? 1 : 0);
    const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
    this.db.transaction(() => {
      const domains = new Map(snapshot.domains.map((d) => [d.name, [d.description, b(d.active), d.mailboxCount, d.quotaBytes, d.usedBytes, json(d.aliasDomains)]]));
      syncTable(this.db, TABLES.domains, connectionId, domain, domains, at);
      const forwards = new Map(snapshot.forwarding.map((f) => [f.address, f]));
      const mailboxes = new Map(
        snapshot.mailboxes.map((m) => {
          const f = forwards.get(m.address);
          const targets = f && f.state !== 'off' ? f.targets : [];
          const login = m.lastLoginAt === undefined ? null : (m.lastLoginAt ?? 'never');
          const twoStep = m.twoStepEnforced === undefined ? null : b(m.twoStepEnforced);
          return [m.address, [m.domain, m.displayName, b(m.active), m.quotaBytes, m.usedBytes, m.messageCount, targets.length ? JSON.stringify(targets) : null, b(f?.keepCopy ?? false), conditionsJson(f), login, twoStep, json(m.spamThreshold)]];
        }),
      );
      syncTable(this.db, TABLES.mailboxes, connectionId, domain, mailboxes, at);
      syncTable(this.db, TABLES.aliases, connectionId, domain, new Map(snapshot.aliases.map((a) => [a.address, [a.domain, JSON.stringify(a.targets), b(a.active)]])), at);
      syncTable(this.db, TABLES.groups, connectionId, domain, new Map(snapshot.groups.map((g) => [g.address, [domainOf(g.address), g.name, JSON.stringify(g.members)]])), at);
      if (snapshot.tenant) this.s.tenant.run(connectionId, JSON.stringify(snapshot.tenant), at);
      this.s.state.run(connectionId, domain === null ? at : null, at, null, null, durationMs);
    })();
  }

  /** Writes one domain as a change left it. */
  putDomain(connectionId: string, domain: DomainInfo, at: string): void {
    this.objects.putDomain(connectionId, domain, at);
  }

  /** Drops a deleted domain and everything cached under it. */
  removeDomain(connectionId: string, name: string): void {
    this.objects.removeDomain(connectionId, name);
  }

  /** Writes a mailbox's spam thresholds as a change left them. */
  putSpamThreshold(connectionId: string, address: string, threshold: SpamThreshold, at: string): void {
    this.db.prepare('UPDATE mailboxes SET spam_threshold_json = ?, refreshed_at = ? WHERE connection_id = ? AND address = ?').run(JSON.stringify(threshold), at, connectionId, address);
  }

  /** Writes a connection's tenant-wide settings as a change left them. */
  putTenantSettings(connectionId: string, settings: TenantSettings, at: string): void {
    this.s.tenant.run(connectionId, JSON.stringify(settings), at);
  }

  /** Writes one mailbox as a change left it (its domain's count and usage follow). */
  putMailbox(connectionId: string, mailbox: MailboxInfo, at: string): void {
    this.objects.putMailbox(connectionId, mailbox, at);
  }

  /** Drops a deleted mailbox (its domain's count and usage follow). */
  removeMailbox(connectionId: string, address: string): void {
    this.objects.removeMailbox(connectionId, address);
  }

  /** Writes a mailbox's forwarding as a change left it. */
  putForwarding(connectionId: string, forwarding: ForwardingInfo, at: string): void {
    this.objects.putForwarding(connectionId, forwarding, at);
  }

  /** Writes (or, with null, drops) the alias at one address. */
  putAlias(connectionId: string, address: string, alias: AliasInfo | null, at: string): void {
    this.objects.putAlias(connectionId, address, alias, at);
  }

  /** Writes (or, with null, drops) the group at one address. */
  putGroup(connectionId: string, address: string, group: GroupInfo | null, at: string): void {
    this.objects.putGroup(connectionId, address, group, at);
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
      .prepare(`SELECT d.*, ${ORIGIN} FROM domains d JOIN connections c ON c.id = d.connection_id ${where} ORDER BY natural_key(d.name), d.name, c.name LIMIT ? OFFSET ?`)
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

  /** One page of mailboxes; `text` is search-as-you-type (see MailboxSearch); the total is exact. */
  searchMailboxes(query: InventoryQuery = {}): MailboxPage {
    return this.search.search(query);
  }

  /** One keyset page of the mailbox table, in (address, connection) order. */
  pageMailboxes(query: MailboxPageQuery = {}): MailboxKeysetPage {
    return this.search.page(query);
  }

  /** The cached mailboxes with these addresses, on every connection. */
  mailboxesByAddress(addresses: readonly string[]): CachedMailbox[] {
    return this.search.byAddress(addresses);
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
      .prepare(`SELECT t.*, ${ORIGIN} FROM ${table} t JOIN connections c ON c.id = t.connection_id ${where}${extra} ORDER BY natural_key(t.address), t.address LIMIT ? OFFSET ?`)
      .all(...params, ...(text ? [`%${text}%`] : []), query.limit ?? 10_000, query.offset ?? 0) as (Origin & Record<string, unknown>)[];
  }
}

function filters(query: InventoryQuery, alias: string, domainColumn: string): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (query.connectionId) {
    clauses.push(`${alias}.connection_id = ?`);
    params.push(query.connectionId);
  }
  if (query.domain) {
    clauses.push(`${alias}.${domainColumn} = ?`);
    params.push(query.domain.toLowerCase());
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
