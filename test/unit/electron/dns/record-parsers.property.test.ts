import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSpfRecord, parseSpf } from '../../../../electron/dns/checks/spf-parse.ts';
import { looksLikeDmarc, parseDmarc, parseReportUri } from '../../../../electron/dns/checks/dmarc-parse.ts';
import { parseDkimKey } from '../../../../electron/dns/checks/dkim.ts';
import { tlsRptProblems } from '../../../../electron/dns/checks/mta-sts.ts';
import { hostileString } from '../../../support/zod-arbitrary.ts';

// TXT answers are attacker-controlled: anything a zone can publish must parse to errors, not throw.
const txt = fc.oneof(
  hostileString,
  fc.array(fc.oneof(hostileString, fc.constantFrom('v=spf1', 'v=DMARC1', 'v=DKIM1', 'v=TLSRPTv1', 'p=', 'k=rsa', 'include:', 'ip4:', '=', ';', ' ', 'all', '-all', 'redirect=', '%{i}')), { maxLength: 12 }).map((parts) => parts.join('')),
);

const ipv4 = fc.ipV4();
const qualifier = fc.constantFrom('', '+', '-', '~', '?');
const spfTerm = fc.oneof(
  fc.tuple(qualifier, ipv4, fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined })).map(([q, ip, n]) => `${q}ip4:${ip}${n === undefined ? '' : `/${n}`}`),
  fc.tuple(qualifier, fc.domain()).map(([q, d]) => `${q}include:${d}`),
  fc.tuple(qualifier, fc.constantFrom('a', 'mx')).map(([q, m]) => `${q}${m}`),
);

describe('DNS record parsers', () => {
  it.each([
    ['parseSpf', (s: string) => parseSpf(s)],
    ['isSpfRecord', (s: string) => isSpfRecord(s)],
    ['parseDmarc', (s: string) => parseDmarc(s)],
    ['looksLikeDmarc', (s: string) => looksLikeDmarc(s)],
    ['parseReportUri', (s: string) => parseReportUri(s)],
    ['parseDkimKey', (s: string) => parseDkimKey(s)],
    ['tlsRptProblems', (s: string) => tlsRptProblems(s)],
  ] as const)('%s never throws on anything a zone can publish', (_name, parse) => {
    fc.assert(fc.property(txt, (record) => void parse(record)), { numRuns: 2000 });
  });

  it('parses every well-formed SPF record without errors, term by term', () => {
    fc.assert(
      fc.property(fc.array(spfTerm, { maxLength: 8 }), fc.constantFrom('-all', '~all', '?all'), (terms, all) => {
        const parsed = parseSpf(['v=spf1', ...terms, all].join(' '));
        expect(parsed.errors).toEqual([]);
        expect(parsed.terms.map((t) => t.raw)).toEqual([...terms, all]);
        expect(parsed.afterAll).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('reads back every tag of a well-formed DMARC record', () => {
    const policy = fc.constantFrom('none', 'quarantine', 'reject');
    fc.assert(
      fc.property(policy, fc.option(policy, { nil: undefined }), fc.emailAddress({ size: 'small' }), (p, sp, rua) => {
        const record = `v=DMARC1; p=${p}${sp ? `; sp=${sp}` : ''}; rua=mailto:${rua}`;
        const parsed = parseDmarc(record);
        expect(parsed.errors).toEqual([]);
        expect(parsed.tags.get('p')).toBe(p);
        expect(parsed.tags.get('sp')).toBe(sp);
        expect(parsed.rua.map((u) => u.raw)).toEqual([`mailto:${rua}`]);
      }),
      { numRuns: 500 },
    );
  });
});
