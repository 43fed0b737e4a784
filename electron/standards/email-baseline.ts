import type { Standard } from '../../shared/domain/standards.ts';

/**
 * The standard Mailroom ships: what most business domains should meet. Version 2 adds idle mailboxes and the
 * platform settings, in report mode: each holds only on the platform it is about (elsewhere it is unsupported,
 * left out of the supported score), and changing a tenant's security is for a person to decide.
 */
export const EMAIL_BASELINE: Standard = {
  name: 'email baseline',
  version: 2,
  description: 'DMARC enforced with reports, strict SPF, strong DKIM, MTA-STS with TLS-RPT, DNSSEC, no blocklisting; no catch-alls or stray forwards; no idle mailboxes; 2-Step Verification, security defaults and sane spam thresholds.',
  targets: { kind: 'all' },
  rules: [
    { rule: 'dmarc.policy-none', mode: 'alert' },
    { rule: 'spf.all-neutral', mode: 'report' },
    { rule: 'dkim.key-too-short', mode: 'alert' },
    { rule: 'mta-sts.mode-weak', mode: 'report' },
    { rule: 'dns.dnssec-unsigned', mode: 'report' },
    { rule: 'dnsbl.listed', mode: 'alert' },
    { rule: 'provisioning.catch-all', mode: 'report' },
    { rule: 'provisioning.external-forward', mode: 'alert', params: { allow: [] } },
    { rule: 'provisioning.suspended-forward', mode: 'alert' },
    { rule: 'provisioning.quota-range', mode: 'report', params: { minBytes: 1e9, maxBytes: 100e9 } },
    { rule: 'provisioning.domain-limits', mode: 'report' },
    { rule: 'provisioning.recent-login', mode: 'report', params: { days: 90 } },
    { rule: 'google.2sv-enforced', mode: 'report' },
    { rule: 'm365.security-defaults', mode: 'report' },
    // mailcow ships rspamd at 8 (spam folder) and 15 (reject): within range; a mailbox that filters nothing is not.
    { rule: 'mailcow.spam-threshold', mode: 'report', params: { minScore: 2, maxScore: 20 } },
  ],
};
