import { describe, expect, it } from 'vitest';
import { evaluateProvisioningRule } from '../../../../electron/standards/provisioning-rules.ts';
import type { DomainFacts } from '../../../../electron/db/provisioning-facts-repo.ts';
import type { Capabilities, Support } from '../../../../shared/domain/provisioning.ts';

const facts: DomainFacts = {
  quotaBytes: null,
  mailboxes: [
    { address: 'ann@a.test', active: true, quotaBytes: 50e6, forwardTargets: ['ann@b.test', 'ann@gmail.test'] },
    { address: 'bo@a.test', active: false, quotaBytes: null, forwardTargets: ['bo@b.test'] },
    { address: 'cy@a.test', active: true, quotaBytes: 5e9, forwardTargets: [] },
  ],
  aliases: [
    { address: '@a.test', active: true, targets: ['ann@a.test'] },
    { address: 'old@a.test', active: false, targets: ['x@far.test'] },
    { address: 'desk@a.test', active: true, targets: ['desk@Partner.test', 'boss@far.test'] },
  ],
};
const org = { domains: new Set(['a.test', 'b.test']) };
const native: Support = { level: 'native' };
const caps = (catchAll: Support): Capabilities =>
  ({ alias: { manage: native, catchAll }, forward: { set: native, read: native }, mailbox: { suspend: native }, quota: { set: native } }) as unknown as Capabilities;

describe('provisioning rules over the inventory cache', () => {
  it('names each target that breaks a rule, with what is there', () => {
    expect(evaluateProvisioningRule({ rule: 'provisioning.catch-all', mode: 'report' }, 'a.test', facts, org, null, 'postfixadmin')).toEqual({
      status: 'fail',
      misses: [{ target: '@a.test', expected: 'no catch-all', current: 'catch-all to ann@a.test' }],
    });
    const forwards = evaluateProvisioningRule({ rule: 'provisioning.external-forward', mode: 'alert', params: { allow: ['partner.test'] } }, 'a.test', facts, org, null, 'postfixadmin');
    // Inside the organisation (b.test), allowlisted (any case), and inactive aliases do not count.
    expect(forwards.status === 'fail' && forwards.misses.map((m) => [m.target, m.current])).toEqual([
      ['ann@a.test', 'forwards to ann@gmail.test'],
      ['desk@a.test', 'alias to boss@far.test'],
    ]);
    const suspended = evaluateProvisioningRule({ rule: 'provisioning.suspended-forward', mode: 'alert' }, 'a.test', facts, org, null, 'postfixadmin');
    expect(suspended.status === 'fail' && suspended.misses.map((m) => m.target)).toEqual(['bo@a.test']);
    const quotas = evaluateProvisioningRule({ rule: 'provisioning.quota-range', mode: 'report', params: { minBytes: 100e6, maxBytes: 1e9 } }, 'a.test', facts, org, null, 'postfixadmin');
    expect(quotas.status === 'fail' && quotas.misses.map((m) => `${m.target} ${m.current}`)).toEqual(['ann@a.test quota 50 MB', 'bo@a.test quota unlimited', 'cy@a.test quota 5000 MB']);
    expect(evaluateProvisioningRule({ rule: 'provisioning.domain-limits', mode: 'report' }, 'a.test', facts, org, null, 'x').status).toBe('fail');
    expect(evaluateProvisioningRule({ rule: 'provisioning.domain-limits', mode: 'report' }, 'a.test', { ...facts, quotaBytes: 1e9 }, org, null, 'x')).toEqual({ status: 'pass' });
  });

  it('marks a rule the platform cannot support as unsupported, with its manual path, instead of judging it', () => {
    const check = evaluateProvisioningRule({ rule: 'provisioning.catch-all', mode: 'report' }, 'a.test', facts, org, caps({ level: 'unsupported', manual: 'Admin console › Routing' }), 'google');
    expect(check).toEqual({ status: 'unsupported', miss: { target: 'a.test', expected: 'no catch-all', current: 'not supported on google: Admin console › Routing' } });
    expect(evaluateProvisioningRule({ rule: 'provisioning.catch-all', mode: 'report' }, 'a.test', facts, org, caps(native), 'postfixadmin').status).toBe('fail');
  });
});
