import type { Capabilities } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import type { MailcowContext } from './mailcow-context.ts';
import { FORWARD_READ_HOW } from './mailcow-forwards.ts';
import { MANUAL_FORWARD } from './mailcow-forwarding.ts';

/** Reads the server version (which also checks the API key) and returns what the connection can do. */
export async function probe(ctx: MailcowContext, signal?: AbortSignal): Promise<Result<Capabilities>> {
  const version = await ctx.http.json<{ version?: string }>({ path: 'get/status/version', signal });
  if (!version.ok) return version;
  return ok(mailcowCapabilities(version.value.body?.version ?? null));
}

/** What a mailcow-dockerized server allows through its REST API. */
export function mailcowCapabilities(version: string | null): Capabilities {
  const native = { level: 'native' } as const;
  const fanout = { level: 'emulated', how: 'alias with several targets' } as const;
  return {
    kind: 'mailcow',
    version,
    domain: { list: native, create: native, remove: { level: 'native', how: 'refused while the domain has mailboxes' }, alias: { level: 'native', how: 'add/alias-domain' } },
    mailbox: {
      list: native,
      create: native,
      update: native,
      remove: native,
      suspend: { level: 'native', how: 'active 0 (or 2: login refused, mail accepted)' },
      setPassword: native,
      forcePasswordChange: { level: 'native', how: 'force_pw_update' },
    },
    alias: { manage: native, catchAll: { level: 'native', how: 'alias "@domain"' } },
    group: { manage: fanout, model: 'alias-fanout' },
    forward: { set: { level: 'unsupported', manual: MANUAL_FORWARD }, read: { level: 'native', how: FORWARD_READ_HOW }, keepCopy: false, needsConfirmation: false },
    quota: { set: { level: 'native', how: 'MiB on write' } },
    usage: { read: { level: 'native', how: 'quota_used' }, freshness: 'live' },
    dkim: {
      generate: { level: 'native', how: 'add/dkim: mailcow makes a 2048-bit RSA key and rspamd signs with it; one key per domain' },
      install: {
        level: 'unsupported',
        manual: "Let mailcow generate the key, or import yours in the UI (Configuration › Configuration & Details › ARC/DKIM keys › Import): mailcow's API log keeps request bodies in clear except fields named *pass*.",
      },
    },
    security: {
      lastLogin: { level: 'native', how: 'last_imap_login, last_pop3_login, last_smtp_login, last_sso_login (all 0 when SHOW_LAST_LOGIN is off)' },
      twoStepEnforcement: { level: 'unsupported', manual: 'mailcow has per-mailbox force_tfa, not a tenant policy; set it in the UI (Mailbox › Edit › Force 2FA).' },
      securityDefaults: { level: 'unsupported', manual: 'Microsoft 365 only.' },
      spamThreshold: { level: 'native', how: 'get/spam-score and edit/spam-score per mailbox (the server default where none is set)' },
    },
  };
}
