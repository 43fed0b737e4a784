import type { Capabilities, Support } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { SCOPES } from './google-auth.ts';
import { call, customer, directory, type GoogleContext } from './google-context.ts';

/** Where per-user storage limits are set by hand. */
export const MANUAL_QUOTA = 'Google has no API for per-user storage limits: Admin console › Storage › set limits per OU or group.';
const MANUAL_CATCHALL = 'Admin console › Apps › Google Workspace › Gmail › Default routing.';
const MANUAL_DKIM = 'Admin console › Apps › Google Workspace › Gmail › Authenticate email.';
/** How to grant the Gmail settings scopes the forwarding calls need. */
export const MANUAL_DWD = 'Authorise the gmail.settings.basic and gmail.settings.sharing scopes for this client ID under Security › API controls › Domain-wide delegation.';

/** What a Google Workspace connection can do; forwarding and usage depend on the scopes delegated to the service account. */
export function googleCapabilities(canForward: boolean, canReadUsage: boolean): Capabilities {
  const native: Support = { level: 'native' };
  return {
    kind: 'google-workspace',
    version: 'directory_v1',
    domain: {
      list: native,
      create: { level: 'native', how: 'unusable until DNS ownership is verified' },
      remove: { level: 'native', how: 'refused while users or groups use the domain' },
      alias: { level: 'native', how: 'domainAliases; unusable until DNS ownership is verified' },
    },
    mailbox: {
      list: native,
      create: { level: 'native', how: 'consumes a licence' },
      update: native,
      remove: { level: 'native', how: 'restorable for 20 days' },
      suspend: { level: 'native', how: 'suspended + sign out' },
      setPassword: native,
      forcePasswordChange: { level: 'native', how: 'changePasswordAtNextLogin' },
    },
    alias: { manage: { level: 'native', how: 'user alias: exactly one target user' }, catchAll: { level: 'unsupported', manual: MANUAL_CATCHALL } },
    group: { manage: native, model: 'object' },
    forward: {
      set: canForward ? { level: 'native', how: 'Gmail auto-forwarding; external targets confirm first' } : { level: 'unsupported', manual: MANUAL_DWD },
      read: canForward
        ? { level: 'native', how: 'Gmail auto-forwarding and filters with a forward action, per user through delegation' }
        : { level: 'unsupported', manual: MANUAL_DWD },
      keepCopy: true,
      needsConfirmation: true,
    },
    quota: { set: { level: 'unsupported', manual: MANUAL_QUOTA } },
    usage: canReadUsage
      ? { read: { level: 'native', how: 'Reports API, several days old; MB read as MiB (approximate)' }, freshness: 'days' }
      : { read: { level: 'unsupported', manual: 'Authorise admin.reports.usage.readonly for domain-wide delegation.' }, freshness: 'none' },
    dkim: {
      generate: { level: 'unsupported', manual: MANUAL_DKIM },
      install: { level: 'unsupported', manual: `Google signs only with keys it generates (${MANUAL_DKIM}); a key from Mailroom can sign on your own relay: export it (mailroom dkim export).` },
    },
    security: {
      lastLogin: { level: 'native', how: 'Directory users.lastLoginTime' },
      twoStepEnforcement: { level: 'native', how: 'Directory users.isEnforcedIn2Sv (read-only: enforce in Admin console › Security › Authentication › 2-Step Verification)' },
      securityDefaults: { level: 'unsupported', manual: 'Microsoft 365 only; Google has 2-Step Verification enforcement instead.' },
      spamThreshold: { level: 'unsupported', manual: 'Gmail has no spam score thresholds; Admin console › Apps › Gmail › Spam, phishing and malware.' },
    },
  };
}

/** Lists the domains (which checks the key and the Directory scopes), then records which optional scopes were granted. */
export async function probe(ctx: GoogleContext, signal?: AbortSignal): Promise<Result<Capabilities>> {
  if (!ctx.auth) return err('input.invalid', 'Google: the stored secret is not a service-account key.');
  const domains = await call('domains.list', () => directory(ctx).domains.list({ customer: customer(ctx) }, { signal: signal ?? null }));
  if (!domains.ok) return domains;
  // Optional scopes: a token refused for them means the admin did not authorise them for DWD.
  ctx.canReadUsage = await tokenFor(ctx, ctx.settings.adminEmail, SCOPES.reports);
  ctx.canForward = await tokenFor(ctx, ctx.settings.adminEmail, SCOPES.gmail);
  return ok(googleCapabilities(ctx.canForward, ctx.canReadUsage));
}

/** Whether the service account may act as `subject` with `scopes` under domain-wide delegation. */
export async function tokenFor(ctx: GoogleContext, subject: string, scopes: readonly string[]): Promise<boolean> {
  try {
    await ctx.auth!.client(subject, scopes).getAccessToken();
    return true;
  } catch {
    // Refused (unauthorized_client) means not granted; the capability says where to grant it.
    return false;
  }
}
