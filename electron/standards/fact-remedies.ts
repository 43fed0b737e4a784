import type { SpamThreshold } from '../../shared/domain/provisioning.ts';
import type { Deviation, StandardRule } from '../../shared/domain/standards.ts';
import type { DomainFacts } from '../db/provisioning-facts-repo.ts';
import { outsideOrganisation, type Organisation } from './provisioning-rules.ts';
import type { Remedy } from './remediation.ts';

/** The cached facts remedies are worked out from (the same the evaluation judged). */
export interface RemedyFacts {
  facts(connectionId: string, domain: string): DomainFacts;
  /** The domains of a customer's organisation, as the evaluation counted them. */
  organisation(customer: string): Organisation;
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** The numbers of a `mailcow.spam-threshold` range (defaults as the rule reads them). */
export function spamRange(rule: StandardRule | undefined): { min: number; max: number } {
  const p = rule?.params ?? {};
  return { min: typeof p['minScore'] === 'number' ? p['minScore'] : 0, max: typeof p['maxScore'] === 'number' ? p['maxScore'] : 15 };
}

/** Thresholds moved into [min, max], each as little as it takes; null when the range leaves no room for low < high. */
export function clampThreshold(current: SpamThreshold, min: number, max: number): SpamThreshold | null {
  const clamp = (v: number): number => Math.min(max, Math.max(min, v));
  const low = clamp(current.low);
  const high = clamp(current.high);
  if (low < high) return { low, high };
  return min < max ? { low: min, high: max } : null;
}

/**
 * The fix for a deviation of a rule judged from cached facts, or null for rules this does not cover. Platform
 * changes are adapter remedies the caller applies through the router; what only a person should decide
 * (suspending an idle mailbox) or what the platform's API cannot change (Google 2SV) is a manual step.
 */
export function factRemedy(deviation: Deviation, rule: StandardRule | undefined, cache: RemedyFacts | undefined, manual: (how: string) => Remedy): Remedy | null {
  const base = { kind: 'adapter', rule: deviation.rule, target: deviation.target } as const;
  const connectionId = deviation.connectionId;
  switch (deviation.rule) {
    case 'google.2sv-enforced':
      // The Directory's isEnforcedIn2Sv is read-only and the Cloud Identity Policy API (v1) cannot write.
      return manual('Admin console › Security › Authentication › 2-Step Verification: allow enrolment and set Enforcement to On for the organisational unit.');
    case 'provisioning.recent-login':
      return manual(`Ask the owner of ${deviation.target} whether it is still used; suspend or delete it on its platform if not.`);
    case 'm365.security-defaults':
      return connectionId ? { ...base, connectionId, action: 'tenant.set', address: deviation.target, settings: { securityDefaults: true } } : manual('Entra admin center › Identity › Overview › Properties › Manage security defaults: Enabled.');
    case 'mailcow.spam-threshold': {
      const current = connectionId && cache ? cache.facts(connectionId, domainOf(deviation.target)).mailboxes.find((m) => m.address === deviation.target)?.spamThreshold : undefined;
      const { min, max } = spamRange(rule);
      const wanted = current ? clampThreshold(current, min, max) : null;
      return connectionId && wanted ? { ...base, connectionId, action: 'spam-threshold.set', address: deviation.target, threshold: wanted } : manual(`Set the spam thresholds of ${deviation.target} within ${min}-${max} (mailcow: Mailbox › Spam filter).`);
    }
    case 'provisioning.external-forward':
      return connectionId && cache && rule ? externalForwardRemedy(deviation, rule, connectionId, cache, manual) : manual('Remove the forward outside the organisation on its platform.');
    default:
      return null;
  }
}

// Only the targets outside the organisation go; the others (and a mailbox's keep-a-copy) stay as they are.
function externalForwardRemedy(deviation: Deviation, rule: StandardRule, connectionId: string, cache: RemedyFacts, manual: (how: string) => Remedy): Remedy {
  const base = { kind: 'adapter', rule: deviation.rule, target: deviation.target, connectionId, address: deviation.target } as const;
  const facts = cache.facts(connectionId, domainOf(deviation.target));
  const outside = outsideOrganisation(rule, cache.organisation(deviation.customer));
  const mailbox = facts.mailboxes.find((m) => m.address === deviation.target);
  if (mailbox) {
    const kept = mailbox.forwardTargets.filter((t) => !outside(t));
    return kept.length === 0 ? { ...base, action: 'forward.clear' } : { ...base, action: 'forward.set', targets: kept, keepCopy: mailbox.keepCopy ?? true };
  }
  const alias = facts.aliases.find((a) => a.address === deviation.target);
  if (!alias) return manual(`${deviation.target} is no longer in the cache: refresh the connection and evaluate again.`);
  const kept = alias.targets.filter((t) => !outside(t));
  return kept.length === 0 ? { ...base, action: 'alias.remove' } : { ...base, action: 'alias.set', targets: kept };
}
