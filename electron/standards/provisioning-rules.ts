import type { Capabilities, Support } from '../../shared/domain/provisioning.ts';
import type { StandardRule } from '../../shared/domain/standards.ts';
import type { DomainFacts } from '../db/provisioning-facts-repo.ts';
import { fromMisses, type RuleCheck, type RuleMiss } from './rule-check.ts';

/** Which addresses count as the organisation's own: its domains, plus an allowlist of domains and addresses. */
export interface Organisation {
  readonly domains: ReadonlySet<string>;
}

// The capability a rule's facts come from; a platform that cannot do it cannot be held to the rule.
const CAPABILITY: Readonly<Record<string, (c: Capabilities) => readonly Support[]>> = {
  'provisioning.catch-all': (c) => [c.alias.catchAll],
  'provisioning.external-forward': (c) => [c.forward.read],
  'provisioning.suspended-forward': (c) => [c.mailbox.suspend, c.forward.read],
  'provisioning.quota-range': (c) => [c.quota.set],
  'provisioning.domain-limits': (c) => [c.quota.set],
};

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const mb = (bytes: number | null): string => (bytes === null ? 'unlimited' : `${Math.round(bytes / 1e6)} MB`);

/** What a provisioning rule expects, as shown on the drift page. */
export function provisioningExpected(rule: StandardRule): string {
  const p = rule.params ?? {};
  switch (rule.rule) {
    case 'provisioning.catch-all':
      return 'no catch-all';
    case 'provisioning.external-forward':
      return `forwards only inside the organisation${Array.isArray(p['allow']) && p['allow'].length ? ` or to ${p['allow'].join(', ')}` : ''}`;
    case 'provisioning.suspended-forward':
      return 'no forward on a suspended mailbox';
    case 'provisioning.quota-range':
      return `quota between ${mb(typeof p['minBytes'] === 'number' ? p['minBytes'] : 0)} and ${mb(typeof p['maxBytes'] === 'number' ? p['maxBytes'] : null)}`;
    default:
      return 'a storage quota set on the domain';
  }
}

/** Evaluates one provisioning rule over the cached facts of one domain. */
export function evaluateProvisioningRule(rule: StandardRule, domain: string, facts: DomainFacts, org: Organisation, capabilities: Capabilities | null, kind: string): RuleCheck {
  const expected = provisioningExpected(rule);
  const miss = (target: string, current: string): RuleMiss => ({ target, expected, current });
  const missing = capabilities ? (CAPABILITY[rule.rule]?.(capabilities) ?? []).find((s) => s.level === 'unsupported') : undefined;
  if (missing) return { status: 'unsupported', miss: miss(domain, `not supported on ${kind}${missing.manual ? `: ${missing.manual}` : ''}`) };
  switch (rule.rule) {
    case 'provisioning.catch-all':
      return fromMisses(facts.aliases.filter((a) => a.active && a.address.startsWith('@')).map((a) => miss(a.address, `catch-all to ${a.targets.join(', ')}`)));
    case 'provisioning.external-forward':
      return externalForwards(rule, facts, org, miss);
    case 'provisioning.suspended-forward':
      return fromMisses(facts.mailboxes.filter((m) => !m.active && m.forwardTargets.length > 0).map((m) => miss(m.address, `suspended, forwarding to ${m.forwardTargets.join(', ')}`)));
    case 'provisioning.quota-range': {
      const min = typeof rule.params?.['minBytes'] === 'number' ? rule.params['minBytes'] : 0;
      const max = typeof rule.params?.['maxBytes'] === 'number' ? rule.params['maxBytes'] : null;
      const outside = facts.mailboxes.filter((m) => (m.quotaBytes === null ? max !== null : m.quotaBytes < min || (max !== null && m.quotaBytes > max)));
      return fromMisses(outside.map((m) => miss(m.address, `quota ${mb(m.quotaBytes)}`)));
    }
    default:
      return fromMisses(facts.quotaBytes === null ? [miss(domain, 'no domain quota')] : []);
  }
}

/** The test `provisioning.external-forward` applies to each forward target: outside the organisation and its allowlist. */
export function outsideOrganisation(rule: StandardRule, org: Organisation): (target: string) => boolean {
  const allow = new Set((Array.isArray(rule.params?.['allow']) ? rule.params['allow'] : []).map((a) => a.toLowerCase()));
  return (target) => {
    const t = target.toLowerCase();
    const d = domainOf(t);
    return !org.domains.has(d) && !allow.has(d) && !allow.has(t);
  };
}

function externalForwards(rule: StandardRule, facts: DomainFacts, org: Organisation, miss: (target: string, current: string) => RuleMiss): RuleCheck {
  const outside = outsideOrganisation(rule, org);
  const misses: RuleMiss[] = [];
  for (const m of facts.mailboxes) {
    const external = m.forwardTargets.filter(outside);
    if (external.length > 0) misses.push(miss(m.address, `forwards to ${external.join(', ')}`));
  }
  for (const a of facts.aliases) {
    const external = a.active ? a.targets.filter(outside) : [];
    if (external.length > 0) misses.push(miss(a.address, `${a.address.startsWith('@') ? 'catch-all' : 'alias'} to ${external.join(', ')}`));
  }
  return fromMisses(misses);
}
