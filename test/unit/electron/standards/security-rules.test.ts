import { describe, expect, it } from 'vitest';
import { evaluateSecurityRule, type SecurityRule } from '../../../../electron/standards/security-rules.ts';
import type { DomainFacts, MailboxFact } from '../../../../electron/db/provisioning-facts-repo.ts';
import type { Capabilities, Support } from '../../../../shared/domain/provisioning.ts';
import type { RuleMode } from '../../../../shared/domain/standards.ts';

const NOW = new Date('2026-12-06T12:00:00Z');
const native: Support = { level: 'native' };
const off: Support = { level: 'unsupported', manual: 'do it by hand' };
const caps = (security: Partial<Capabilities['security']>): Capabilities =>
  ({ kind: 'mailcow', security: { lastLogin: native, twoStepEnforcement: native, securityDefaults: native, spamThreshold: native, ...security } }) as unknown as Capabilities;
const box = (address: string, extra: Partial<MailboxFact> = {}): MailboxFact => ({ address, active: true, quotaBytes: null, forwardTargets: [], ...extra });
const facts = (mailboxes: MailboxFact[], tenant?: DomainFacts['tenant']): DomainFacts => ({ quotaBytes: null, mailboxes, aliases: [], ...(tenant ? { tenant } : {}) });
const rule = (id: SecurityRule, params?: Record<string, number>, mode: RuleMode = 'report') => ({ rule: id, mode, ...(params ? { params } : {}) });

describe('security rules over cached facts', () => {
  it('recent-login: never and older than `days` deviate; suspended mailboxes are not judged', () => {
    const mailboxes = [
      box('fresh@a.test', { lastLoginAt: '2026-11-20T09:00:00.000Z' }),
      box('idle@a.test', { lastLoginAt: '2026-08-01T09:00:00.000Z' }),
      box('never@a.test', { lastLoginAt: null }),
      box('gone@a.test', { active: false, lastLoginAt: null }),
    ];
    const check = evaluateSecurityRule(rule('provisioning.recent-login', { days: 30 }), 'a.test', facts(mailboxes), caps({}), 'mailcow', NOW);
    expect(check).toEqual({
      status: 'fail',
      misses: [
        { target: 'idle@a.test', expected: 'a sign-in within the last 30 days', current: 'last sign-in 2026-08-01' },
        { target: 'never@a.test', expected: 'a sign-in within the last 30 days', current: 'never signed in' },
      ],
    });
    // A wider window lets the August sign-in through; a mailbox never signed into stays a miss.
    const loose = evaluateSecurityRule(rule('provisioning.recent-login', { days: 200 }), 'a.test', facts(mailboxes), caps({}), 'mailcow', NOW);
    expect(loose.status === 'fail' && loose.misses.map((m) => m.target)).toEqual(['never@a.test']);
  });

  it('is unsupported where the capability says so (counted apart), unknown where the facts were not read', () => {
    const unsupported = evaluateSecurityRule(rule('provisioning.recent-login'), 'a.test', facts([box('x@a.test')]), caps({ lastLogin: off }), 'postfixadmin', NOW);
    expect(unsupported).toEqual({ status: 'unsupported', miss: { target: 'a.test', expected: 'a sign-in within the last 90 days', current: 'not supported on postfixadmin: do it by hand' } });
    expect(evaluateSecurityRule(rule('provisioning.recent-login'), 'a.test', facts([box('x@a.test')]), caps({}), 'mailcow', NOW).status).toBe('unknown');
    // Without a probed matrix, a vendor rule on another vendor's connection is still unsupported.
    expect(evaluateSecurityRule(rule('google.2sv-enforced'), 'a.test', facts([]), null, 'mailcow', NOW).status).toBe('unsupported');
    expect(evaluateSecurityRule(rule('google.2sv-enforced'), 'a.test', facts([box('x@a.test', { twoStepEnforced: true })]), null, 'google', NOW).status).toBe('pass');
  });

  it('google.2sv-enforced: every active user enforced; a mailbox read since the refresh does not hide a miss', () => {
    const mailboxes = [box('a@g.test', { twoStepEnforced: true }), box('b@g.test', { twoStepEnforced: false }), box('new@g.test')];
    const check = evaluateSecurityRule(rule('google.2sv-enforced'), 'g.test', facts(mailboxes), caps({}), 'google', NOW);
    expect(check.status === 'fail' && check.misses.map((m) => `${m.target}: ${m.current}`)).toEqual(['b@g.test: 2-Step Verification not enforced']);
  });

  it('m365.security-defaults: the tenant setting judges every domain of the connection; unread is unknown', () => {
    expect(evaluateSecurityRule(rule('m365.security-defaults'), 'c.test', facts([], { securityDefaults: false }), caps({}), 'microsoft', NOW)).toEqual({
      status: 'fail',
      misses: [{ target: 'c.test', expected: 'security defaults enabled', current: 'security defaults disabled' }],
    });
    expect(evaluateSecurityRule(rule('m365.security-defaults'), 'c.test', facts([], { securityDefaults: true }), caps({}), 'microsoft', NOW).status).toBe('pass');
    expect(evaluateSecurityRule(rule('m365.security-defaults'), 'c.test', facts([]), caps({}), 'microsoft', NOW).status).toBe('unknown');
  });

  it('mailcow.spam-threshold: both scores within [minScore, maxScore]', () => {
    const mailboxes = [box('ok@m.test', { spamThreshold: { low: 8, high: 15 } }), box('lax@m.test', { spamThreshold: { low: 8, high: 40 } }), box('eager@m.test', { spamThreshold: { low: 1, high: 15 } })];
    const check = evaluateSecurityRule(rule('mailcow.spam-threshold', { minScore: 2, maxScore: 20 }), 'm.test', facts(mailboxes), caps({}), 'mailcow', NOW);
    expect(check.status === 'fail' && check.misses.map((m) => `${m.target}: ${m.current} (${m.expected})`)).toEqual([
      'lax@m.test: spam thresholds 8,40 (spam thresholds within 2-20)',
      'eager@m.test: spam thresholds 1,15 (spam thresholds within 2-20)',
    ]);
  });
});
