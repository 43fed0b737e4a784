import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRecords, toCsv } from '../../../../renderer/lib/csv.ts';
import { formatBytes, parseQuotaMb, quotaToMb, usageRatio } from '../../../../renderer/lib/bytes.ts';
import { generatePassword, passwordStrength } from '../../../../renderer/lib/password.ts';

describe('csv', () => {
  it('round-trips quotes, commas and line breaks', () => {
    const text = toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['line\nbreak', '']]);
    expect(parseCsv(text)).toEqual([['a', 'b'], ['x,y', 'say "hi"'], ['line\nbreak', '']]);
  });

  it('neutralises spreadsheet formulas', () => {
    expect(toCsv(['a'], [['=HYPERLINK("x")']])).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('keys records by lower-cased header and drops a BOM and blank lines', () => {
    expect(parseCsvRecords('\uFEFFAddress,Quota_MB\r\nA@x.test, 5 \r\n\r\n').records).toEqual([{ address: 'A@x.test', quota_mb: '5' }]);
  });
});

describe('bytes', () => {
  it('formats with decimal units, as the CLI does', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(5e9)).toBe('5.0 GB');
    expect(formatBytes(50_000_000)).toBe('50.0 MB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.4 GB');
    expect(formatBytes(null)).toBe('—');
  });

  it('parses MB quotas; empty is unlimited, junk is NaN', () => {
    expect(parseQuotaMb('')).toBeNull();
    expect(parseQuotaMb('2')).toBe(2_000_000);
    expect(quotaToMb(50_000_000)).toBe('50');
    expect(parseQuotaMb('lots')).toBeNaN();
    expect(usageRatio(90, 100)).toBe(0.9);
    expect(usageRatio(90, null)).toBeNull();
  });
});

describe('password', () => {
  it('generates strong passwords with every character class', () => {
    for (let i = 0; i < 50; i += 1) {
      const p = generatePassword();
      expect(p).toHaveLength(20);
      expect(passwordStrength(p)).toBe('strong');
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/\d/);
    }
  });

  it('keeps every class when forcing one would overwrite the only member of another', () => {
    // Indexes into the alphabet: 0 is 'A', 24 is 'a'. The only lowercase letter sits where a missing digit used to be forced.
    const values = [0, 0, 24, ...Array.from({ length: 9 }, () => 0)];
    const p = generatePassword(12, () => values);
    for (const re of [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/]) expect(p).toMatch(re);
  });

  it('forces the missing classes even from a degenerate random source', () => {
    const p = generatePassword(12, (n) => new Uint32Array(n));
    expect(p).toMatch(/[A-Z]/);
    expect(p).toMatch(/[a-z]/);
    expect(p).toMatch(/\d/);
    expect(p).toMatch(/[^A-Za-z0-9]/);
  });
});
