/** Where a rule reads its facts: the deliverability checks, the provisioning cache, or platform settings cached beside it. */
export type RuleFamily = 'dns' | 'provisioning' | 'platform';

/** A rule Mailroom knows how to evaluate: its id, family and what it asks for. */
export interface RuleDefinition {
  readonly rule: string;
  readonly family: RuleFamily;
  readonly summary: string;
  /** Parameters it reads, with their type. */
  readonly params: Readonly<Record<string, 'string' | 'number' | 'strings'>>;
}

/**
 * Every rule. DNS rules carry the check catalogue's finding id they forbid
 * (shared/reference/deliverability-checks.md), so `rule` is greppable there.
 */
export const RULES: readonly RuleDefinition[] = [
  { rule: 'dmarc.policy-none', family: 'dns', summary: 'DMARC at least p=quarantine, with aggregate reports (to `rua` when given)', params: { rua: 'string' } },
  { rule: 'spf.all-neutral', family: 'dns', summary: 'SPF record ending in -all', params: {} },
  { rule: 'dkim.key-too-short', family: 'dns', summary: 'DKIM keys of at least 2048-bit RSA, or Ed25519', params: {} },
  { rule: 'mta-sts.mode-weak', family: 'dns', summary: 'MTA-STS in mode enforce, with TLS-RPT', params: {} },
  { rule: 'dns.dnssec-unsigned', family: 'dns', summary: 'DNSSEC-signed zone', params: {} },
  { rule: 'dnsbl.listed', family: 'dns', summary: 'No sending IP or domain on a blocklist', params: {} },
  { rule: 'provisioning.catch-all', family: 'provisioning', summary: 'No catch-all address', params: {} },
  { rule: 'provisioning.external-forward', family: 'provisioning', summary: 'No forward outside the organisation except to `allow` (domains or addresses)', params: { allow: 'strings' } },
  { rule: 'provisioning.suspended-forward', family: 'provisioning', summary: 'No suspended mailbox with an active forward', params: {} },
  { rule: 'provisioning.quota-range', family: 'provisioning', summary: 'Mailbox quotas within `minBytes`-`maxBytes`', params: { minBytes: 'number', maxBytes: 'number' } },
  { rule: 'provisioning.domain-limits', family: 'provisioning', summary: 'A storage quota set on every domain', params: {} },
  { rule: 'provisioning.recent-login', family: 'provisioning', summary: 'No active mailbox without a sign-in in the last `days` days (default 90), where the platform reports logins', params: { days: 'number' } },
  { rule: 'google.2sv-enforced', family: 'platform', summary: 'Google Workspace: 2-Step Verification enforced for every active user', params: {} },
  { rule: 'm365.security-defaults', family: 'platform', summary: 'Microsoft 365: Entra security defaults enabled', params: {} },
  { rule: 'mailcow.spam-threshold', family: 'platform', summary: 'mailcow: both spam thresholds of every mailbox within `minScore`-`maxScore`', params: { minScore: 'number', maxScore: 'number' } },
];

/** The definition of a rule id, or undefined. */
export function ruleDefinition(rule: string): RuleDefinition | undefined {
  return RULES.find((r) => r.rule === rule);
}
