// IMAP syntax the raw connections write and read (RFC 3501 §9, RFC 4315).

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// "00" to "99": every APPENDed message's date is formatted, without a closure and padded strings per field.
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));

/** Formats an IMAP date-time (RFC 3501 §9 date-time) in UTC. */
export function imapDateTime(date: Date): string {
  return `"${twoDigits(date.getUTCDate())}-${MONTHS[date.getUTCMonth()]}-${date.getUTCFullYear()} ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())} +0000"`;
}

// An invalid date's NaN is written as it always was.
function twoDigits(n: number): string {
  return TWO_DIGITS[n] ?? String(n).padStart(2, '0');
}

/** Quotes a string as an IMAP quoted string (only for 7-bit text without CR/LF). */
export function imapQuote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Expands an RFC 4315 uid-set such as "5:7,9" into [5, 6, 7, 9]. */
export function expandUidSet(set: string): number[] {
  const out: number[] = [];
  for (const part of set.split(',')) {
    const [a, b] = part.split(':');
    const from = Number(a);
    const to = b === undefined ? from : Number(b);
    const step = to >= from ? 1 : -1;
    for (let u = from; step > 0 ? u <= to : u >= to; u += step) out.push(u);
  }
  return out;
}

/**
 * Orders two names by UTF-16 code units: a stable order that, unlike localeCompare, does not page in
 * ICU's collation data (≈3 MB of resident memory in a migration, bench/migrate/RESULTS.md).
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
