import type { Capabilities, Support } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import * as exo from './exchange-cmdlets.ts';
import { call, type MicrosoftContext } from './microsoft-context.ts';

interface Sku { skuId: string; consumedUnits: number; prepaidUnits: { enabled: number }; servicePlans: { servicePlanName: string }[] }

const needsSidecar = (manual: string, how?: string): Support => ({ level: 'needs-sidecar', manual, ...(how ? { how } : {}) });

/** Checks the credentials, reads the tenant, picks the licence for new mailboxes and returns what the connection can do. */
export async function probe(ctx: MicrosoftContext, signal?: AbortSignal): Promise<Result<Capabilities>> {
  const auth = await ctx.session.authenticate();
  if (!auth.ok) return auth;
  const org = await call(ctx, 'organization', (g) => g.api('/organization').select('id,displayName').options(signal ? { signal } : {}).get());
  if (!org.ok) return org;
  const skus = await call<{ value: Sku[] }>(ctx, 'subscribedSkus', (g) => g.api('/subscribedSkus').get());
  if (!skus.ok) return skus;
  const withExchange = skus.value.value.filter((s) => s.servicePlans.some((p) => p.servicePlanName.startsWith('EXCHANGE_S_')));
  const free = withExchange.filter((s) => s.prepaidUnits.enabled - s.consumedUnits > 0);
  ctx.licenceSku = ctx.settings.licenseSkuId ?? free[0]?.skuId ?? withExchange[0]?.skuId ?? null;
  const licenceNote = ctx.licenceSku === null
    ? 'no Exchange licence in the tenant: new users get no mailbox'
    : free.some((s) => s.skuId === ctx.licenceSku) ? 'user + Exchange licence; the mailbox appears asynchronously' : 'Exchange licences are all assigned: new mailboxes stay pending';
  return ok(microsoftCapabilities(licenceNote));
}

/** What Graph (app-only) allows; `licenceNote` says what creating a mailbox will do in this tenant. */
export function microsoftCapabilities(licenceNote: string): Capabilities {
  const native: Support = { level: 'native' };
  return {
    kind: 'microsoft-365',
    version: 'graph v1.0',
    domain: {
      list: native,
      create: { level: 'native', how: 'unusable until verified through verificationDnsRecords + verify' },
      remove: { level: 'native', how: 'asynchronous' },
      alias: { level: 'unsupported', manual: 'No alias-domain object: add the domain and give each recipient an address in it.' },
    },
    mailbox: {
      list: native,
      create: { level: 'native', how: licenceNote },
      update: native,
      remove: native,
      suspend: { level: 'native', how: 'accountEnabled false + revokeSignInSessions; mail is still delivered' },
      setPassword: { level: 'native', how: 'needs the User Administrator role for app-only calls' },
      forcePasswordChange: { level: 'native', how: 'forceChangePasswordNextSignIn' },
    },
    alias: { manage: needsSidecar(exo.setMailboxAddresses('<mailbox>', ['<alias>'])), catchAll: needsSidecar(exo.catchAllWorkaround('<domain>', '<target>')) },
    group: { manage: { level: 'native', how: 'Microsoft 365 groups; distribution lists need Exchange Online PowerShell' }, model: 'object' },
    forward: {
      set: { level: 'emulated', how: 'inbox rule redirect (keeps a copy); external forwarding is blocked by the default outbound spam policy' },
      read: needsSidecar(exo.getMailboxForwarding(), 'inbox rules (forwardTo, redirectTo, forwardAsAttachmentTo) are read through Graph; mailbox forwarding (ForwardingSmtpAddress) is not in Graph'),
      keepCopy: true,
      needsConfirmation: false,
    },
    quota: { set: needsSidecar(exo.setMailboxQuota('<mailbox>', 50 * 1024 ** 3)) },
    usage: { read: needsSidecar(exo.getMailboxStatistics('<mailbox>')), freshness: 'none' },
    dkim: {
      generate: needsSidecar(exo.newDkimSigningConfig('<domain>')),
      install: { level: 'unsupported', manual: 'Microsoft 365 signs only with keys it generates (New-DkimSigningConfig); a key from Mailroom can sign on your own relay: export it (mailroom dkim export).' },
    },
    security: {
      lastLogin: { level: 'native', how: 'signInActivity (interactive or not), read on refresh; needs AuditLog.Read.All and Entra ID P1, without which the logins stay unread' },
      twoStepEnforcement: { level: 'unsupported', manual: 'Per-user MFA is not in Graph v1.0; security defaults or Conditional Access enforce it (see security defaults).' },
      securityDefaults: { level: 'native', how: 'policies/identitySecurityDefaultsEnforcementPolicy isEnabled (Policy.Read.All; Policy.ReadWrite.ConditionalAccess to change it)' },
      spamThreshold: { level: 'unsupported', manual: 'Exchange Online anti-spam policies have no score thresholds: Set-HostedContentFilterPolicy (BulkThreshold) in Exchange Online PowerShell.' },
    },
  };
}
