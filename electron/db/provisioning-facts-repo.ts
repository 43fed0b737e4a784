import type { SpamThreshold, TenantSettings } from '../../shared/domain/provisioning.ts';
import type { Db } from './database.ts';

/** A cached mailbox as provisioning rules read it. */
export interface MailboxFact {
  readonly address: string;
  readonly active: boolean;
  readonly quotaBytes: number | null;
  readonly forwardTargets: readonly string[];
  /** Whether the forward keeps a copy in the mailbox (absent in older callers' facts: treat as true). */
  readonly keepCopy?: boolean;
  /** Last sign-in (ISO); null for never; absent when the platform does not report logins. */
  readonly lastLoginAt?: string | null;
  /** Absent when the platform does not report 2-Step Verification per user. */
  readonly twoStepEnforced?: boolean;
  /** Absent when the thresholds were not read. */
  readonly spamThreshold?: SpamThreshold;
}

/** A cached alias (or catch-all, `@domain`) as provisioning rules read it. */
export interface AliasFact {
  readonly address: string;
  readonly active: boolean;
  readonly targets: readonly string[];
}

/** What the inventory cache holds about one domain on one connection. */
export interface DomainFacts {
  readonly quotaBytes: number | null;
  readonly mailboxes: readonly MailboxFact[];
  readonly aliases: readonly AliasFact[];
  /** The connection's tenant-wide settings as last read; absent when never read. */
  readonly tenant?: TenantSettings;
}

interface MailboxRow {
  address: string;
  active: number;
  quota_bytes: number | null;
  forward_json: string | null;
  keep_copy: number;
  last_login_at: string | null;
  two_step_enforced: number | null;
  spam_threshold_json: string | null;
}

type AliasRow = { address: string; active: number; targets_json: string };

const mailboxFact = (m: MailboxRow): MailboxFact => ({
  address: m.address,
  active: m.active === 1,
  quotaBytes: m.quota_bytes,
  forwardTargets: m.forward_json ? (JSON.parse(m.forward_json) as string[]) : [],
  keepCopy: m.keep_copy === 1,
  ...(m.last_login_at !== null ? { lastLoginAt: m.last_login_at === 'never' ? null : m.last_login_at } : {}),
  ...(m.two_step_enforced !== null ? { twoStepEnforced: m.two_step_enforced === 1 } : {}),
  ...(m.spam_threshold_json !== null ? { spamThreshold: JSON.parse(m.spam_threshold_json) as SpamThreshold } : {}),
});
const aliasFact = (a: AliasRow): AliasFact => ({ address: a.address, active: a.active === 1, targets: JSON.parse(a.targets_json) as string[] });

const MAILBOX_COLUMNS = 'address, active, quota_bytes, forward_json, keep_copy, last_login_at, two_step_enforced, spam_threshold_json';

/** Read-only view of the inventory cache for provisioning rules. */
export class ProvisioningFactsRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      domain: db.prepare('SELECT quota_bytes FROM domains WHERE connection_id = ? AND name = ?'),
      mailboxes: db.prepare(`SELECT ${MAILBOX_COLUMNS} FROM mailboxes WHERE connection_id = ? AND domain = ? ORDER BY address`),
      tenant: db.prepare('SELECT settings_json FROM tenant_settings WHERE connection_id = ?'),
      aliases: db.prepare('SELECT address, active, targets_json FROM aliases WHERE connection_id = ? AND domain = ? ORDER BY address'),
      allDomains: db.prepare('SELECT name, quota_bytes FROM domains WHERE connection_id = ?'),
      allMailboxes: db.prepare(`SELECT domain, ${MAILBOX_COLUMNS} FROM mailboxes WHERE connection_id = ? ORDER BY domain, address`),
      allAliases: db.prepare('SELECT domain, address, active, targets_json FROM aliases WHERE connection_id = ? ORDER BY domain, address'),
    };
  }

  /** The cached facts of one domain on one connection. */
  facts(connectionId: string, domain: string): DomainFacts {
    const d = this.s.domain.get(connectionId, domain) as { quota_bytes: number | null } | undefined;
    const mailboxes = (this.s.mailboxes.all(connectionId, domain) as MailboxRow[]).map(mailboxFact);
    const aliases = (this.s.aliases.all(connectionId, domain) as AliasRow[]).map(aliasFact);
    return { quotaBytes: d?.quota_bytes ?? null, mailboxes, aliases, ...this.tenant(connectionId) };
  }

  /**
   * A reader of the same facts for one evaluation: each connection's domains are read together on first use (four
   * queries a connection instead of three a domain); a domain not among them is read alone.
   */
  reader(): (connectionId: string, domain: string) => DomainFacts {
    const byConnection = new Map<string, Map<string, DomainFacts>>();
    return (connectionId, domain) => {
      let all = byConnection.get(connectionId);
      if (!all) byConnection.set(connectionId, (all = this.connectionFacts(connectionId)));
      return all.get(domain) ?? this.facts(connectionId, domain);
    };
  }

  private connectionFacts(connectionId: string): Map<string, DomainFacts> {
    const tenant = this.tenant(connectionId);
    const group = <R extends { domain: string }, F>(rows: R[], fact: (row: R) => F): Map<string, F[]> => {
      const out = new Map<string, F[]>();
      for (const row of rows) {
        const list = out.get(row.domain);
        if (list) list.push(fact(row));
        else out.set(row.domain, [fact(row)]);
      }
      return out;
    };
    const mailboxes = group(this.s.allMailboxes.all(connectionId) as (MailboxRow & { domain: string })[], mailboxFact);
    const aliases = group(this.s.allAliases.all(connectionId) as (AliasRow & { domain: string })[], aliasFact);
    const domains = this.s.allDomains.all(connectionId) as { name: string; quota_bytes: number | null }[];
    return new Map(domains.map((d) => [d.name, { quotaBytes: d.quota_bytes, mailboxes: mailboxes.get(d.name) ?? [], aliases: aliases.get(d.name) ?? [], ...tenant }]));
  }

  private tenant(connectionId: string): { tenant?: TenantSettings } {
    const row = this.s.tenant.get(connectionId) as { settings_json: string } | undefined;
    return row ? { tenant: JSON.parse(row.settings_json) as TenantSettings } : {};
  }
}
