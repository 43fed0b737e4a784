import type { Standard } from '../../shared/domain/standards.ts';

/** The standard Mailroom ships: what most business domains should meet, every rule in report mode to start with. */
export const EMAIL_BASELINE: Standard = {
  name: 'email baseline',
  version: 1,
  description: 'DMARC enforced with reports, strict SPF, strong DKIM, MTA-STS with TLS-RPT, DNSSEC, no blocklisting; no catch-alls or stray forwards.',
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
  ],
};
