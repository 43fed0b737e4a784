import { addressProblem, normalizeAddress, normalizeDomain, UNICODE_DOMAIN, unicodeDomainOf } from '../../shared/lib/mail-address.ts';
import { toAsciiDomain } from '../platform/idn.ts';

/**
 * What a CSV cell asks for. Blank (or a missing column) leaves the value as it is, as in the bulk tools
 * admins know; `-` or `none` clears it (no name, unlimited quota, no forwarding); anything else sets it.
 */
export type Cell<T> = { readonly kind: 'keep' } | { readonly kind: 'set'; readonly value: T } | { readonly kind: 'bad'; readonly message: string };

const KEEP = { kind: 'keep' } as const;
const CLEAR = /^(-|none)$/i;
const set = <T>(value: T): Cell<T> => ({ kind: 'set', value });
const bad = (message: string): Cell<never> => ({ kind: 'bad', message });
// The console's export writes quota_mb in decimal MB, as the CLI's sizes and the console's quota fields count.
const MB = 1_000_000;
const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };
const YES = new Set(['yes', 'true', '1', 'active', 'y', 'on']);
const NO = new Set(['no', 'false', '0', 'suspended', 'n', 'inactive', 'off']);

/** A cell quoted back in a message: short, on one line. */
export function quoted(value: string): string {
  const flat = value.replace(/\s+/g, ' ');
  return `"${flat.length > 60 ? `${flat.slice(0, 60)}…` : flat}"`;
}

/** The first of `columns` the row has (a missing column reads as blank). */
export function column(row: Readonly<Record<string, string | undefined>>, ...columns: string[]): string | undefined {
  for (const c of columns) if (row[c] !== undefined) return row[c];
  return undefined;
}

/** A text cell: blank keeps, `-`/`none` clears to '', anything else sets. */
export function textCell(raw: string | undefined): Cell<string> {
  if (raw === undefined || raw === '') return KEEP;
  return CLEAR.test(raw) ? set('') : set(raw);
}

/** A yes/no cell; blank keeps. */
export function yesNoCell(raw: string | undefined, name: string): Cell<boolean> {
  const text = (raw ?? '').toLowerCase();
  if (text === '') return KEEP;
  if (YES.has(text)) return set(true);
  if (NO.has(text)) return set(false);
  return bad(`${name} ${quoted(raw!)} is neither yes nor no.`);
}

/** Parses "500MB", "2GiB", "unlimited", "0" into bytes (null = unlimited); NaN when it is not a size. */
export function parseImportSize(value: string): number | null {
  if (/^(unlimited|none|-|0)$/i.test(value.trim())) return null;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  return m && unit !== undefined ? Math.round(Number(m[1]) * unit) : Number.NaN;
}

/** The quota from `quota` (a size) or `quota_mb` (decimal MB, the console's export); blank keeps, `-`/`none`/0 is unlimited. */
export function quotaCell(quota: string | undefined, quotaMb: string | undefined): Cell<number | null> {
  if (quota !== undefined && quota !== '') {
    const bytes = parseImportSize(quota);
    if (bytes === null) return set(null);
    if (Number.isNaN(bytes)) return bad(`quota ${quoted(quota)} is not a size (500MB, 2GiB, unlimited, or - to clear).`);
    return Number.isSafeInteger(bytes) ? set(bytes) : bad(`quota ${quoted(quota)} is too large.`);
  }
  if (quotaMb === undefined || quotaMb === '') return KEEP;
  if (CLEAR.test(quotaMb)) return set(null);
  const mb = /^\d+(\.\d+)?$/.test(quotaMb.trim()) ? Number(quotaMb) : Number.NaN;
  if (Number.isNaN(mb)) return bad(`quota_mb ${quoted(quotaMb)} is not a number of MB (or - to clear).`);
  const bytes = Math.round(mb * MB);
  if (!Number.isSafeInteger(bytes)) return bad(`quota_mb ${quoted(quotaMb)} is too large.`);
  return set(bytes === 0 ? null : bytes);
}

/** Why an address or domain is refused, with the xn-- form to use for a Unicode domain. */
export function refusal(raw: string, kind: 'mailbox' | 'alias' | 'domain'): string {
  const problem = addressProblem(raw, kind);
  const what = kind === 'domain' ? 'Not a domain name' : kind === 'alias' ? 'Not an alias address' : 'Not an e-mail address';
  if (problem === UNICODE_DOMAIN) {
    const unicode = unicodeDomainOf(raw)!;
    const ascii = toAsciiDomain(unicode);
    if (ascii) return `${what}: ${problem}: use ${raw.trim().slice(0, raw.trim().length - unicode.length).toLowerCase()}${ascii}.`;
  }
  return problem ? `${what}: ${problem}.` : `${what}.`;
}

/** Forwarding or member targets: blank keeps, `-`/`none` clears, else a list split on `;`, `,` or spaces. */
export function targetsCell(raw: string | undefined): Cell<string[]> {
  if (raw === undefined || raw.trim() === '') return KEEP;
  if (CLEAR.test(raw.trim())) return set([]);
  const out: string[] = [];
  for (const t of raw.split(/[;,\s]+/).filter(Boolean)) {
    const n = normalizeAddress(t);
    if (n === null) return bad(`Target ${quoted(t)}: ${refusal(t, 'mailbox')}`);
    if (!out.includes(n)) out.push(n);
  }
  return set(out);
}

/** The normalised address (or domain) of a row, or why it is refused. */
export function addressCell(raw: string, type: 'domain' | 'mailbox' | 'alias' | 'group' | 'forward'): Cell<string> {
  if (type === 'domain') {
    const d = normalizeDomain(raw);
    return d === null ? bad(refusal(raw, 'domain')) : set(d);
  }
  const n = normalizeAddress(raw, { allowCatchAll: type === 'alias' });
  if (n !== null) return set(n);
  return bad(refusal(raw, type === 'alias' ? 'alias' : 'mailbox'));
}
