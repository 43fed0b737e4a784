import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImapDate } from '../../../../electron/imap/fetch-parse.ts';
import { imapDateTime } from '../../../../electron/imap/syntax.ts';

// What parseImapDate did before it read by position (session 16): one pattern, the month looked up by its capitalised name.
const MONTH_NAMES: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
function byPattern(text: string): Date | null {
  const m = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(text);
  const month = m ? MONTH_NAMES[m[2]!.charAt(0).toUpperCase() + m[2]!.slice(1).toLowerCase()] : undefined;
  if (!m || month === undefined) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return new Date(Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const wellFormed = fc
  .tuple(fc.constantFrom('', ' '), fc.integer({ min: 0, max: 39 }), fc.constantFrom('Jan', 'FEB', 'mar', 'aPr', 'Sep', 'Dec'), fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 9999 }))
  .map(([lead, day, month, year, hms, sign, zone]) => `${lead}${day < 10 && lead ? day : pad(day, day < 10 ? 1 : 2)}-${month}-${pad(year, 4)} ${pad(hms, 2)}:${pad(hms % 60, 2)}:${pad(hms % 7, 2)} ${sign}${pad(zone, 4)}`);
// One character replaced, dropped or added anywhere: each of the format's checks gets its near misses.
const odd = fc.constantFrom('0', '7', ' ', '-', ':', '+', 'x', 'A', '@', '[', '\u017f', '\u0167', '\u0660', '\t', '\n');
const date = fc.oneof(
  wellFormed,
  fc.tuple(wellFormed, fc.nat(), odd, fc.constantFrom('replace', 'drop', 'add')).map(([text, n, c, how]) => {
    const i = n % (text.length + 1);
    return how === 'add' ? text.slice(0, i) + c + text.slice(i) : text.slice(0, i) + (how === 'replace' ? c : '') + text.slice(i + 1);
  }),
);

describe('parseImapDate by position', () => {
  it('agrees with the pattern it replaced, on well-formed and broken date-times alike', () => {
    fc.assert(
      fc.property(fc.oneof(date, fc.string({ maxLength: 30 })), (text) => {
        expect(parseImapDate(text)?.getTime() ?? null).toBe(byPattern(text)?.getTime() ?? null);
      }),
      { numRuns: 30_000 },
    );
  });

  it('reads every month in any case, one- and two-digit days, and both zone signs', () => {
    expect(parseImapDate('9-dEc-1999 23:59:59 -1200')?.toISOString()).toBe('1999-12-10T11:59:59.000Z');
    expect(parseImapDate(' 09-Feb-2024 00:00:00 +0000')?.toISOString()).toBe('2024-02-09T00:00:00.000Z');
    expect(parseImapDate('09-Feb-2024 00:00:00 +00000')).toBeNull();
    expect(parseImapDate('\u017fep')).toBeNull();
    expect(parseImapDate('01-\u017fep-2002 12:00:00 +0000')).toBeNull();
    // Not a month that a non-ASCII letter's code carried into: "At" + U+0167 is "Aug" in a key without the letters' check.
    expect(parseImapDate('01-At\u0167-2002 12:00:00 +0000')).toBeNull();
  });
});

describe('imapDateTime', () => {
  // What it did before its two-digit table (session 16).
  const padded = (date: Date): string => {
    const p = (n: number): string => String(n).padStart(2, '0');
    return `"${p(date.getUTCDate())}-${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][date.getUTCMonth()]}-${date.getUTCFullYear()} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000"`;
  };

  it('writes every date, an invalid one included, as the padded fields did', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: false }), (d) => {
        expect(imapDateTime(d)).toBe(padded(d));
      }),
      { numRuns: 5_000 },
    );
    expect(imapDateTime(new Date(NaN))).toBe(padded(new Date(NaN)));
  });
});
