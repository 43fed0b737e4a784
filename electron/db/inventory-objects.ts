import { conditionsJson } from './forward-conditions.ts';
import type { Db } from './database.ts';
import type { AliasInfo, DomainInfo, ForwardingInfo, GroupInfo, MailboxInfo } from '../../shared/domain/provisioning.ts';

const b = (v: boolean): number => (v ? 1 : 0);
const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

// A domain's mailbox count and usage follow its mailboxes here, as a full refresh would report them.
/** Writes single cache rows after a change, so a write never re-reads a whole domain. */
export class InventoryObjects {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Inserts or replaces one domain row. */
  putDomain(connectionId: string, d: DomainInfo, at: string): void {
    this.db
      .prepare(
        `INSERT INTO domains (connection_id, name, description, active, mailbox_count, quota_bytes, used_bytes, alias_domains_json, refreshed_at, stale)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT (connection_id, name) DO UPDATE SET description = excluded.description, active = excluded.active, mailbox_count = excluded.mailbox_count,
           quota_bytes = excluded.quota_bytes, used_bytes = excluded.used_bytes, alias_domains_json = excluded.alias_domains_json, refreshed_at = excluded.refreshed_at, stale = 0`,
      )
      .run(connectionId, d.name, d.description, b(d.active), d.mailboxCount, d.quotaBytes, d.usedBytes, d.aliasDomains ? JSON.stringify(d.aliasDomains) : null, at);
  }

  /** Drops a deleted domain with everything cached under it; it is no longer an alias of any other domain. */
  removeDomain(connectionId: string, name: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM domains WHERE connection_id = ? AND name = ?').run(connectionId, name);
      for (const table of ['mailboxes', 'aliases', 'groups']) this.db.prepare(`DELETE FROM ${table} WHERE connection_id = ? AND domain = ?`).run(connectionId, name);
      const targets = this.db.prepare('SELECT id, alias_domains_json FROM domains WHERE connection_id = ? AND alias_domains_json IS NOT NULL').all(connectionId) as { id: number; alias_domains_json: string }[];
      for (const t of targets) {
        const aliases = JSON.parse(t.alias_domains_json) as string[];
        if (!aliases.includes(name)) continue;
        const left = aliases.filter((a) => a !== name);
        this.db.prepare('UPDATE domains SET alias_domains_json = ? WHERE id = ?').run(left.length ? JSON.stringify(left) : null, t.id);
      }
    })();
  }

  /** Inserts or updates one mailbox; its forwarding stays, and usage the platform did not report keeps its cached value. */
  putMailbox(connectionId: string, m: MailboxInfo, at: string): void {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT id, domain, used_bytes, message_count FROM mailboxes WHERE connection_id = ? AND address = ?').get(connectionId, m.address) as
        | { id: number; domain: string; used_bytes: number | null; message_count: number | null }
        | undefined;
      const used = m.usedBytes ?? row?.used_bytes ?? null;
      const messages = m.messageCount ?? row?.message_count ?? null;
      if (row) {
        this.db
          .prepare('UPDATE mailboxes SET domain = ?, display_name = ?, active = ?, quota_bytes = ?, used_bytes = ?, message_count = ?, refreshed_at = ?, stale = 0 WHERE id = ?')
          .run(m.domain, m.displayName, b(m.active), m.quotaBytes, used, messages, at, row.id);
        this.adjustDomain(connectionId, row.domain, 0, -(row.used_bytes ?? 0));
        this.adjustDomain(connectionId, m.domain, 0, used ?? 0);
        return;
      }
      this.db
        .prepare(
          `INSERT INTO mailboxes (connection_id, address, domain, display_name, active, quota_bytes, used_bytes, message_count, forward_json, keep_copy, refreshed_at, stale)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, 0)`,
        )
        .run(connectionId, m.address, m.domain, m.displayName, b(m.active), m.quotaBytes, used, messages, at);
      this.adjustDomain(connectionId, m.domain, 1, used ?? 0);
    })();
  }

  /** Drops a deleted mailbox and takes it out of its domain's count and usage. */
  removeMailbox(connectionId: string, address: string): void {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT id, domain, used_bytes FROM mailboxes WHERE connection_id = ? AND address = ?').get(connectionId, address) as
        | { id: number; domain: string; used_bytes: number | null }
        | undefined;
      if (!row) return;
      this.db.prepare('DELETE FROM mailboxes WHERE id = ?').run(row.id);
      this.adjustDomain(connectionId, row.domain, -1, -(row.used_bytes ?? 0));
    })();
  }

  /** Records a mailbox's forwarding as a refresh would (no targets while it is off). */
  putForwarding(connectionId: string, f: ForwardingInfo, at: string): void {
    const targets = f.state !== 'off' ? f.targets : [];
    this.db
      .prepare('UPDATE mailboxes SET forward_json = ?, keep_copy = ?, forward_conditions_json = ?, refreshed_at = ? WHERE connection_id = ? AND address = ?')
      .run(targets.length ? JSON.stringify(targets) : null, b(f.keepCopy), conditionsJson(f), at, connectionId, f.address);
  }

  /** Inserts, replaces or (null) drops the alias at one address. */
  putAlias(connectionId: string, address: string, a: AliasInfo | null, at: string): void {
    if (a === null) {
      this.db.prepare('DELETE FROM aliases WHERE connection_id = ? AND address = ?').run(connectionId, address);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO aliases (connection_id, address, domain, targets_json, active, refreshed_at, stale) VALUES (?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT (connection_id, address) DO UPDATE SET domain = excluded.domain, targets_json = excluded.targets_json, active = excluded.active, refreshed_at = excluded.refreshed_at, stale = 0`,
      )
      .run(connectionId, a.address, a.domain, JSON.stringify(a.targets), b(a.active), at);
  }

  /** Inserts, replaces or (null) drops the group at one address. */
  putGroup(connectionId: string, address: string, g: GroupInfo | null, at: string): void {
    if (g === null) {
      this.db.prepare('DELETE FROM groups WHERE connection_id = ? AND address = ?').run(connectionId, address);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO groups (connection_id, address, domain, name, members_json, refreshed_at, stale) VALUES (?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT (connection_id, address) DO UPDATE SET domain = excluded.domain, name = excluded.name, members_json = excluded.members_json, refreshed_at = excluded.refreshed_at, stale = 0`,
      )
      .run(connectionId, g.address, domainOf(g.address), g.name, JSON.stringify(g.members), at);
  }

  // Figures the platform does not report (null) stay null.
  private adjustDomain(connectionId: string, domain: string, mailboxes: number, usedBytes: number): void {
    this.db
      .prepare(
        `UPDATE domains SET mailbox_count = CASE WHEN mailbox_count IS NULL THEN NULL ELSE max(0, mailbox_count + ?) END,
           used_bytes = CASE WHEN used_bytes IS NULL THEN NULL ELSE max(0, used_bytes + ?) END
         WHERE connection_id = ? AND name = ?`,
      )
      .run(mailboxes, usedBytes, connectionId, domain);
  }
}
