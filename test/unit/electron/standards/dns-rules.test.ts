import { describe, expect, it } from 'vitest';
import { evaluateDnsRule } from '../../../../electron/standards/dns-rules.ts';
import { DnsClient } from '../../../../electron/dns/resolver.ts';
import type { DomainReport } from '../../../../shared/domain/dns.ts';

// TXT answers as the resolver gives them (arrays of character-strings); a missing name is NXDOMAIN, "timeout" times out.
const client = (txt: Record<string, string[] | 'timeout'>): DnsClient =>
  new DnsClient(async (name) => {
    const answer = txt[name];
    if (answer === 'timeout') throw Object.assign(new Error('timeout'), { code: 'ETIMEOUT' });
    if (!answer) throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' });
    return answer.map((r) => [r]);
  });
const report = (findings: DomainReport['findings'] = [], dmarcPolicy: DomainReport['dmarcPolicy'] = 'reject'): DomainReport => ({ domain: 'a.test', score: 100, findings, dmarcPolicy });
const env = (txt: Record<string, string[] | 'timeout'>) => ({ dns: client(txt), dnssecChecked: true });

describe('DNS rules over a check report', () => {
  it('SPF: only -all holds; ~all (which the checks accept) deviates; a redirect is followed', async () => {
    const rule = { rule: 'spf.all-neutral', mode: 'report' } as const;
    expect(await evaluateDnsRule(rule, report(), env({ 'a.test': ['v=spf1 mx -all'] }))).toEqual({ status: 'pass' });
    const soft = await evaluateDnsRule(rule, report(), env({ 'a.test': ['v=spf1 mx ~all'] }));
    expect(soft).toEqual({ status: 'fail', misses: [{ target: 'a.test', expected: 'one SPF record ending in -all', current: '~all in "v=spf1 mx ~all"' }] });
    expect(await evaluateDnsRule(rule, report(), env({ 'a.test': ['v=spf1 redirect=_spf.b.test'], '_spf.b.test': ['v=spf1 ip4:192.0.2.1 -all'] }))).toEqual({ status: 'pass' });
    expect((await evaluateDnsRule(rule, report(), env({ 'a.test': 'timeout' }))).status).toBe('unknown');
  });

  it('DMARC: p=none deviates; the rua the standard names must be among the record\'s; a timeout proves nothing', async () => {
    const rule = { rule: 'dmarc.policy-none', mode: 'alert', params: { rua: 'dmarc@msp.test' } } as const;
    expect((await evaluateDnsRule(rule, report([], 'none'), env({}))).status).toBe('fail');
    expect(await evaluateDnsRule(rule, report(), env({ '_dmarc.a.test': ['v=DMARC1; p=reject; rua=mailto:DMARC@msp.test!10m'] }))).toEqual({ status: 'pass' });
    const elsewhere = await evaluateDnsRule(rule, report(), env({ '_dmarc.a.test': ['v=DMARC1; p=reject; rua=mailto:x@y.test'] }));
    expect(elsewhere.status === 'fail' && elsewhere.misses[0]!.current).toBe('rua=mailto:x@y.test');
    expect((await evaluateDnsRule(rule, report([], 'unknown'), env({}))).status).toBe('unknown');
  });

  it('a forbidden finding deviates; the same finding marked unknown does not; DNSSEC without a raw server is unknown', async () => {
    const rule = { rule: 'dnsbl.listed', mode: 'alert' } as const;
    const listed = { id: 'dnsbl.listed', severity: 'critical', message: '192.0.2.1 is listed', records: [], fix: '' } as const;
    expect((await evaluateDnsRule(rule, report([listed]), env({}))).status).toBe('fail');
    expect((await evaluateDnsRule(rule, report([{ ...listed, severity: 'unknown' }]), env({}))).status).toBe('unknown');
    expect((await evaluateDnsRule({ rule: 'dns.dnssec-unsigned', mode: 'report' }, report(), { dns: client({}), dnssecChecked: false })).status).toBe('unknown');
  });
});
