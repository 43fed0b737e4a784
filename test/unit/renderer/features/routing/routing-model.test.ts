import { describe, expect, it } from 'vitest';
import type { RoutingAnalysis } from '../../../../../shared/domain/routing.ts';
import { failingBadge, hopConditions, routeRows } from '../../../../../renderer/features/routing/routing-model.ts';

describe('routing rows', () => {
  it('follows chains to their end, stops at loops and carries the findings of each source', () => {
    const analysis: RoutingAnalysis = {
      nodes: [{ id: 'a@x.test', kind: 'alias', domain: 'x.test', connectionId: 'c' }],
      edges: [
        { from: 'a@x.test', to: 'b@x.test', kind: 'alias' },
        { from: 'b@x.test', to: 'a@x.test', kind: 'forward' },
        { from: 'c@x.test', to: 'd@gmail.com', kind: 'forward' },
      ],
      findings: [{ id: 'routing.loop', severity: 'error', message: 'loop', path: ['a@x.test', 'b@x.test', 'a@x.test'], domain: 'x.test' }],
      organisationDomains: ['x.test'],
    };
    const rows = routeRows(analysis);
    expect(rows.map((r) => r.from)).toEqual(['a@x.test', 'b@x.test', 'c@x.test']);
    expect(rows[0]!.chains).toEqual([['a@x.test', 'b@x.test', 'a@x.test']]);
    expect(rows[0]!.flags).toEqual(['routing.loop']);
    expect(rows[2]!.chains).toEqual([['c@x.test', 'd@gmail.com']]);
  });

  it('finds the condition of a conditional hop by its two ends, and none for a plain hop', () => {
    const conditionOf = hopConditions({
      nodes: [],
      edges: [
        { from: 'a@x.test', to: 'b@o.test', kind: 'forward', conditional: true, condition: 'from contains boss' },
        { from: 'a@x.test', to: 'c@o.test', kind: 'forward' },
        { from: 'c@o.test', to: 'b@o.test', kind: 'forward', conditional: true },
      ],
      findings: [],
      organisationDomains: ['x.test'],
    });
    expect(conditionOf('a@x.test', 'b@o.test')).toBe('from contains boss');
    expect(conditionOf('a@x.test', 'c@o.test')).toBeUndefined();
    expect(conditionOf('b@o.test', 'a@x.test')).toBeUndefined();
    expect(conditionOf('c@o.test', 'b@o.test')).toBe('some mail');
  });

  it('carries a forward\'s failures at receivers to its row, with the badge words', () => {
    const failures = { count: 1234, since: '2026-11-01T00:00:00.000Z', receivers: ['google.com', 'Outlook.com'] };
    const analysis: RoutingAnalysis = {
      nodes: [],
      edges: [
        { from: 'c@x.test', to: 'd@gmail.com', kind: 'forward', failingAtReceivers: failures },
        { from: 'c@x.test', to: 'e@x.test', kind: 'forward' },
      ],
      findings: [],
      organisationDomains: ['x.test'],
    };
    const [row] = routeRows(analysis);
    expect(row!.failing).toEqual([{ to: 'd@gmail.com', failures }]);
    const badge = failingBadge(row!.failing[0]!);
    expect(badge.label).toBe(`Fails DMARC at receivers (${(1234).toLocaleString()})`);
    expect(badge.title).toContain('since 2026-11-01');
    expect(badge.title).toContain('to d@gmail.com failing DMARC at google.com, Outlook.com');
  });
});
