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

/** Read-only view of the inventory cache for provisioning rules. */
export class ProvisioningFactsRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      domain: db.prepare('SELECT quota_bytes FROM domains WHERE connection_id = ? AND name = ?'),
      mailboxes: db.prepare('SELECT address, active, quota_bytes, forward_json, keep_copy, last_login_at, two_step_enforced, spam_threshold_json FROM mailboxes WHERE connection_id = ? AND domain = ? ORDER BY address'),
      tenant: db.prepare('SELECT settings_json FROM tenant_settings WHERE connection_id = ?'),
      aliases: db.prepare('SELECT address, active, targets_json FROM aliases WHERE connection_id = ? AND domain = ? ORDER BY address'),
    };
  }

  /** The cached facts of one domain on one connection. */
  facts(connectionId: string, domain: string): DomainFacts {
    const d = this.s.domain.get(connectionId, domain) as { quota_bytes: number | null } | undefined;
    const mailboxes = (this.s.mailboxes.all(connectionId, domain) as MailboxRow[]).map((m) => ({
      address: m.address,
      active: m.active === 1,
      quotaBytes: m.quota_bytes,
      forwardTargets: m.forward_json ? (JSON.parse(m.forward_json) as string[]) : [],
      keepCopy: m.keep_copy === 1,
      ...(m.last_login_at !== null ? { lastLoginAt: m.last_login_at === 'never' ? null : m.last_login_at } : {}),
      ...(m.two_step_enforced !== null ? { twoStepEnforced: m.two_step_enforced === 1 } : {}),
      ...(m.spam_threshold_json !== null ? { spamThreshold: JSON.parse(m.spam_threshold_json) as SpamThreshold } : {}),
    }));
    const aliases = (this.s.aliases.all(connectionId, domain) as { address: string; active: number; targets_json: string }[]).map((a) => ({
      address: a.address,
      active: a.active === 1,
      targets: JSON.parse(a.targets_json) as string[],
    }));
    const tenant = this.s.tenant.get(connectionId) as { settings_json: string } | undefined;
    return { quotaBytes: d?.quota_bytes ?? null, mailboxes, aliases, ...(tenant ? { tenant: JSON.parse(tenant.settings_json) as TenantSettings } : {}) };
  }
}
