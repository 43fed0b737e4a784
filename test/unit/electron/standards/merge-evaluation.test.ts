import { describe, expect, it } from 'vitest';
import { domainOfTarget, mergeRecheck } from '../../../../electron/standards/merge-evaluation.ts';
import type { Deviation, StandardEvaluation } from '../../../../shared/domain/standards.ts';

const dev = (rule: string, target: string, customer: string): Deviation => ({ rule, target, customer, expected: 'x', current: 'y', mode: 'report', since: '2026-12-01T00:00:00.000Z', supported: true });
const entry = (customer: string, checks: number, passed: number, supportedChecks: number, supportedPassed: number) => ({
  customer,
  checks,
  passed,
  supportedChecks,
  supportedPassed,
  score: Math.round((passed / checks) * 100),
  supportedScore: Math.round((supportedPassed / supportedChecks) * 100),
});

describe('domainOfTarget', () => {
  it('reads the domain of a domain, a catch-all and an address', () => {
    expect(['A.test', '@a.test', 'ann@A.test'].map(domainOfTarget)).toEqual(['a.test', 'a.test', 'a.test']);
  });
});

describe('mergeRecheck', () => {
  const previous: StandardEvaluation = {
    standard: 's',
    version: 1,
    at: '2026-12-01T00:00:00.000Z',
    evaluated: 3,
    score: { Acme: 50, Birch: 75 },
    supportedScore: { Acme: 50, Birch: 100 },
    domains: { 'a.test': entry('Acme', 4, 1, 4, 1), 'b.test': entry('Acme', 4, 3, 4, 3), 'c.test': entry('Birch', 4, 3, 2, 2) },
    deviations: [dev('spf.all-neutral', 'a.test', 'Acme'), dev('provisioning.catch-all', '@a.test', 'Acme'), dev('spf.all-neutral', 'b.test', 'Acme'), dev('spf.all-neutral', 'c.test', 'Birch')],
    accepted: [dev('provisioning.external-forward', 'ann@a.test', 'Acme')],
    alerts: [{ rule: 'spf.all-neutral', target: 'a.test', state: 'raised' }],
  };
  const recheck: StandardEvaluation = {
    ...previous,
    at: '2026-12-01T01:00:00.000Z',
    evaluated: 1,
    score: { Acme: 75 },
    supportedScore: { Acme: 100 },
    domains: { 'a.test': entry('Acme', 4, 3, 3, 3) },
    deviations: [dev('provisioning.catch-all', '@a.test', 'Acme')],
    accepted: [],
    alerts: [],
  };

  it("replaces the re-checked domain's deviations, acceptances and entry and keeps every other domain's", () => {
    const merged = mergeRecheck(previous, recheck, 'a.test');
    expect(merged.at).toBe(recheck.at);
    expect(merged.evaluated).toBe(3);
    expect(merged.deviations.map((d) => d.target).sort()).toEqual(['@a.test', 'b.test', 'c.test']);
    expect(merged.accepted).toEqual([]);
    expect(merged.domains['a.test']).toEqual(recheck.domains['a.test']);
    expect(merged.domains['c.test']).toEqual(previous.domains['c.test']);
    expect(merged.alerts).toEqual([]);
  });

  it("sums the re-checked customer's scores again over all its domains and leaves other customers' as they were", () => {
    const merged = mergeRecheck(previous, recheck, 'a.test');
    // Acme: (3 + 3) of (4 + 4) checks pass; supported (3 + 3) of (3 + 4).
    expect(merged.score).toEqual({ Acme: 75, Birch: 75 });
    expect(merged.supportedScore).toEqual({ Acme: Math.round((6 / 7) * 100), Birch: 100 });
  });

  it('keeps the supported score of a customer whose stored domains lack their supported counts', () => {
    const { supportedChecks: _c, supportedPassed: _p, ...old } = previous.domains['b.test']!;
    const merged = mergeRecheck({ ...previous, domains: { ...previous.domains, 'b.test': old } }, recheck, 'a.test');
    expect(merged.supportedScore['Acme']).toBe(50);
    expect(merged.score['Acme']).toBe(75);
  });
});
