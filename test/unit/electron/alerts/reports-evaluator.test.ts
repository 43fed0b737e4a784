import { describe, expect, it } from 'vitest';
import { reportsEvaluator, type ReportsEvaluatorDeps } from '../../../../electron/alerts/reports-evaluator.ts';
import type { ReportSource } from '../../../../shared/domain/reports.ts';

const NOW = 1_800_000_000;
const DAY = 86_400;
const source = (ip: string, over: Partial<ReportSource>): ReportSource => ({ sourceIp: ip, messages: 0, dmarcPass: 0, dkimAligned: 0, spfAligned: 0, reporters: 1, firstSeen: NOW - DAY, lastSeen: NOW, classification: 'unknown', knownSender: null, ...over }) as ReportSource;

function deps(over: Partial<ReportsEvaluatorDeps> = {}): ReportsEvaluatorDeps {
  return {
    domains: () => ['example.test'],
    sources: () => [],
    days: () => [],
    tlsFailures: () => [],
    now: () => NOW,
    ...over,
  };
}

describe('alerts from stored reports', () => {
  it('raises a candidate for a new unknown source at volume, not for a known, an old or a small one', async () => {
    const candidates = await reportsEvaluator(
      deps({
        sources: () => [
          source('203.0.113.7', { messages: 500, dmarcPass: 3 }),
          source('203.0.113.8', { messages: 99 }),
          source('203.0.113.9', { messages: 5000, firstSeen: NOW - 30 * DAY }),
          source('198.51.100.1', { messages: 5000, classification: 'aligned' }),
        ],
      }),
    )();
    expect(candidates.map((c) => `${c.rule} ${c.target}`)).toEqual(['reports.unknown-source example.test 203.0.113.7']);
    expect(candidates[0]!.current).toContain('500 messages');
  });

  it('raises the pass rate only under the threshold and over the minimum volume, summed over the window', async () => {
    const low = await reportsEvaluator(deps({ days: () => [{ day: '2027-01-14', messages: 60, dmarcPass: 50 }, { day: '2027-01-15', messages: 60, dmarcPass: 50 }] }))();
    expect(low.map((c) => c.rule)).toEqual(['reports.pass-rate']);
    expect(low[0]!.current).toBe('83.3% of 120 messages passed in 7 days');
    expect(await reportsEvaluator(deps({ days: () => [{ day: '2027-01-15', messages: 50, dmarcPass: 10 }] }))()).toEqual([]);
    expect(await reportsEvaluator(deps({ days: () => [{ day: '2027-01-15', messages: 1000, dmarcPass: 950 }] }))()).toEqual([]);
  });

  it('groups TLS failures by policy domain and receiving MX, and asks every view for the same window', async () => {
    const asked: number[] = [];
    const candidates = await reportsEvaluator(
      deps({
        domains: (since) => (asked.push(since), []),
        tlsFailures: (since) => (asked.push(since), [
          { policyDomain: 'example.test', receivingMx: 'mx1.example.test', resultType: 'certificate-expired', sessions: 3 },
          { policyDomain: 'example.test', receivingMx: 'mx1.example.test', resultType: 'starttls-not-supported', sessions: 2 },
          { policyDomain: 'example.test', receivingMx: 'mx2.example.test', resultType: 'validation-failure', sessions: 1 },
        ]),
      }),
    )();
    expect(candidates.map((c) => [c.target, c.current])).toEqual([
      ['example.test mx1.example.test', '5 failed session(s): certificate-expired, starttls-not-supported'],
      ['example.test mx2.example.test', '1 failed session(s): validation-failure'],
    ]);
    expect(asked).toEqual([NOW - 7 * DAY, NOW - 7 * DAY]);
  });
});
