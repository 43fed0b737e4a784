import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, dnsServer, withId } from './dns-fixtures.ts';
import { fakeNameServer } from './fake-ns.ts';

// The CLI probes each NS address on the --dns port, so the scripted servers share Knot's port on other loopback addresses.
describe('name servers: redundancy, lame delegation, SOA serials and TCP', () => {
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    const port = Number(dnsServer().split(':')[1]);
    const serial = 2026010101;
    closers.push((await fakeNameServer('127.0.0.2', port, { rcode: 5, authoritative: false, serial, tcp: true })).close);
    closers.push((await fakeNameServer('127.0.0.3', port, { rcode: 0, authoritative: true, serial: serial + 1, tcp: true })).close);
    closers.push((await fakeNameServer('127.0.0.4', port, { rcode: 0, authoritative: true, serial, tcp: false })).close);
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });

  it('reports each zone\'s finding with its severity and leaves the clean zone alone', async () => {
    const zones = ['ns-redundancy', 'ns-lame', 'ns-serial-mismatch', 'ns-tcp-large-answer', 'clean'].map((z) => `${z}.dlv.test`);
    const { reports } = await check(zones, ['--test-nets', '--no-smtp']);
    const sev = (zone: string, id: string): string[] => withId(reports.get(`${zone}.dlv.test`), id).map((f) => f.severity);
    expect(sev('ns-redundancy', 'dns.ns-redundancy')).toEqual(['warning']);
    expect(withId(reports.get('ns-lame.dlv.test'), 'dns.ns-serial-mismatch')[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/127\.0\.0\.2.*REFUSED/) });
    expect(withId(reports.get('ns-serial-mismatch.dlv.test'), 'dns.ns-serial-mismatch')[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/2026010101.*2026010102/) });
    expect(sev('ns-serial-mismatch', 'dns.ns-tcp-large-answer')).toEqual([]);
    expect(withId(reports.get('ns-tcp-large-answer.dlv.test'), 'dns.ns-tcp-large-answer')[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/ns2\.ns-tcp-large-answer\.dlv\.test \(127\.0\.0\.4\)/) });
    expect(sev('ns-tcp-large-answer', 'dns.ns-serial-mismatch')).toEqual([]);
    for (const id of ['dns.ns-redundancy', 'dns.ns-serial-mismatch', 'dns.ns-tcp-large-answer']) expect(sev('clean', id)).toEqual([]);
  });
});
