import type { Capabilities, Support } from '../../shared/domain/provisioning.ts';
import type { StandardRule } from '../../shared/domain/standards.ts';
import type { DomainFacts, MailboxFact } from '../db/provisioning-facts-repo.ts';
import { fromMisses, type RuleCheck, type RuleMiss } from './rule-check.ts';

/** The rules read from security facts: last logins and platform settings. */
export const SECURITY_RULES = ['provisioning.recent-login', 'google.2sv-enforced', 'm365.security-defaults', 'mailcow.spam-threshold'] as const;

/** One of SECURITY_RULES. */
export type SecurityRule = (typeof SECURITY_RULES)[number];

/** Whether a rule id is judged by `evaluateSecurityRule`. */
export const isSecurityRule = (rule: string): rule is SecurityRule => (SECURITY_RULES as readonly string[]).includes(rule);

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 90;

// The capability flag each rule's facts come from: a platform that marks it unsupported cannot be held to the rule.
const CAPABILITY: Readonly<Record<SecurityRule, (c: Capabilities) => Support>> = {
  'provisioning.recent-login': (c) => c.security.lastLogin,
  'google.2sv-enforced': (c) => c.security.twoStepEnforcement,
  'm365.security-defaults': (c) => c.security.securityDefaults,
  'mailcow.spam-threshold': (c) => c.security.spamThreshold,
};

// Without a probed matrix, the platform a vendor rule is about is still known from the connection's kind (ConnectionKind).
const KIND: Partial<Record<SecurityRule, string>> = { 'google.2sv-enforced': 'google', 'm365.security-defaults': 'microsoft', 'mailcow.spam-threshold': 'mailcow' };

const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);

/** What a security rule expects, as shown on the drift page. */
export function securityExpected(rule: StandardRule): string {
  const p = rule.params ?? {};
  switch (rule.rule as SecurityRule) {
    case 'provisioning.recent-login':
      return `a sign-in within the last ${num(p['days'], DEFAULT_DAYS)} days`;
    case 'google.2sv-enforced':
      return '2-Step Verification enforced';
    case 'm365.security-defaults':
      return 'security defaults enabled';
    case 'mailcow.spam-threshold':
      return `spam thresholds within ${num(p['minScore'], 0)}-${num(p['maxScore'], 15)}`;
  }
}

/**
 * Evaluates one security rule over the cached facts of one domain. `unsupported` where the platform cannot
 * report the fact (its capability flag), `unknown` where it can but the last refresh did not read it.
 */
export function evaluateSecurityRule(rule: StandardRule & { rule: SecurityRule }, domain: string, facts: DomainFacts, capabilities: Capabilities | null, kind: string, now: Date): RuleCheck {
  const expected = securityExpected(rule);
  const miss = (target: string, current: string): RuleMiss => ({ target, expected, current });
  const support = capabilities ? CAPABILITY[rule.rule](capabilities) : KIND[rule.rule] && KIND[rule.rule] !== kind ? ({ level: 'unsupported' } as const) : null;
  if (support?.level === 'unsupported') return { status: 'unsupported', miss: miss(domain, `not supported on ${kind}${support.manual ? `: ${support.manual}` : ''}`) };
  const active = facts.mailboxes.filter((m) => m.active);
  switch (rule.rule) {
    case 'provisioning.recent-login': {
      const since = now.getTime() - num(rule.params?.['days'], DEFAULT_DAYS) * DAY_MS;
      return perMailbox(active, (m) => m.lastLoginAt, (login) => (login === null ? 'never signed in' : Date.parse(login) < since ? `last sign-in ${login.slice(0, 10)}` : null), miss, 'last logins');
    }
    case 'google.2sv-enforced':
      return perMailbox(active, (m) => m.twoStepEnforced, (enforced) => (enforced ? null : '2-Step Verification not enforced'), miss, '2-Step Verification');
    case 'mailcow.spam-threshold': {
      const min = num(rule.params?.['minScore'], 0);
      const max = num(rule.params?.['maxScore'], 15);
      return perMailbox(active, (m) => m.spamThreshold, (t) => (t.low >= min && t.high <= max && t.low <= t.high ? null : `spam thresholds ${t.low},${t.high}`), miss, 'spam thresholds');
    }
    case 'm365.security-defaults': {
      const enabled = facts.tenant?.securityDefaults;
      if (enabled === undefined) return { status: 'unknown', why: 'security defaults not read yet: refresh the connection (Graph needs Policy.Read.All)' };
      return fromMisses(enabled ? [] : [miss(domain, 'security defaults disabled')]);
    }
  }
}

// A mailbox whose fact was not read (created since the last refresh) cannot pass the rule: with no miss
// among the others, the domain is unknown rather than aligned.
function perMailbox<T>(mailboxes: readonly MailboxFact[], read: (m: MailboxFact) => T | undefined, judge: (value: T) => string | null, miss: (target: string, current: string) => RuleMiss, what: string): RuleCheck {
  const misses: RuleMiss[] = [];
  let unread = 0;
  for (const m of mailboxes) {
    const value = read(m);
    if (value === undefined) unread++;
    else {
      const current = judge(value);
      if (current !== null) misses.push(miss(m.address, current));
    }
  }
  if (misses.length === 0 && unread > 0) return { status: 'unknown', why: `${what} not read for ${unread} mailbox(es): refresh the connection` };
  return fromMisses(misses);
}
