import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAddress, normalizeDomain } from '../../../../shared/lib/mail-address.ts';
import { normalizeHost } from '../../../../shared/lib/validate.ts';
import { normalizeDomain as normalizeDnsDomain } from '../../../../electron/dns/domain-name.ts';
import { hostileString } from '../../../support/zod-arbitrary.ts';

const anyInput = fc.oneof(hostileString, fc.emailAddress(), fc.domain(), fc.webUrl());
const validators: ReadonlyArray<readonly [string, (s: string) => string | null]> = [
  ['normalizeAddress', (s) => normalizeAddress(s)],
  ['normalizeAddress (catch-all allowed)', (s) => normalizeAddress(s, { allowCatchAll: true })],
  ['normalizeDomain', normalizeDomain],
  ['normalizeHost', normalizeHost],
  ['dns normalizeDomain', normalizeDnsDomain],
];

describe('address and domain validators', () => {
  it.each(validators)('%s never throws, and its output is clean and a fixed point', (_name, normalize) => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const out = normalize(input);
        if (out === null) return;
        expect(out).toBe(out.toLowerCase());
        // Nothing that could split a header or a CSV cell, quote its way out, or make a maildir path.
        // eslint-disable-next-line no-control-regex -- control characters are exactly what must not pass
        expect(out).not.toMatch(/[\s\u0000-\u001f\u007f/\\"<>]/);
        expect(out.length).toBeLessThanOrEqual(320);
        expect(normalize(out)).toBe(out);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every ordinary address but those with a `/` or a bare `*`, and keeps its parts', () => {
    fc.assert(
      fc.property(fc.emailAddress({ size: 'small' }), (address) => {
        const out = normalizeAddress(address);
        const at = address.lastIndexOf('@');
        if (address.length - at - 1 > 253) return;
        const local = address.slice(0, at);
        // `*` alone is the catch-all's spelling, never a mailbox.
        expect(out).toBe(local.includes('/') || local === '*' ? null : address.toLowerCase());
      }),
      { numRuns: 1000 },
    );
  });

  it('never lets a local part start, end or repeat a dot, the forms that share or escape a maildir', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.domain(), (local, domain) => {
        const out = normalizeAddress(`${local}@${domain}`);
        if (out === null) return;
        const l = out.slice(0, out.lastIndexOf('@'));
        expect(l.startsWith('.') || l.endsWith('.') || l.includes('..')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
