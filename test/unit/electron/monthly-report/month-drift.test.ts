import { describe, expect, it } from 'vitest';
import { alignmentOver, driftOver } from '../../../../electron/monthly-report/month-drift.ts';
import { monthBounds } from '../../../../electron/monthly-report/monthly-report-service.ts';
import { monthlyReportFromHash, monthlyReportHash } from '../../../../shared/lib/monthly-report-route.ts';
import type { Deviation, StandardEvaluation } from '../../../../shared/domain/standards.ts';

const deviation = (target: string, since: string, customer = 'Acme'): Deviation => ({ rule: 'spf.all-neutral', target, customer, expected: '-all', current: '~all', mode: 'report', since, supported: true });

const evaluation = (at: string, score: Record<string, number>, deviations: Deviation[], standard = 'baseline'): StandardEvaluation => ({
  standard,
  version: 1,
  at,
  evaluated: 1,
  score,
  supportedScore: Object.fromEntries(Object.entries(score).map(([c, s]) => [c, Math.min(100, s + 10)])),
  domains: {},
  deviations,
  accepted: [],
  alerts: [],
});

describe('monthBounds', () => {
  it('gives the first instant of the month and of the next in UTC, across a year end', () => {
    expect(monthBounds('2026-12')).toEqual({ from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
    expect(monthBounds('2026-02')).toEqual({ from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' });
  });

  it('refuses what is not a month', () => {
    for (const bad of ['2026-13', '2026-00', '26-01', '2026-1', '2026-01-01', '']) expect(monthBounds(bad)).toBeNull();
  });
});

describe('alignmentOver', () => {
  it("takes the customer's score at the first and last evaluation of each standard and the lowest between, ignoring runs that did not cover it", () => {
    const list = [
      evaluation('2026-11-01T03:00:00Z', { Acme: 80, Birch: 10 }, []),
      evaluation('2026-11-02T03:00:00Z', { Birch: 20 }, []),
      evaluation('2026-11-03T03:00:00Z', { acme: 60 }, []),
      evaluation('2026-11-04T03:00:00Z', { Acme: 90 }, []),
      evaluation('2026-11-04T04:00:00Z', { Acme: 50 }, [], 'strict'),
    ];
    expect(alignmentOver(list, 'Acme')).toEqual([
      { standard: 'baseline', evaluations: 3, first: 80, last: 90, lowest: 60, lastSupported: 100 },
      { standard: 'strict', evaluations: 1, first: 50, last: 50, lowest: 50, lastSupported: 60 },
    ]);
    expect(alignmentOver(list, 'Nobody')).toEqual([]);
  });
});

describe('driftOver', () => {
  const start = '2026-11-01T00:00:00.000Z';

  it('lists each deviation once with when it stopped holding; counts opened in the month, resolved and still open', () => {
    const old = deviation('old.test', '2026-10-20T00:00:00Z');
    const fixed = deviation('fixed.test', '2026-11-01T03:00:00Z');
    const late = deviation('late.test', '2026-11-03T03:00:00Z');
    const list = [
      evaluation('2026-11-01T03:00:00Z', { Acme: 50 }, [old, fixed, deviation('other.test', '2026-11-01T03:00:00Z', 'Birch')]),
      evaluation('2026-11-02T03:00:00Z', { Acme: 60 }, [old, fixed]),
      evaluation('2026-11-03T03:00:00Z', { Acme: 70 }, [old, late]),
    ];
    const drift = driftOver(list, 'Acme', start);
    expect(drift.items).toEqual([
      { standard: 'baseline', rule: 'spf.all-neutral', target: 'old.test', mode: 'report', since: old.since, resolvedAt: null },
      { standard: 'baseline', rule: 'spf.all-neutral', target: 'fixed.test', mode: 'report', since: fixed.since, resolvedAt: '2026-11-03T03:00:00Z' },
      { standard: 'baseline', rule: 'spf.all-neutral', target: 'late.test', mode: 'report', since: late.since, resolvedAt: null },
    ]);
    expect({ opened: drift.opened, resolved: drift.resolved, open: drift.open }).toEqual({ opened: 2, resolved: 1, open: 2 });
  });

  it('counts a deviation that went away and came back as two, the first resolved', () => {
    const first = deviation('flap.test', '2026-11-01T03:00:00Z');
    const again = deviation('flap.test', '2026-11-03T03:00:00Z');
    const list = [evaluation('2026-11-01T03:00:00Z', { Acme: 50 }, [first]), evaluation('2026-11-02T03:00:00Z', { Acme: 100 }, []), evaluation('2026-11-03T03:00:00Z', { Acme: 50 }, [again])];
    const drift = driftOver(list, 'Acme', start);
    expect(drift.items.map((i) => [i.since, i.resolvedAt])).toEqual([
      [first.since, '2026-11-02T03:00:00Z'],
      [again.since, null],
    ]);
    expect({ opened: drift.opened, resolved: drift.resolved, open: drift.open }).toEqual({ opened: 2, resolved: 1, open: 1 });
  });
});

describe('monthly report route', () => {
  it('round-trips a customer name with spaces, ampersands and non-ASCII letters, with and without a month', () => {
    for (const q of [{ customer: 'Acme & Söhne GmbH', month: '2026-11' }, { customer: 'a=b?c#d' }]) expect(monthlyReportFromHash(monthlyReportHash(q))).toEqual(q);
    expect(monthlyReportFromHash('#/overview')).toBeNull();
    expect(monthlyReportFromHash('#/overview/report?month=2026-11')).toBeNull();
  });
});
