import { describe, expect, it } from 'vitest';
import type { DomainReport } from '../../../shared/domain/dns.ts';
import { check, withId } from './dns-fixtures.ts';

// One zone per failure mode (test/fixtures/zones/*.dlv.test.zone); each must report its finding id with its severity.
const BASE: readonly (readonly [string, string, string])[] = [
  ['mx-missing.dlv.test', 'mx.missing', 'error'],
  ['mx-null-mx.dlv.test', 'mx.null-mx', 'error'],
  ['mx-target-invalid.dlv.test', 'mx.target-invalid', 'critical'],
  ['mx-target-cname.dlv.test', 'mx.target-invalid', 'error'],
  ['spf-missing.dlv.test', 'spf.missing', 'error'],
  ['spf-multiple-records.dlv.test', 'spf.multiple-records', 'critical'],
  ['spf-syntax.dlv.test', 'spf.syntax', 'critical'],
  ['spf-lookup-limit.dlv.test', 'spf.lookup-limit', 'critical'],
  ['spf-void-lookups.dlv.test', 'spf.void-lookups', 'critical'],
  ['spf-mx-ptr-limit.dlv.test', 'spf.mx-ptr-limit', 'critical'],
  ['spf-all-pass.dlv.test', 'spf.all-pass', 'error'],
  ['spf-include-invalid.dlv.test', 'spf.include-invalid', 'error'],
  ['spf-include-loop.dlv.test', 'spf.include-loop', 'error'],
  ['spf-record-hygiene.dlv.test', 'spf.record-hygiene', 'error'],
  ['dkim-key-syntax.dlv.test', 'dkim.key-syntax', 'error'],
  ['dkim-key-too-short.dlv.test', 'dkim.key-too-short', 'error'],
  ['dkim-key-revoked.dlv.test', 'dkim.key-revoked', 'critical'],
  ['dmarc-missing.dlv.test', 'dmarc.missing', 'error'],
  ['dmarc-multiple-records.dlv.test', 'dmarc.multiple-records', 'critical'],
  ['dmarc-record-prefix.dlv.test', 'dmarc.record-prefix', 'error'],
  ['dmarc-unrelated-txt.dlv.test', 'dmarc.unrelated-txt', 'error'],
  ['dmarc-syntax.dlv.test', 'dmarc.syntax', 'error'],
  ['dmarc-report-uri-invalid.dlv.test', 'dmarc.report-uri-invalid', 'error'],
  ['dmarc-rua-unauthorized.dlv.test', 'dmarc.rua-unauthorized', 'error'],
  ['mta-sts-record-invalid.dlv.test', 'mta-sts.record-invalid', 'error'],
  ['mta-sts-host-missing.dlv.test', 'mta-sts.host-missing', 'error'],
  ['tlsrpt-invalid.dlv.test', 'tlsrpt.invalid', 'error'],
  ['bimi-record-invalid.dlv.test', 'bimi.record-invalid', 'error'],
  ['bimi-dmarc-not-enforced.dlv.test', 'bimi.dmarc-not-enforced', 'error'],
  ['cfg-mail-host.dlv.test', 'cfg.mail-host', 'error'],
  ['nonexistent.dlv.test', 'dns.domain-missing', 'critical'],
  // a Null MX on a domain checked as hosted (receiving)
  ['parked.dlv.test', 'mx.missing', 'error'],
  // sending IPs taken from the SPF record's ip4/ip6 terms when none is configured
  ['spf-ptr.dlv.test', 'ptr.missing', 'critical'],
  // TLSA in an unsigned zone is a DNS-only finding: it fires with --no-smtp too
  ['dane-unsigned.dlv.test', 'dane.tlsa-missing', 'error'],
];

const CLEAN_ARGS = ['--test-nets', '--dkim-selector', 'sel2048', '--dkim-selector', 'ed', '--sending-ip', '203.0.113.10', '--no-smtp'];

function worst(report: DomainReport | undefined): string[] {
  return (report?.findings ?? []).filter((f) => ['critical', 'error', 'warning'].includes(f.severity)).map((f) => `${f.id}:${f.severity}`);
}

describe('mailroom check on the failure-mode zones', () => {
  it('reports each zone\'s finding id with its severity, and exits 1', async () => {
    const { run, reports } = await check(
      BASE.map(([d]) => d),
      ['--test-nets', '--no-smtp', '--dkim-selector', 'sel'],
    );
    expect(run.code).toBe(1);
    for (const [domain, id, severity] of BASE) {
      const found = withId(reports.get(domain), id).map((f) => f.severity);
      expect(found, `${domain}: ${JSON.stringify(reports.get(domain)?.findings.map((f) => `${f.id}:${f.severity}`))}`).toContain(severity);
    }
    expect(reports.get('nonexistent.dlv.test')!.score).toBe(0);
    expect(withId(reports.get('spf-ptr.dlv.test'), 'ptr.missing')[0]!.message).toMatch(/203\.0\.113\.99 \(named in the SPF record\)/);
    // a /24 names no single server, so only the /32-less address is judged
    expect(withId(reports.get('spf-ptr.dlv.test'), 'ptr.missing')).toHaveLength(1);
    const sample = reports.get('spf-lookup-limit.dlv.test')!.findings.find((f) => f.id === 'spf.lookup-limit')!;
    expect(sample.records).toEqual(['spf-lookup-limit.dlv.test. TXT "v=spf1 include:n11.vendor.dlv.test ~all"']);
    expect(sample.message).toMatch(/11 DNS lookups/);
    expect(sample.fix).not.toBe('');
  });

  it('finds nothing at warning or above on the clean, complete zone, and exits 0', async () => {
    const { run, reports } = await check(['clean.dlv.test'], CLEAN_ARGS);
    const report = reports.get('clean.dlv.test')!;
    expect(worst(report)).toEqual([]);
    expect(report.score).toBeGreaterThanOrEqual(95);
    expect(run.code).toBe(0);
  });

  it('accepts a clean parked domain under the parked profile and flags a hosted one used as parked', async () => {
    const { reports } = await check(['parked.dlv.test', 'clean.dlv.test'], ['--profile', 'parked', '--no-smtp']);
    expect(worst(reports.get('parked.dlv.test'))).toEqual([]);
    const hosted = worst(reports.get('clean.dlv.test'));
    expect(hosted).toContain('mx.parked-has-mx:warning');
    expect(hosted).toContain('spf.parked-not-strict:warning');
  });

  it('discovers DKIM keys at common selectors when none is configured', async () => {
    const { reports } = await check(['dkim-discovery.dlv.test', 'spf-missing.dlv.test'], ['--test-nets', '--no-smtp']);
    const found = reports.get('dkim-discovery.dlv.test');
    expect(withId(found, 'dkim.selector-unknown')[0]).toMatchObject({ severity: 'info', message: expect.stringMatching(/google, selector1/) });
    expect(withId(found, 'dkim.key-too-short').map((f) => f.severity)).toEqual(['error']);
    expect(withId(found, 'dkim.key-missing')).toEqual([]);
    // none found: a hint, not a "missing" error, since selectors cannot be listed from DNS
    expect(withId(reports.get('spf-missing.dlv.test'), 'dkim.key-missing').map((f) => f.severity)).toEqual(['info']);
  });

  it('checks DKIM selectors, sending IPs, PTR/FCrDNS and DNS blocklists', async () => {
    const args = ['--test-nets', '--no-smtp', '--dkim-selector', 'absent', '--dnsbl', 'bl.dlv.test', '--dbl', 'dbl.dlv.test'];
    const { reports } = await check(['clean.dlv.test', 'dnsbl-domain-listed.dlv.test'], [...args, '--sending-ip', '203.0.113.99', '--sending-ip', '203.0.113.11', '--sending-ip', '203.0.113.98']);
    const clean = reports.get('clean.dlv.test');
    expect(withId(clean, 'dkim.key-missing').map((f) => f.severity)).toEqual(['critical']);
    expect(withId(clean, 'spf.ip-not-authorized').map((f) => f.severity)).toContain('critical');
    expect(withId(clean, 'ptr.missing').map((f) => f.message).join()).toMatch(/203\.0\.113\.99/);
    expect(withId(clean, 'ptr.missing')[0]!.severity).toBe('critical');
    expect(withId(clean, 'ptr.fcrdns-mismatch')[0]!.severity).toBe('critical');
    expect(withId(clean, 'dnsbl.listed').map((f) => f.severity)).toEqual(['error']);
    // Spamhaus-style error answer (127.255.255.254): neither listed nor clean
    expect(withId(clean, 'dnsbl.query-refused').map((f) => f.severity)).toEqual(['unknown']);
    expect(withId(reports.get('dnsbl-domain-listed.dlv.test'), 'dnsbl.domain-listed').map((f) => f.severity)).toEqual(['error']);
  });
});
