import { describe, expect, it } from 'vitest';
import { isSpfRecord, parseSpf } from '../../../../electron/dns/checks/spf-parse.ts';
import { parseDmarc, parseReportUri } from '../../../../electron/dns/checks/dmarc-parse.ts';
import { parseDkimKey } from '../../../../electron/dns/checks/dkim.ts';
import { tlsRptProblems } from '../../../../electron/dns/checks/mta-sts.ts';
import { isPublicAddress, reverseName, reversedLabels } from '../../../../electron/dns/addresses.ts';
import { normalizeDomain } from '../../../../electron/dns/domain-name.ts';
import { domainsFromFile } from '../../../../electron/cli/commands/check.ts';
import { generateKeyPairSync } from 'node:crypto';

describe('SPF parser (RFC 7208 §12)', () => {
  it('accepts a well-formed record', () => {
    const p = parseSpf('v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a mx/24 include:_spf.example.test exists:%{i}.bl.test redirect=x.test');
    expect(p.errors).toEqual([]);
    expect(p.terms.map((t) => t.name)).toEqual(['ip4', 'ip6', 'a', 'mx', 'include', 'exists', 'redirect']);
  });
  it.each([
    ['v=spf1 ip4:192.0.2.10~all', /not an IPv4/],
    ['v=spf1 ip4:2001:db8::1 -all', /IPv6 address in ip4/],
    ['v=spf1 ip6:192.0.2.1 -all', /IPv4 address in ip6/],
    ['v=spf1 include -all', /needs a domain/],
    ['v=spf1 foo:bar -all', /not a known mechanism/],
    ['v=spf1 -all -all', /more than once/],
    ['v=spf1 redirect=a.test redirect=b.test', /more than one redirect/],
    ['v=spf1 ip4:192.0.2.1/33 -all', /not an IPv4/],
    [`v=spf1 a:${'x'.repeat(64)}.test -all`, /invalid a target/],
    ['v=spf1 include:%{z}.test -all', /needs a domain/],
  ])('rejects %s', (record, error) => {
    expect(parseSpf(record).errors.join('; ')).toMatch(error);
  });
  it('notes terms after all and recognises records', () => {
    expect(parseSpf('v=spf1 -all mx').afterAll).toEqual(['mx']);
    expect(isSpfRecord('v=spf1')).toBe(true);
    expect(isSpfRecord('v=spf10 -all')).toBe(false);
    expect(isSpfRecord(' v=spf1 -all')).toBe(false);
  });
});

describe('DMARC parser (RFC 9989, RFC 7489 tags understood)', () => {
  it('parses tags, report URIs and removed tags', () => {
    const p = parseDmarc('v=DMARC1; p=reject; sp=none; pct=50; rua=mailto:a@r.test!10m, mailto:b@example.test; foo=bar');
    expect(p.errors).toEqual([]);
    expect(p.unknownTags).toEqual(['foo']);
    expect(p.removedTags).toEqual(['pct=50']);
    expect(p.rua.map((u) => [u.domain, u.sizeSuffix])).toEqual([['r.test', true], ['example.test', false]]);
  });
  it('reports duplicate tags, bad values and a wrong first tag', () => {
    expect(parseDmarc('v=DMARC1; p=reject; p=none').errors.join()).toMatch(/more than once/);
    expect(parseDmarc('v=DMARC1; p=reject; adkim=x').errors.join()).toMatch(/adkim=x/);
    expect(parseDmarc('p=reject; v=DMARC1').errors.join()).toMatch(/start with/);
    expect(parseDmarc(';;;=;\u0000').errors.length).toBeGreaterThan(0);
  });
  it('accepts only mailto report URIs', () => {
    expect(parseReportUri('https://r.test/').valid).toBe(false);
    expect(parseReportUri('mailto:x@r.test').valid).toBe(true);
    expect(parseReportUri('mailto:x@').valid).toBe(false);
  });
});

describe('DKIM key records (RFC 6376 §3.6.1, RFC 8463)', () => {
  const rsa = (bits: number): string => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  it('reads the RSA modulus length', () => {
    expect(parseDkimKey(`v=DKIM1; k=rsa; p=${rsa(2048)}`)).toMatchObject({ keyType: 'rsa', bits: 2048, errors: [] });
    expect(parseDkimKey(`v=DKIM1; p=${rsa(1024)}`).bits).toBe(1024);
  });
  it('reads a raw Ed25519 key and rejects an SPKI-wrapped one', () => {
    const spki = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(parseDkimKey(`v=DKIM1; k=ed25519; p=${spki.subarray(12).toString('base64')}`)).toMatchObject({ keyType: 'ed25519', errors: [] });
    expect(parseDkimKey(`v=DKIM1; k=ed25519; p=${spki.toString('base64')}`).errors.join()).toMatch(/32 bytes/);
  });
  it('decodes a key published for many domains alike each time (decoded once), errors included', () => {
    const spki = rsa(1024);
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    for (let i = 0; i < 2; i++) {
      expect(parseDkimKey(`v=DKIM1; k=rsa; p=${spki}`)).toMatchObject({ keyType: 'rsa', bits: 1024, errors: [], testing: false });
      expect(parseDkimKey(`v=DKIM1; t=y; p=${spki}`)).toMatchObject({ keyType: 'rsa', bits: 1024, errors: [], testing: true });
      expect(parseDkimKey(`v=DKIM1; p=${pkcs1}`)).toMatchObject({ keyType: 'rsa', bits: 2048, errors: [] });
      expect(parseDkimKey(`v=DKIM1; k=rsa; p=${ec}`)).toMatchObject({ keyType: null, bits: null, errors: ['k=rsa but the key is ec'] });
      expect(parseDkimKey('v=DKIM1; h=sha1; p=AAAA')).toMatchObject({ keyType: null, bits: null, errors: ['h=sha1 does not allow sha256 (RFC 8301 forbids sha1)', 'p= does not decode to an RSA public key'] });
    }
  });
  it('finds revoked keys and syntax errors', () => {
    expect(parseDkimKey('v=DKIM1; p=').revoked).toBe(true);
    expect(parseDkimKey('v=DKIM2; p=AAAA').errors.join()).toMatch(/not DKIM1/);
    expect(parseDkimKey('v=DKIM1; h=sha1; p=AAAA').errors.join()).toMatch(/sha256/);
    expect(parseDkimKey('v=DKIM1; p=!!!').errors.join()).toMatch(/base64/);
    expect(parseDkimKey('k=rsa; v=DKIM1; p=AAAA').errors.join()).toMatch(/first tag/);
  });
});

describe('small parsers', () => {
  it('validates TLS-RPT records (RFC 8460 §3)', () => {
    expect(tlsRptProblems('v=TLSRPTv1; rua=mailto:a@b.test,https://r.test/x')).toEqual([]);
    expect(tlsRptProblems('v=TLSRPTv1;').join()).toMatch(/rua/);
    expect(tlsRptProblems('v=TLSRPTv1; rua=ftp://x').join()).toMatch(/mailto: or https:/);
  });
  it('classifies addresses and builds reverse names', () => {
    expect(isPublicAddress('10.1.2.3')).toBe(false);
    expect(isPublicAddress('192.0.2.5')).toBe(false);
    expect(isPublicAddress('192.0.2.5', true)).toBe(true);
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('fd00::1')).toBe(false);
    expect(reverseName('192.0.2.10')).toBe('10.2.0.192.in-addr.arpa');
    expect(reversedLabels('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2');
  });
  it('normalises domain names', () => {
    expect(normalizeDomain(' Example.TEST. ')).toBe('example.test');
    expect(normalizeDomain('bücher.test')).toBe('xn--bcher-kva.test');
    expect(normalizeDomain(`${'a'.repeat(64)}.test`)).toBeNull();
    expect(normalizeDomain('-x.test')).toBeNull();
    expect(normalizeDomain('localhost')).toBeNull();
  });
  it('reads domain lists and CSV files', () => {
    expect(domainsFromFile('domain,owner\na.test,x\n# c\n\nb.test\n')).toEqual(['a.test', 'b.test']);
  });
});
