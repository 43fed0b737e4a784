import { describe, expect, it } from 'vitest';
import { forwardsOfRules, ruleCondition, type GraphMessageRule } from '../../../../../electron/backends/microsoft/microsoft-forwards.ts';

const to = (...a: string[]) => a.map((address) => ({ emailAddress: { address } }));
const rule = (id: string, conditions: GraphMessageRule['conditions'], target: string, exceptions: GraphMessageRule['exceptions'] = null): GraphMessageRule => ({
  id,
  isEnabled: true,
  conditions,
  exceptions,
  actions: { forwardTo: to(target) },
});

describe('inbox-rule forwards and their conditions', () => {
  it('puts a rule\'s conditions and exceptions in words, and a rule without any takes all mail', () => {
    expect(ruleCondition(rule('a', { fromAddresses: to('ceo@x.test'), subjectContains: ['invoice', 'due date'] }, 'p@o.test'))).toBe('from ceo@x.test and subject contains invoice or "due date"');
    expect(ruleCondition(rule('b', { hasAttachments: true }, 'p@o.test', { senderContains: ['noreply'] }))).toBe('has an attachment unless sender contains noreply');
    expect(ruleCondition(rule('c', {}, 'p@o.test'))).toBeNull();
    expect(ruleCondition(rule('d', { fromAddresses: [], isAutomaticForward: false, withinSizeRange: null }, 'p@o.test'))).toBeNull();
    // A predicate Mailroom has no words for is named, so the forward never looks unconditional.
    expect(ruleCondition(rule('e', { withinSizeRange: { minimumSize: 10, maximumSize: 20 } }, 'p@o.test'))).toBe('withinSizeRange (see the rule)');
  });

  it('marks a target conditional only while no rule forwards all mail to it', () => {
    const some = forwardsOfRules('ana@x.test', [rule('a', { fromAddresses: to('ceo@x.test') }, 'home@o.test'), rule('b', { subjectContains: ['tax'] }, 'home@o.test'), rule('c', { bodyContains: ['x'] }, 'tax@o.test')]);
    expect(some.conditions).toEqual({ 'home@o.test': 'from ceo@x.test or subject contains tax', 'tax@o.test': 'body contains x' });
    const all = forwardsOfRules('ana@x.test', [rule('a', { fromAddresses: to('ceo@x.test') }, 'home@o.test'), rule('b', null, 'home@o.test')]);
    expect(all).toEqual({ address: 'ana@x.test', targets: ['home@o.test'], keepCopy: true, state: 'active' });
  });
});
