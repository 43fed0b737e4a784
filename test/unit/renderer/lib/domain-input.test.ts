// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { readDomain } from '../../../../renderer/lib/domain-input.ts';
import { parseDomainList } from '../../../../renderer/features/deliverability/deliverability-store.ts';

describe('domain input', () => {
  it('refuses what is not a domain, with the reason, instead of checking a fragment of it', () => {
    expect(readDomain('not a domain!!')).toMatchObject({ ok: false, problem: expect.stringMatching(/cannot appear/) });
    expect(readDomain('under_score.example.com')).toMatchObject({ ok: false, problem: expect.stringMatching(/underscore/) });
    expect(readDomain('-bad.example.com')).toMatchObject({ ok: false, problem: expect.stringMatching(/-bad/) });
    expect(readDomain('localhost')).toMatchObject({ ok: false, problem: expect.stringMatching(/two labels/) });
    expect(readDomain('192.0.2.1')).toMatchObject({ ok: false, problem: expect.stringMatching(/IP address/) });
    expect(readDomain('a..example.com')).toMatchObject({ ok: false });
  });

  it('reads an internationalised name in its xn-- form and says it converted it', () => {
    expect(readDomain(' Bücher.Example. ')).toEqual({ ok: true, input: 'Bücher.Example.', domain: 'xn--bcher-kva.example', converted: true });
    expect(readDomain('Example.COM')).toEqual({ ok: true, input: 'Example.COM', domain: 'example.com', converted: false });
  });

  it('splits a pasted list into domains to check, refused lines and conversions', () => {
    const parsed = parseDomainList('domain\nexample.com\nnot a domain!!\n# comment\nbücher.example,extra\nexample.com');
    expect(parsed.domains).toEqual(['example.com', 'xn--bcher-kva.example']);
    expect(parsed.invalid.map((e) => e.input)).toEqual(['not a domain!!']);
    expect(parsed.converted.map((e) => e.domain)).toEqual(['xn--bcher-kva.example']);
  });
});
