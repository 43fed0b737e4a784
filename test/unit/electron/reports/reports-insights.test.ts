import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { ReportsRepo } from '../../../../electron/db/reports-repo.ts';
import { ReportsViewsRepo } from '../../../../electron/db/reports-views-repo.ts';
import { ReportsInsights } from '../../../../electron/reports/reports-insights.ts';
import { ReportsService } from '../../../../electron/reports/reports-service.ts';
import { aggregateXml, gz, tlsJson, type RecordSpec } from '../../../support/dmarc-reports.ts';

const NOW = 1_796_601_600; // 2026-12-07T00:00:00Z
const DAY = 86_400;

async function cacheWith(reports: { id: string; domain: string; daysAgo: number; records: RecordSpec[] }[]): Promise<ReportsInsights> {
  const db = openDatabase(':memory:');
  const service = new ReportsService(new ReportsRepo(db), () => NOW);
  const inputs = reports.map((r) => ({ name: `${r.id}.xml.gz`, bytes: gz(aggregateXml({ id: r.id, domain: r.domain, begin: NOW - (r.daysAgo + 1) * DAY, records: r.records })) }));
  inputs.push({ name: 'tls.json.gz', bytes: gz(tlsJson({ id: 'tls-1', domain: 'ready.test', ok: 90, failed: [{ type: 'certificate-expired', mx: 'mx2.ready.test', count: 7 }, { type: 'starttls-not-supported', mx: 'mx1.ready.test', count: 3 }] })) });
  const result = await service.ingest(inputs);
  expect(result.errors).toEqual([]);
  return new ReportsInsights(new ReportsViewsRepo(db), service, () => NOW);
}

describe('reports insights', () => {
  it('says ready for p=reject when ≥98% passes and every sizeable source aligns, and gives the generator\'s record', async () => {
    const insights = await cacheWith([
      { id: 'r1', domain: 'ready.test', daysAgo: 3, records: [{ ip: '192.0.2.1', count: 990 }, { ip: '203.0.113.5', count: 5, dkim: 'fail', spf: 'fail' }] },
      { id: 'r2', domain: 'ready.test', daysAgo: 1, records: [{ ip: '192.0.2.1', count: 1000 }] },
      // Outside the 30 days: its failures do not count. (A report's day is the day its period ends.)
      { id: 'old', domain: 'ready.test', daysAgo: 45, records: [{ ip: '198.51.100.1', count: 5000, dkim: 'fail', spf: 'fail' }] },
    ]);
    const v = insights.verdict('ready.test');
    expect([v.ready, v.messages, v.dmarcPass, v.reasons, v.blockers]).toEqual([true, 1995, 1990, [], []]);
    expect(v.published?.p).toBe('none');
    expect(v.record).toEqual({ name: '_dmarc.ready.test', type: 'TXT', value: 'v=DMARC1; p=reject; rua=mailto:dmarc-reports@ready.test', zoneValue: '"v=DMARC1; p=reject; rua=mailto:dmarc-reports@ready.test"' });
  });

  it('says why not: pass rate under 98%, and which sizeable sources are not aligned', async () => {
    const insights = await cacheWith([
      { id: 'n1', domain: 'notyet.test', daysAgo: 2, records: [
        { ip: '192.0.2.1', count: 900 },
        { ip: '198.51.100.20', count: 60, dkim: 'fail', spf: 'fail', dkimDomain: 'sendgrid.net', spfDomain: 'sendgrid.net' },
        { ip: '203.0.113.66', count: 40, dkim: 'fail', spf: 'fail' },
        { ip: '203.0.113.99', count: 1, dkim: 'fail', spf: 'fail' },
      ] },
    ]);
    const v = insights.verdict('notyet.test');
    expect(v.ready).toBe(false);
    expect(v.reasons).toEqual(['89.9% of 1001 messages passed DMARC; p=reject needs at least 98%.', '2 sources with at least 1% of the volume are not aligned.']);
    expect(v.blockers.map((b) => [b.sourceIp, b.messages, b.classification, b.knownSender])).toEqual([
      ['198.51.100.20', 60, 'authorised-unaligned', 'SendGrid'],
      ['203.0.113.66', 40, 'unknown', null],
    ]);
    expect(v.blockers[0]!.advice).toMatch(/SendGrid \(198\.51\.100\.20\) sends 60 messages .* DKIM key/);
    expect(insights.verdict('silent.test')).toMatchObject({ ready: false, messages: 0, passRate: null, published: null, reasons: [expect.stringMatching(/^No aggregate report for silent\.test/)] });
  });

  it('gives volume and DMARC passes per day, and TLS failures per receiving MX', async () => {
    const insights = await cacheWith([
      { id: 'd1', domain: 'days.test', daysAgo: 2, records: [{ ip: '192.0.2.1', count: 10 }, { ip: '192.0.2.2', count: 5, dkim: 'fail', spf: 'fail' }] },
      { id: 'd2', domain: 'days.test', daysAgo: 1, records: [{ ip: '192.0.2.1', count: 20 }] },
      { id: 'd3', domain: 'days.test', daysAgo: 1, records: [{ ip: '192.0.2.3', count: 4 }] },
    ]);
    expect(insights.days('days.test', 0)).toEqual([
      { day: '2026-12-04', messages: 15, dmarcPass: 10 },
      { day: '2026-12-05', messages: 24, dmarcPass: 24 },
    ]);
    expect(insights.tlsFailures('ready.test', 0)).toEqual([
      { policyDomain: 'ready.test', receivingMx: 'mx2.ready.test', resultType: 'certificate-expired', sessions: 7 },
      { policyDomain: 'ready.test', receivingMx: 'mx1.ready.test', resultType: 'starttls-not-supported', sessions: 3 },
    ]);
    expect(insights.tlsFailures('days.test', 0)).toEqual([]);
  });
});
