import type { Db } from './database.ts';

/** A cached mailbox as provisioning rules read it. */
export interface MailboxFact {
  readonly address: string;
  readonly active: boolean;
  readonly quotaBytes: number | null;
  readonly forwardTargets: readonly string[];
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
}

/** Read-only view of the inventory cache for provisioning rules. */
export class ProvisioningFactsRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      domain: db.prepare('SELECT quota_bytes FROM domains WHERE connection_id = ? AND name = ?'),
      mailboxes: db.prepare('SELECT address, active, quota_bytes, forward_json FROM mailboxes WHERE connection_id = ? AND domain = ? ORDER BY address'),
      aliases: db.prepare('SELECT address, active, targets_json FROM aliases WHERE connection_id = ? AND domain = ? ORDER BY address'),
    };
  }

  /** The cached facts of one domain on one connection. */
  facts(connectionId: string, domain: string): DomainFacts {
    const d = this.s.domain.get(connectionId, domain) as { quota_bytes: number | null } | undefined;
    const mailboxes = (this.s.mailboxes.all(connectionId, domain) as { address: string; active: number; quota_bytes: number | null; forward_json: string | null }[]).map((m) => ({
      address: m.address,
      active: m.active === 1,
      quotaBytes: m.quota_bytes,
      forwardTargets: m.forward_json ? (JSON.parse(m.forward_json) as string[]) : [],
    }));
    const aliases = (this.s.aliases.all(connectionId, domain) as { address: string; active: number; targets_json: string }[]).map((a) => ({
      address: a.address,
      active: a.active === 1,
      targets: JSON.parse(a.targets_json) as string[],
    }));
    return { quotaBytes: d?.quota_bytes ?? null, mailboxes, aliases };
  }
}
