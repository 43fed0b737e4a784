import type { BackendAdapter } from '../backends/adapter.ts';
import type { MailboxInfo, SpamThreshold, TenantSettings } from '../../shared/domain/provisioning.ts';

/** The security facts a refresh adds to the inventory: per-mailbox spam thresholds and the tenant's settings. */
export interface SecurityFacts {
  readonly mailboxes: readonly MailboxInfo[];
  readonly tenant?: TenantSettings;
}

/**
 * Reads what the standards' platform-setting rules judge, beside the inventory. These reads are decoration:
 * one the platform refuses (a Graph app without Policy.Read.All, a mailcow key that cannot see a mailbox)
 * leaves the fact unread, so the rule is `unknown` there, rather than failing the whole refresh.
 */
export async function readSecurityFacts(adapter: BackendAdapter, domain: string | null, mailboxes: readonly MailboxInfo[], signal?: AbortSignal): Promise<SecurityFacts> {
  let withThresholds = mailboxes;
  if (adapter.listSpamThresholds) {
    const thresholds = new Map<string, SpamThreshold>();
    let complete = true;
    for await (const t of adapter.listSpamThresholds(domain, signal)) {
      if (!t.ok) {
        complete = false;
        break;
      }
      thresholds.set(t.value.address, { low: t.value.low, high: t.value.high });
    }
    if (complete) withThresholds = mailboxes.map((m) => (thresholds.has(m.address) ? { ...m, spamThreshold: thresholds.get(m.address)! } : m));
  }
  const tenant = adapter.readTenantSettings ? await adapter.readTenantSettings(signal) : undefined;
  return { mailboxes: withThresholds, ...(tenant?.ok ? { tenant: tenant.value } : {}) };
}
