import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainReport } from '../../../shared/domain/dns.ts';
import { defaultCheckOptions } from '../../../electron/dns/context.ts';
import { checkDomain } from '../../../electron/dns/engine.ts';
import { DnsClient, nodeResolver } from '../../../electron/dns/resolver.ts';
import { dnsServer, issueCert, withId } from './dns-fixtures.ts';
import { smtpListener, type SmtpListenerOptions } from './tls-listeners.ts';

const DAY = 86_400_000;

// smtp.dlv.test: MX mx.smtp.dlv.test → 127.0.0.1, whose PTR (0.0.127.in-addr.arpa) names mx.smtp.dlv.test.
describe('STARTTLS on the MX: TLS versions, certificate name and expiry, banner versus PTR', () => {
  let ca = '';
  let good = { cert: '', key: '' };
  let wrongName = { cert: '', key: '' };
  const closers: (() => Promise<void>)[] = [];

  beforeAll(() => {
    const read = (i: { cert: string; key: string }): { cert: string; key: string } => ({ cert: readFileSync(i.cert, 'utf8'), key: readFileSync(i.key, 'utf8') });
    const issued = issueCert('dlv-smtp-mx', ['DNS:mx.smtp.dlv.test']);
    ca = readFileSync(issued.ca, 'utf8');
    good = read(issued);
    wrongName = read(issueCert('dlv-smtp-other', ['DNS:other.dlv.test']));
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });

  async function run(tls: { cert: string; key: string }, opts: SmtpListenerOptions, now = new Date(), relayTest = false): Promise<DomainReport> {
    const listener = await smtpListener('starttls', tls, opts);
    closers.push(listener.close);
    const [host, port] = dnsServer().split(':');
    const dns = new DnsClient(nodeResolver({ servers: [`${host}:${port}`], timeoutMs: 1000 }));
    const options = defaultCheckOptions({ ca, testNets: true, now: () => now, smtp: { enabled: true, port: listener.port, timeoutMs: 5000, relayTest } });
    return checkDomain('smtp.dlv.test', dns, options, {});
  }

  it('accepts a TLS 1.2+ MX whose banner names its PTR', async () => {
    const report = await run(good, { hostname: 'mx.smtp.dlv.test' });
    expect(report.findings.filter((f) => f.id.startsWith('tls.') || f.id === 'mx.banner-ptr-mismatch')).toEqual([]);
  });

  it('warns about an MX that speaks only TLS 1.1, without calling the handshake failed', async () => {
    const report = await run(good, { hostname: 'mx.smtp.dlv.test', tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } });
    expect(withId(report, 'tls.protocol-version')[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/speaks only TLS 1\.0\/1\.1/) });
    expect(withId(report, 'tls.starttls-failed')).toEqual([]);
  });

  it('warns about an MX that still accepts TLS 1.0 next to TLS 1.3', async () => {
    const report = await run(good, { hostname: 'mx.smtp.dlv.test', tls: { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' } });
    expect(withId(report, 'tls.protocol-version')[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/still accepts/) });
  });

  it('grades a certificate for another name and one that expires soon', async () => {
    const named = await run(wrongName, { hostname: 'mx.smtp.dlv.test' });
    expect(withId(named, 'tls.cert-name-mismatch').map((f) => f.severity)).toEqual(['info']);
    const validTo = new Date(new X509Certificate(good.cert).validTo).getTime();
    const soon = await run(good, { hostname: 'mx.smtp.dlv.test' }, new Date(validTo - 10 * DAY));
    expect(withId(soon, 'tls.cert-expiry').map((f) => f.severity)).toEqual(['warning']);
    const expired = await run(good, { hostname: 'mx.smtp.dlv.test' }, new Date(validTo + DAY));
    expect(withId(expired, 'tls.cert-expiry').map((f) => f.severity)).toEqual(['critical']);
  });

  it('finds an open relay only when the intrusive test is asked for', async () => {
    const closed = await run(good, { hostname: 'mx.smtp.dlv.test' }, new Date(), true);
    expect(withId(closed, 'mx.open-relay')).toEqual([]);
    const open = await run(good, { hostname: 'mx.smtp.dlv.test', openRelay: true }, new Date(), true);
    expect(withId(open, 'mx.open-relay').map((f) => f.severity)).toEqual(['error']);
    const notAsked = await run(good, { hostname: 'mx.smtp.dlv.test', openRelay: true });
    expect(withId(notAsked, 'mx.open-relay')).toEqual([]);
  });

  it('notes a banner host name that differs from the PTR', async () => {
    const report = await run(good, { hostname: 'localhost' });
    expect(withId(report, 'mx.banner-ptr-mismatch')[0]).toMatchObject({ severity: 'info', message: expect.stringMatching(/announces localhost.*PTR names mx\.smtp\.dlv\.test/) });
  });
});
