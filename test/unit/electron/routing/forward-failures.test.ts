import { describe, expect, it } from 'vitest';
import type { ForwardedFailure } from '../../../../electron/db/reports-forwards-repo.ts';
import { markFailingForwards, receiverServes } from '../../../../electron/routing/forward-failures.ts';

describe('forwards failing DMARC at receivers', () => {
  it('knows which receiver takes mail for a domain: the same domain (or parent), or a provider under its report name', () => {
    expect(receiverServes('home.example', 'home.example')).toBe(true);
    expect(receiverServes('home.example', 'mx.home.example')).toBe(true);
    expect(receiverServes('google.com', 'gmail.com')).toBe(true);
    expect(receiverServes('Outlook.com', 'hotmail.com')).toBe(true);
    expect(receiverServes('Yahoo', 'aol.com')).toBe(true);
    expect(receiverServes('google.com', 'hotmail.com')).toBe(false);
    expect(receiverServes('example.com', 'notexample.com')).toBe(false);
  });

  it('marks only forwards whose target\'s receiver reported failures relayed for the forwarding domain, asking once per domain', () => {
    const asked: string[] = [];
    const rows: Record<string, ForwardedFailure[]> = {
      'x.test': [
        { org: 'google.com', beginAt: 1_764_979_200, count: 5 },
        { org: 'partner.example', beginAt: 1_765_000_000, count: 2 },
      ],
    };
    const edges = markFailingForwards(
      [
        { from: 'a@x.test', to: 'a@gmail.com', kind: 'forward' },
        { from: 'b@x.test', to: 'b@partner.example', kind: 'forward', keepCopy: false },
        { from: 'c@x.test', to: 'c@elsewhere.example', kind: 'forward' },
        { from: 'd@x.test', to: 'd@gmail.com', kind: 'alias' },
        { from: 'e@y.test', to: 'e@gmail.com', kind: 'forward' },
      ],
      (d) => (asked.push(d), rows[d] ?? []),
    );
    expect(asked).toEqual(['x.test', 'y.test']);
    expect(edges[0]).toEqual({ from: 'a@x.test', to: 'a@gmail.com', kind: 'forward', failingAtReceivers: { count: 5, since: '2025-12-06T00:00:00.000Z', receivers: ['google.com'] } });
    expect(edges[1]!.failingAtReceivers).toEqual({ count: 2, since: new Date(1_765_000_000_000).toISOString(), receivers: ['partner.example'] });
    expect(edges[1]!.keepCopy).toBe(false);
    for (const i of [2, 3, 4]) expect(edges[i]!.failingAtReceivers).toBeUndefined();
  });
});
