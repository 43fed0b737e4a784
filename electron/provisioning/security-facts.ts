import type { BackendAdapter } from '../backends/adapter.ts';
import type { MailboxInfo, TenantSettings } from '../../shared/domain/provisioning.ts';
import type { Result } from '../../shared/errors/result.ts';

/** The security facts a refresh adds to the inventory: per-mailbox logins and spam thresholds, and the tenant's settings. */
export interface SecurityFacts {
  readonly mailboxes: readonly MailboxInfo[];
  readonly tenant?: TenantSettings;
}

// Every item, or null when any read failed: a partial list must not pass for the whole.
async function all<T>(items: AsyncIterable<Result<T>> | undefined): Promise<T[] | null> {
  if (!items) return null;
  const out: T[] = [];
  for await (const item of items) {
    if (!item.ok) return null;
    out.push(item.value);
  }
  return out;
}

/**
 * Reads what the standards' platform-setting rules judge, beside the inventory. These reads are decoration:
 * one the platform refuses (a Graph tenant without Entra ID P1 or Policy.Read.All, a mailcow key that cannot
 * see a mailbox) leaves the fact unread, so the rule is `unknown` there, rather than failing the whole refresh.
 */
export async function readSecurityFacts(adapter: BackendAdapter, domain: string | null, mailboxes: readonly MailboxInfo[], signal?: AbortSignal): Promise<SecurityFacts> {
  const logins = new Map((await all(adapter.listLastLogins?.(domain, signal)))?.map((l) => [l.address, l.lastLoginAt] as const));
  const thresholds = new Map((await all(adapter.listSpamThresholds?.(domain, signal)))?.map((t) => [t.address, { low: t.low, high: t.high }] as const));
  const withFacts = mailboxes.map((m) => ({
    ...m,
    ...(logins.has(m.address) ? { lastLoginAt: logins.get(m.address) ?? null } : {}),
    ...(thresholds.has(m.address) ? { spamThreshold: thresholds.get(m.address)! } : {}),
  }));
  const tenant = adapter.readTenantSettings ? await adapter.readTenantSettings(signal) : undefined;
  return { mailboxes: withFacts, ...(tenant?.ok ? { tenant: tenant.value } : {}) };
}
