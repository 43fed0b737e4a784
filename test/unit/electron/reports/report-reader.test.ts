import { describe, expect, it } from 'vitest';
import type { AggregateReport, FailureReport, TlsReport } from '../../../../shared/domain/reports.ts';
import { readReportBytes, readReportFile, readReportMessage } from '../../../../electron/reports/report-reader.ts';
import { aggregateXml, arfMessage, gz, reportMessage, tlsJson, zip } from '../../../support/dmarc-reports.ts';

const records = [
  { ip: '192.0.2.10', count: 120 },
  { ip: '2001:db8::25', count: 7, dkim: 'fail', spf: 'fail', disposition: 'quarantine', reasons: [{ type: 'forwarded', comment: 'list' }] },
];

describe('aggregate reports', () => {
  it('reads RFC 7489 reports as plain XML, gzip and zip alike', async () => {
    const xml = aggregateXml({ id: 'r-1', domain: 'Example.TEST', records });
    for (const bytes of [Buffer.from(xml), gz(xml), await zip({ 'receiver!example.test!1!2.xml': xml })]) {
      const read = await readReportBytes('report', bytes);
      expect(read.errors).toEqual([]);
      const report = read.reports[0] as AggregateReport;
      expect(report).toMatchObject({ kind: 'aggregate', schema: 'rfc7489', orgName: 'receiver.example', reportId: 'r-1', domain: 'example.test', policy: { p: 'none', pct: 100 } });
      expect(report.records.map((r) => [r.sourceIp, r.count, r.dkim, r.spf, r.disposition])).toEqual([
        ['192.0.2.10', 120, 'pass', 'pass', 'none'],
        ['2001:db8::25', 7, 'fail', 'fail', 'quarantine'],
      ]);
      expect(report.records[1]!.reasons).toEqual([{ type: 'forwarded', comment: 'list' }]);
      expect(report.records[0]!.dkimDomains).toEqual([{ domain: 'example.test', selector: 's1', result: 'pass' }]);
    }
  });

  it('reads the DMARCbis schema (namespace, np, no pct) and says so', async () => {
    const read = await readReportBytes('bis.xml', Buffer.from(aggregateXml({ id: 'b-1', domain: 'example.test', records, schema: 'dmarcbis' })));
    expect(read.errors).toEqual([]);
    expect(read.reports[0]).toMatchObject({ schema: 'dmarcbis', policy: { np: 'reject', pct: null } });
  });

  it('accepts upper-case verdicts and skips empty reasons, as some receivers write them', async () => {
    const xml = aggregateXml({ id: 'u-1', domain: 'example.test', records: [{ ip: '192.0.2.1', count: 3, dkim: 'PASS', spf: 'Fail', reasons: [{ type: '' }] }] });
    const read = await readReportBytes('upper.xml', Buffer.from(xml));
    expect(read.errors).toEqual([]);
    expect((read.reports[0] as AggregateReport).records[0]).toMatchObject({ dkim: 'pass', spf: 'fail', reasons: [] });
  });

  it.each([
    ['not XML at all', Buffer.from('<feedback><report_metadata>'), /not well-formed XML/],
    ['invalid UTF-8', Buffer.concat([Buffer.from('<?xml version="1.0"?><feedback><x>'), Buffer.from([0xc3, 0x28]), Buffer.from('</x></feedback>')]), /not valid UTF-8/],
    ['a DTD (entity expansion)', Buffer.from('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><feedback>&lol;</feedback>'), /declares a DTD/],
    ['no report id', Buffer.from(aggregateXml({ id: '', domain: 'example.test', records })), /lacks report_id/],
    ['a bad source IP', Buffer.from(aggregateXml({ id: 'x', domain: 'example.test', records: [{ ip: '999.1.1.1', count: 1 }] })), /record 1 has "999.1.1.1", not an IP address/],
    ['a negative count', Buffer.from(aggregateXml({ id: 'x', domain: 'example.test', records: [{ ip: '192.0.2.1', count: -4 }] })), /count is "-4", not a whole number/],
    ['an unknown verdict', Buffer.from(aggregateXml({ id: 'x', domain: 'example.test', records: [{ ip: '192.0.2.1', count: 1, dkim: 'maybe' }] })), /"maybe", not pass or fail/],
    ['random bytes', Buffer.from([0x00, 0x01, 0x02, 0x03]), /neither a DMARC aggregate report/],
    ['broken gzip', Buffer.concat([gz('<feedback/>').subarray(0, 12)]), /not valid gzip/],
  ])('refuses %s with a reason and no report', async (_label, bytes, reason) => {
    const read = await readReportBytes('bad.xml', bytes);
    expect(read.reports).toEqual([]);
    expect(read.errors).toHaveLength(1);
    expect(read.errors[0]!.reason).toMatch(reason);
  });

  it('stops a gzip or zip bomb at the output limit', async () => {
    const huge = Buffer.alloc(5_000_000, 0x20);
    const limits = { maxInput: 1_000_000, maxOutput: 1_000_000, maxEntries: 4 };
    expect((await readReportBytes('bomb.xml.gz', gz(huge), limits)).errors[0]!.reason).toMatch(/expands past 1000000 bytes/);
    expect((await readReportBytes('bomb.zip', await zip({ 'a.xml': huge }), limits)).errors[0]!.reason).toMatch(/expands past 1000000 bytes/);
    expect((await readReportBytes('many.zip', await zip(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`${i}.xml`, 'x']))), limits)).errors[0]!.reason).toMatch(/more than 4 files/);
  });
});

describe('TLS reports', () => {
  it('reads RFC 8460 JSON, plain or gzip', async () => {
    const json = tlsJson({ id: 't-1', domain: 'example.test', ok: 900, failed: [{ type: 'certificate-expired', mx: 'MX.example.test.', count: 12 }] });
    for (const bytes of [Buffer.from(json), gz(json)]) {
      const read = await readReportBytes('tls.json', bytes);
      expect(read.errors).toEqual([]);
      const report = read.reports[0] as TlsReport;
      expect(report).toMatchObject({ kind: 'tls', reportId: 't-1', orgName: 'receiver.example' });
      expect(report.policies[0]).toMatchObject({ policyType: 'sts', policyDomain: 'example.test', successful: 900, failed: 12 });
      expect(report.policies[0]!.failures).toEqual([{ resultType: 'certificate-expired', sendingMtaIp: '192.0.2.9', receivingMx: 'mx.example.test', receivingIp: null, sessions: 12 }]);
    }
  });

  it('refuses a TLS report without a report-id', async () => {
    const read = await readReportBytes('tls.json', Buffer.from(JSON.stringify({ 'organization-name': 'x', policies: [] })));
    expect(read.errors[0]!.reason).toMatch(/lacks report-id/);
  });
});

describe('report messages', () => {
  it('finds a gzip attachment in a message, and the message file is told from a bare report', async () => {
    const xml = aggregateXml({ id: 'm-1', domain: 'example.test', records });
    const raw = await reportMessage({ subject: 'Report Domain: example.test Submitter: receiver.example Report-ID: m-1', attachment: { filename: 'r.xml.gz', content: gz(xml), contentType: 'application/gzip' } });
    const read = await readReportFile('msg.eml', raw);
    expect(read.errors).toEqual([]);
    expect(read.reports.map((r) => r.kind)).toEqual(['aggregate']);
  });

  it('reads a report sent as the message body', async () => {
    const raw = await reportMessage({ subject: 'Report', text: aggregateXml({ id: 'body-1', domain: 'example.test', records }) });
    const read = await readReportMessage('msg', raw);
    expect(read.reports).toMatchObject([{ kind: 'aggregate', reportId: 'body-1' }]);
  });

  it('reads an ARF failure report and a plain-text one', async () => {
    const arf = await readReportMessage('arf', await arfMessage({ domain: 'example.test', ip: '203.0.113.5', messageId: '<f1@receiver.example>' }));
    expect(arf.errors).toEqual([]);
    expect(arf.reports[0] as FailureReport).toMatchObject({ kind: 'failure', format: 'arf', domain: 'example.test', sourceIp: '203.0.113.5', authFailure: 'dmarc', originalFrom: 'ceo@example.test', originalSubject: 'Urgent wire transfer', key: 'mid:<f1@receiver.example>' });
    const text = 'A message claiming to be from you has failed the published DMARC policy for your domain.\n\n  Sender Domain: example.test\n  Sender IP Address: 198.51.100.7\n  Received Date: Sat, 05 Dec 2026 07:00:00 +0000\n  SPF Alignment: no\n  DKIM Alignment: no\n';
    const plain = await readReportMessage('plain', await reportMessage({ subject: 'DMARC failure report', text }));
    expect(plain.reports[0]).toMatchObject({ kind: 'failure', format: 'text', domain: 'example.test', sourceIp: '198.51.100.7' });
  });

  it('says so when a message carries no report', async () => {
    const read = await readReportMessage('hello', await reportMessage({ subject: 'Lunch?', text: 'See you at noon.' }));
    expect(read.reports).toEqual([]);
    expect(read.errors[0]!.reason).toMatch(/no report in this message/);
  });
});
