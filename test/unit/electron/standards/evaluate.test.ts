import { describe, expect, it } from 'vitest';
import { deviationsForAlerts, evaluateStandard, type EvaluationInput } from '../../../../electron/standards/evaluate.ts';
import type { DomainFacts } from '../../../../electron/db/provisioning-facts-repo.ts';
import type { Capabilities } from '../../../../shared/domain/provisioning.ts';
import type { Standard } from '../../../../shared/domain/standards.ts';

const standard: Standard = {
  name: 's',
  version: 3,
  targets: { kind: 'all' },
  rules: [
    { rule: 'provisioning.catch-all', mode: 'alert' },
    { rule: 'provisioning.domain-limits', mode: 'report' },
  ],
};
const facts: Record<string, DomainFacts> = {
  'a.test': { quotaBytes: 1e9, mailboxes: [], aliases: [{ address: '@a.test', active: true, targets: ['x@a.test'] }] },
  'b.test': { quotaBytes: 1e9, mailboxes: [], aliases: [] },
  'c.test': { quotaBytes: null, mailboxes: [], aliases: [{ address: '@c.test', active: true, targets: ['x@c.test'] }] },
};
const noCatchAll = { alias: { catchAll: { level: 'unsupported', manual: 'not on this platform' } }, quota: { set: { level: 'native' } } } as unknown as Capabilities;

const input = (over: Partial<EvaluationInput> = {}): EvaluationInput => ({
  standard,
  targets: [
    { name: 'a.test', customer: 'Acme', connectionId: 'c1', connectionKind: 'postfixadmin' },
    { name: 'b.test', customer: 'Acme', connectionId: 'c1', connectionKind: 'postfixadmin' },
    { name: 'c.test', customer: 'Bolt', connectionId: 'c2', connectionKind: 'imap' },
  ],
  at: new Date('2026-12-06T10:00:00Z'),
  request: {},
  run: { servers: [] },
  facts: (_c, d) => facts[d]!,
  capabilities: (c) => (c === 'c2' ? noCatchAll : null),
  heldSince: new Map(),
  acceptances: [],
  ...over,
});

describe('evaluating a standard', () => {
  it('scores per domain and per customer, and a second time without the rules the platform cannot support', async () => {
    const e = await evaluateStandard(input());
    expect(e.evaluated).toBe(3);
    expect(e.domains['a.test']).toMatchObject({ score: 50, checks: 2, passed: 1 });
    expect(e.score).toEqual({ Acme: 75, Bolt: 0 });
    // Bolt's platform cannot hold a catch-all rule: only its missing domain quota counts in the supported score.
    expect(e.supportedScore).toEqual({ Acme: 75, Bolt: 0 });
    expect(e.deviations.map((d) => [d.rule, d.target, d.supported, d.since])).toEqual([
      ['provisioning.catch-all', '@a.test', true, '2026-12-06T10:00:00.000Z'],
      ['provisioning.catch-all', 'c.test', false, '2026-12-06T10:00:00.000Z'],
      ['provisioning.domain-limits', 'c.test', true, '2026-12-06T10:00:00.000Z'],
    ]);
    expect(e.alerts).toEqual([]);
    expect(deviationsForAlerts(e).map((d) => d.target)).toEqual(['@a.test', 'c.test']);
  });

  it('keeps the first-seen time of a deviation that still holds, and stops counting an accepted one', async () => {
    const e = await evaluateStandard(
      input({
        heldSince: new Map([['provisioning.catch-all @a.test', '2026-12-01T00:00:00.000Z']]),
        acceptances: [{ rule: 'provisioning.domain-limits', target: '*', reason: 'legacy box', by: 'ops', at: '2026-12-02T00:00:00.000Z' }],
      }),
    );
    expect(e.deviations.find((d) => d.target === '@a.test')?.since).toBe('2026-12-01T00:00:00.000Z');
    expect(e.deviations.some((d) => d.rule === 'provisioning.domain-limits')).toBe(false);
    expect(e.accepted).toEqual([expect.objectContaining({ rule: 'provisioning.domain-limits', target: 'c.test', accepted: { by: 'ops', reason: 'legacy box', at: '2026-12-02T00:00:00.000Z' } })]);
    expect(e.supportedScore['Bolt']).toBe(100);
    expect(e.score['Bolt']).toBe(50);
  });
});
