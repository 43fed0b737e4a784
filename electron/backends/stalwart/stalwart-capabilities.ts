import type { Capabilities, Support } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import type { StalwartContext } from './stalwart-context.ts';

/** What the admin's effective permissions (`/api/account`) allow beyond the registry objects. */
export interface StalwartGrants {
  /** `impersonate`: reach users' own JMAP accounts (their Sieve scripts). */
  readonly impersonate: boolean;
  /** `sysDkimSignatureCreate`: add DKIM signatures. */
  readonly dkim: boolean;
}

/** Fetches the JMAP session (which also checks the credentials) and the admin's permissions, and returns what the connection can do. */
export async function probe(ctx: StalwartContext, signal?: AbortSignal): Promise<Result<Capabilities>> {
  const session = await ctx.jmap.session(signal);
  if (!session.ok) return session;
  const account = await ctx.jmap.account(signal);
  if (!account.ok) return account;
  const has = (p: string): boolean => account.value.permissions.has(p);
  // The session names no server version; the JMAP management API itself means 0.16 or later.
  return ok(stalwartCapabilities(`0.16+ (${account.value.edition})`, { impersonate: has('impersonate'), dkim: has('sysDkimSignatureCreate') }));
}

/** What Stalwart 0.16's JMAP management API allows with these grants. */
export function stalwartCapabilities(version: string, grants: StalwartGrants): Capabilities {
  const native = { level: 'native' } as const;
  const forward: Support = grants.impersonate
    ? { level: 'emulated', how: "Sieve redirect in a script of the user's own account (JMAP for Sieve); refused while the user has another active script" }
    : { level: 'unsupported', manual: "Grant this admin the impersonate permission (Management › Roles), or add a Sieve redirect in the user's account." };
  return {
    kind: 'stalwart',
    version,
    domain: { list: native, create: native, remove: { level: 'native', how: 'refused while accounts or lists use the domain' }, alias: { level: 'native', how: 'Domain.aliases' } },
    mailbox: {
      list: native, create: native, update: native, remove: native,
      suspend: { level: 'emulated', how: 'authenticate disabled in the account permissions (no enabled flag); mail is still delivered' },
      setPassword: native,
      forcePasswordChange: { level: 'unsupported', manual: 'Stalwart has no "change at next login" flag; send the user a one-time password instead.' },
    },
    alias: { manage: { level: 'native', how: 'account alias (one target); several targets are a mailing list' }, catchAll: { level: 'native', how: 'Domain.catchAllAddress' } },
    group: { manage: native, model: 'list' },
    forward: {
      set: forward,
      read: grants.impersonate
        ? { level: 'native', how: "redirect commands in each account's active Sieve script (JMAP for Sieve)" }
        : { level: 'unsupported', manual: "Grant this admin the impersonate permission (Management › Roles) so Mailroom can read each account's Sieve scripts." },
      keepCopy: true,
      needsConfirmation: false,
    },
    quota: { set: { level: 'native', how: 'quotas.maxDiskQuota' } },
    usage: { read: { level: 'native', how: 'usedDiskQuota' }, freshness: 'live' },
    dkim: {
      generate: { level: 'unsupported', manual: "Stalwart generates and rotates keys itself when the domain's DKIM management is Automatic (WebUI › Domains); or install a key Mailroom generated." },
      install: grants.dkim
        ? { level: 'native', how: 'DkimSignature (DKIM1, stage active); with Automatic DKIM management Stalwart also signs with its own keys' }
        : { level: 'unsupported', manual: 'Grant this admin sysDkimSignatureCreate (Management › Roles).' },
    },
    security: {
      lastLogin: { level: 'unsupported', manual: 'Stalwart keeps logins in its tracing log, not on the account: WebUI › Telemetry › Logs.' },
      twoStepEnforcement: { level: 'unsupported', manual: 'Stalwart app passwords and TOTP are per account: WebUI › Account › Security.' },
      securityDefaults: { level: 'unsupported', manual: 'Microsoft 365 only.' },
      spamThreshold: { level: 'unsupported', manual: 'Spam filter scores are server settings: WebUI › Settings › Spam filter.' },
    },
  };
}
