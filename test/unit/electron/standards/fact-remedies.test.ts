import { describe, expect, it } from 'vitest';
import { clampThreshold, factRemedy, type RemedyFacts } from '../../../../electron/standards/fact-remedies.ts';
import type { Remedy } from '../../../../electron/standards/remediation.ts';
import type { DomainFacts } from '../../../../electron/db/provisioning-facts-repo.ts';
import type { Deviation } from '../../../../shared/domain/standards.ts';

const facts: DomainFacts = {
  quotaBytes: null,
  mailboxes: [
    { address: 'ann@a.test', active: true, quotaBytes: null, forwardTargets: ['ann@b.test', 'ann@gmail.test'], keepCopy: true },
    { address: 'bo@a.test', active: true, quotaBytes: null, forwardTargets: ['bo@far.test'], keepCopy: false, spamThreshold: { low: 1, high: 40 } },
  ],
  aliases: [
    { address: 'desk@a.test', active: true, targets: ['ann@a.test', 'desk@far.test'] },
    { address: '@a.test', active: true, targets: ['x@far.test'] },
  ],
};
const cache: RemedyFacts = { facts: () => facts, organisation: () => ({ domains: new Set(['a.test', 'b.test']) }) };
const manual = (how: string): Remedy => ({ kind: 'manual', rule: 'r', target: 't', how });
const deviation = (rule: string, target: string, extra: Partial<Deviation> = {}): Deviation => ({ rule, target, customer: 'Acme', connectionId: 'c1', expected: '', current: '', mode: 'remediate', since: '', supported: true, ...extra });
const forwardRule = { rule: 'provisioning.external-forward', mode: 'remediate' as const, params: { allow: [] } };

describe('remedies worked out from cached facts', () => {
  it('removes only the forward targets outside the organisation, keeping the rest and keep-a-copy', () => {
    expect(factRemedy(deviation('provisioning.external-forward', 'ann@a.test'), forwardRule, cache, manual)).toMatchObject({ kind: 'adapter', action: 'forward.set', address: 'ann@a.test', targets: ['ann@b.test'], keepCopy: true });
    expect(factRemedy(deviation('provisioning.external-forward', 'bo@a.test'), forwardRule, cache, manual)).toMatchObject({ action: 'forward.clear', address: 'bo@a.test' });
    expect(factRemedy(deviation('provisioning.external-forward', 'desk@a.test'), forwardRule, cache, manual)).toMatchObject({ action: 'alias.set', targets: ['ann@a.test'] });
    expect(factRemedy(deviation('provisioning.external-forward', '@a.test'), forwardRule, cache, manual)).toMatchObject({ action: 'alias.remove', address: '@a.test' });
    // An allowlisted domain stays too.
    const allowing = { ...forwardRule, params: { allow: ['gmail.test'] } };
    expect(factRemedy(deviation('provisioning.external-forward', 'ann@a.test'), allowing, cache, manual)).toMatchObject({ action: 'forward.set', targets: ['ann@b.test', 'ann@gmail.test'] });
  });

  it('moves spam thresholds into range as little as it takes, and turns security defaults on', () => {
    const spam = { rule: 'mailcow.spam-threshold', mode: 'remediate' as const, params: { minScore: 2, maxScore: 20 } };
    expect(factRemedy(deviation('mailcow.spam-threshold', 'bo@a.test'), spam, cache, manual)).toMatchObject({ action: 'spam-threshold.set', threshold: { low: 2, high: 20 } });
    expect(clampThreshold({ low: 8, high: 40 }, 2, 20)).toEqual({ low: 8, high: 20 });
    expect(clampThreshold({ low: 30, high: 40 }, 2, 20)).toEqual({ low: 2, high: 20 });
    expect(clampThreshold({ low: 30, high: 40 }, 5, 5)).toBeNull();
    expect(factRemedy(deviation('m365.security-defaults', 'c.test'), undefined, cache, manual)).toMatchObject({ action: 'tenant.set', address: 'c.test', settings: { securityDefaults: true } });
  });

  it('leaves to a person what the API cannot change or only a person should decide', () => {
    expect(factRemedy(deviation('google.2sv-enforced', 'ann@a.test'), undefined, cache, manual)).toMatchObject({ kind: 'manual', how: expect.stringContaining('2-Step Verification') });
    expect(factRemedy(deviation('provisioning.recent-login', 'ann@a.test'), undefined, cache, manual)).toMatchObject({ kind: 'manual' });
    expect(factRemedy(deviation('mailcow.spam-threshold', 'ann@a.test'), undefined, cache, manual)).toMatchObject({ kind: 'manual' });
    expect(factRemedy(deviation('provisioning.catch-all', '@a.test'), undefined, cache, manual)).toBeNull();
  });
});
