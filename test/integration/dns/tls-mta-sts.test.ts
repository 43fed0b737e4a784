import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainReport } from '../../../shared/domain/dns.ts';
import { defaultCheckOptions } from '../../../electron/dns/context.ts';
import { checkDomain } from '../../../electron/dns/engine.ts';
import { DnsClient, nodeResolver, type RawResolve } from '../../../electron/dns/resolver.ts';
import { dnsServer, issueCert, withId } from './dns-fixtures.ts';
import { policyHost, smtpListener } from './tls-listeners.ts';

const policy = (mode: string, mx: string[], maxAge = 604800): string => ['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${m}`), `max_age: ${maxAge}`, ''].join('\r\n');

describe('MTA-STS policy fetch, STARTTLS and DANE against local listeners with the test CA', () => {
  let ca = '';
  let tlsFiles = { cert: '', key: '' };
  const closers: (() => Promise<void>)[] = [];
  let httpsPort = 0;
  const smtpPorts: Record<string, number> = {};

  beforeAll(async () => {
    const names = ['sts-redirect', 'sts-html', 'sts-syntax', 'sts-enforce-mx', 'sts-enforce-tls', 'sts-ok', 'sts-testing', 'sts-max-age'];
    const issued = issueCert('dlv-mta-sts', [...names.map((n) => `DNS:mta-sts.${n}.dlv.test`), 'DNS:mx.smtp.dlv.test', 'DNS:mx.sts-ok.dlv.test', 'DNS:mx.sts-enforce-tls.dlv.test']);
    ca = readFileSync(issued.ca, 'utf8');
    tlsFiles = { cert: readFileSync(issued.cert, 'utf8'), key: readFileSync(issued.key, 'utf8') };
    const host = await policyHost(tlsFiles, {
      'mta-sts.sts-redirect.dlv.test': { status: 301, contentType: 'text/html', body: '', location: 'https://elsewhere.test/' },
      'mta-sts.sts-html.dlv.test': { status: 200, contentType: 'text/html', body: policy('enforce', ['mx.sts-html.dlv.test']) },
      'mta-sts.sts-syntax.dlv.test': { status: 200, contentType: 'text/plain', body: policy('testing', [], 86400) },
      'mta-sts.sts-enforce-mx.dlv.test': { status: 200, contentType: 'text/plain', body: policy('enforce', ['*.other.dlv.test']) },
      'mta-sts.sts-enforce-tls.dlv.test': { status: 200, contentType: 'text/plain', body: policy('enforce', ['mx.sts-enforce-tls.dlv.test']) },
      'mta-sts.sts-testing.dlv.test': { status: 200, contentType: 'text/plain', body: policy('testing', ['*.other.dlv.test']) },
      'mta-sts.sts-max-age.dlv.test': { status: 200, contentType: 'text/plain', body: policy('enforce', ['mx.sts-max-age.dlv.test'], 99_999_999) },
      'mta-sts.sts-ok.dlv.test': { status: 200, contentType: 'text/plain; charset=utf-8', body: policy('enforce', ['mx.sts-ok.dlv.test']) },
    });
    httpsPort = host.port;
    closers.push(host.close);
    for (const behaviour of ['no-starttls', 'starttls', 'broken-tls'] as const) {
      const l = await smtpListener(behaviour, tlsFiles);
      smtpPorts[behaviour] = l.port;
      closers.push(l.close);
    }
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });

  async function run(domain: string, smtp: keyof typeof smtpPorts | null, raw?: RawResolve): Promise<DomainReport> {
    const [host, port] = dnsServer().split(':');
    const dns = new DnsClient(raw ?? nodeResolver({ servers: [`${host}:${port}`], timeoutMs: 1000 }));
    const options = defaultCheckOptions({ ca, testNets: true, httpsTimeoutMs: 5000, smtp: { enabled: smtp !== null, port: smtp ? smtpPorts[smtp]! : 25, timeoutMs: 5000 } });
    return checkDomain(domain, dns, options, { mtaStsPort: httpsPort, rawServer: { host: host!, port: Number(port) } });
  }

  it('reports policy fetch, syntax and MX coverage problems with their severities', async () => {
    const [redirect, html, syntax, enforceMx, ok] = (await Promise.all(['sts-redirect', 'sts-html', 'sts-syntax', 'sts-enforce-mx', 'sts-ok'].map((n) => run(`${n}.dlv.test`, n === 'sts-ok' ? 'starttls' : null)))) as [DomainReport, DomainReport, DomainReport, DomainReport, DomainReport];
    expect(withId(redirect, 'mta-sts.policy-fetch')[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/HTTP 301/) });
    expect(withId(html, 'mta-sts.policy-fetch')[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/text\/html/) });
    expect(withId(syntax, 'mta-sts.policy-syntax')[0]!.severity).toBe('error');
    expect(withId(enforceMx, 'mta-sts.mx-not-in-policy')[0]!.severity).toBe('critical');
    const [testing, maxAge] = await Promise.all(['sts-testing', 'sts-max-age'].map((n) => run(`${n}.dlv.test`, null)));
    expect(withId(testing, 'mta-sts.mode-weak').map((f) => f.severity)).toEqual(['warning']);
    expect(withId(testing, 'mta-sts.mx-not-in-policy').map((f) => f.severity)).toEqual(['warning']);
    expect(withId(maxAge, 'mta-sts.policy-syntax')[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/max_age/) });
    const okIds = ok.findings.filter((f) => f.id.startsWith('mta-sts.') || f.id.startsWith('tls.'));
    expect(okIds).toEqual([]);
  });

  it('flags an MX without STARTTLS, and as critical under an enforce policy', async () => {
    const report = await run('sts-enforce-tls.dlv.test', 'no-starttls');
    expect(withId(report, 'tls.starttls-missing')[0]!.severity).toBe('error');
    expect(withId(report, 'mta-sts.enforce-tls-broken')[0]!.severity).toBe('critical');
  });

  it('flags a failing STARTTLS handshake', async () => {
    const report = await run('smtp.dlv.test', 'broken-tls');
    expect(withId(report, 'tls.starttls-failed')[0]!.severity).toBe('error');
  });

  it('reports unknown, not a failure, when no MX is reachable', async () => {
    const closed = await smtpListener('starttls', tlsFiles);
    await closed.close();
    smtpPorts['closed'] = closed.port;
    const report = await run('smtp.dlv.test', 'closed');
    expect(withId(report, 'mx.smtp-unreachable').map((f) => f.severity)).toEqual(['unknown']);
    expect(report.findings.some((f) => f.id.startsWith('tls.'))).toBe(false);
  });

  it('matches TLSA records against the certificate the MX presents', async () => {
    const mismatch = await run('smtp.dlv.test', 'starttls');
    expect(withId(mismatch, 'dane.tlsa-mismatch')[0]!.severity).toBe('critical');
    // the fixture zones are unsigned, so the TLSA records cannot be validated
    expect(withId(mismatch, 'dane.tlsa-missing')[0]!.severity).toBe('error');
    const spki = new X509Certificate(tlsFiles.cert).publicKey.export({ type: 'spki', format: 'der' });
    const good = new Uint8Array(createHash('sha256').update(spki).digest());
    const [host, port] = dnsServer().split(':');
    const real = nodeResolver({ servers: [`${host}:${port}`], timeoutMs: 1000 });
    // The same zone, with the TLSA RRset replaced by the live key's "3 1 1" hash plus a next-key record.
    const withGoodTlsa: RawResolve = (name, type) =>
      type === 'TLSA' && name === '_25._tcp.mx.smtp.dlv.test'
        ? Promise.resolve([{ certUsage: 3, selector: 1, match: 1, data: good.buffer }, { certUsage: 3, selector: 1, match: 1, data: new Uint8Array(32).buffer }])
        : real(name, type);
    const matched = await run('smtp.dlv.test', 'starttls', withGoodTlsa);
    expect(withId(matched, 'dane.tlsa-mismatch')).toEqual([]);
    expect(withId(matched, 'dane.rollover')).toEqual([]);
    // the test CA is trusted and the certificate names the MX
    expect(matched.findings.filter((f) => f.id.startsWith('tls.'))).toEqual([]);
  });

  it('grades an expiring, self-signed certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlv-cert-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3', '-subj', '/CN=other.test', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    const l = await smtpListener('starttls', { cert: readFileSync(join(dir, 'c.pem'), 'utf8'), key: readFileSync(join(dir, 'k.pem'), 'utf8') });
    smtpPorts['selfsigned'] = l.port;
    try {
      const report = await run('smtp.dlv.test', 'selfsigned');
      expect(withId(report, 'tls.cert-expiry')[0]!.severity).toBe('error');
      expect(withId(report, 'tls.cert-untrusted')[0]!.severity).toBe('info');
      expect(withId(report, 'tls.cert-name-mismatch')[0]!.severity).toBe('info');
    } finally {
      await l.close();
    }
  });
});
