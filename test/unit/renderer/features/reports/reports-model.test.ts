import { describe, expect, it } from 'vitest';
import { customerOfDomain, failureReasons, reportCustomer, reportCustomers, sourcesCsv, sumDays, visibleSources, type SourceRow } from '../../../../../renderer/features/reports/reports-model.ts';
import { parseCsvRecords } from '../../../../../renderer/lib/csv.ts';

const source = (ip: string, messages: number, dmarcPass: number, extra: Partial<SourceRow> = {}): SourceRow => ({
  sourceIp: ip,
  messages,
  dmarcPass,
  dkimAligned: dmarcPass,
  spfAligned: 0,
  reporters: 1,
  firstSeen: 1_764_979_200,
  lastSeen: 1_765_065_599,
  classification: dmarcPass === messages ? 'aligned' : 'unknown',
  knownSender: null,
  ptr: undefined,
  ...extra,
});

describe('reports model', () => {
  it('sorts IPs naturally (10.0.0.9 before 10.0.0.10) and figures largest first, and filters on PTR and sender words', () => {
    const rows = [source('10.0.0.10', 5, 5), source('10.0.0.9', 50, 0), source('192.0.2.1', 20, 20, { knownSender: 'Google', ptr: { ip: '192.0.2.1', status: 'ok', names: ['mail-a.google.com'] } })];
    expect(visibleSources(rows, '', { key: 'ip', descending: false }).map((r) => r.sourceIp)).toEqual(['10.0.0.9', '10.0.0.10', '192.0.2.1']);
    expect(visibleSources(rows, '', { key: 'messages', descending: true }).map((r) => r.messages)).toEqual([50, 20, 5]);
    expect(visibleSources(rows, '', { key: 'pass', descending: true }).map((r) => r.sourceIp)).toEqual(['192.0.2.1', '10.0.0.10', '10.0.0.9']);
    expect(visibleSources(rows, 'mail-a google', { key: 'ip', descending: false }).map((r) => r.sourceIp)).toEqual(['192.0.2.1']);
    expect(visibleSources(rows, 'unknown', { key: 'ip', descending: false }).map((r) => r.sourceIp)).toEqual(['10.0.0.9']);
  });

  it('groups failed messages by why they failed, most first, and leaves out what passed', () => {
    const reasons = failureReasons([
      source('192.0.2.1', 100, 100),
      source('192.0.2.2', 40, 0, { classification: 'authorised-unaligned', knownSender: 'SendGrid' }),
      source('192.0.2.3', 30, 0),
      source('192.0.2.4', 15, 0),
      source('192.0.2.5', 8, 2, { classification: 'forwarded' }),
    ]);
    expect(reasons.map((r) => [r.messages, r.sources])).toEqual([
      [45, 2],
      [40, 1],
      [6, 1],
    ]);
    expect(reasons[1]!.reason).toMatch(/^SendGrid passes/);
    expect(reasons[2]!.reason).toMatch(/^Forwarded/);
  });

  it('sums several domains day by day in day order', () => {
    expect(sumDays([[{ day: '2026-12-02', messages: 5, dmarcPass: 4 }], [{ day: '2026-12-01', messages: 3, dmarcPass: 3 }, { day: '2026-12-02', messages: 1, dmarcPass: 0 }]])).toEqual([
      { day: '2026-12-01', messages: 3, dmarcPass: 3 },
      { day: '2026-12-02', messages: 6, dmarcPass: 4 },
    ]);
  });

  it('writes the CSV the table shows, which reads back to the same figures', () => {
    const rows = [source('192.0.2.1', 20, 18, { knownSender: 'Google, Inc.', ptr: { ip: '192.0.2.1', status: 'ok', names: ['a.example', 'b.example'] } })];
    const { records } = parseCsvRecords(sourcesCsv(rows));
    expect(records).toEqual([expect.objectContaining({ source_ip: '192.0.2.1', reverse_dns: 'a.example b.example', known_sender: 'Google, Inc.', messages: '20', dmarc_pass: '18', first_seen: '2025-12-06' })]);
  });

  it('maps each cached domain to its connection’s MSP customer, "unassigned" for a connection without one, never Google’s Directory customer id', () => {
    const conn = (id: string, customer: string | undefined, settings: Record<string, unknown> = {}) => ({ id, name: id, kind: 'google' as const, settings, hasSecret: true, createdAt: '', lastTest: null, ...(customer ? { customer } : {}) });
    const dom = (name: string, connectionId: string) => ({ name, connectionId }) as never;
    const connections = [conn('a', 'Acme'), conn('b', undefined, { customer: 'C01directory' })];
    const map = customerOfDomain(connections, [dom('Acme.test', 'a'), dom('other.test', 'b')]);
    expect([...map]).toEqual([['acme.test', 'Acme'], ['other.test', 'unassigned']]);
    expect(reportCustomer(map, 'ACME.test')).toBe('Acme');
    expect(reportCustomer(map, 'nowhere.test')).toBe('unassigned');
  });

  it('offers each customer with a report domain once, naturally sorted, "unassigned" last', () => {
    const map = new Map([['a.test', 'Client10'], ['b.test', 'Client9'], ['c.test', 'unassigned'], ['d.test', 'Client9']]);
    expect(reportCustomers(map, ['a.test', 'b.test', 'd.test', 'stray.test'])).toEqual(['Client9', 'Client10', 'unassigned']);
    expect(reportCustomers(map, ['a.test'])).toEqual(['Client10']);
  });
});
