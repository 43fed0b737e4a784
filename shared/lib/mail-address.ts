import { normalizeHost } from './validate.ts';

// RFC 5322 atext without `/`: a mail store turns the local part into a path (Maildir `domain/local/`),
// where `/ana` would share ana's folder and `a/b` would land inside a's.
const LOCAL_PART = /^[a-z0-9!#$%&'*+=?^_`{|}~.-]{1,64}$/;

/** Lower-cases and trims an address; null when it is not `local@domain` (or `@domain`, `*@domain` when catch-all is allowed). */
export function normalizeAddress(input: string, options: { allowCatchAll?: boolean } = {}): string | null {
  const value = input.trim().toLowerCase();
  const at = value.lastIndexOf('@');
  if (at < 0) return null;
  const local = value.slice(0, at);
  const domain = normalizeDomain(value.slice(at + 1));
  if (domain === null) return null;
  // PostfixAdmin turns the user's `*` into the `@domain` key Postfix looks up after a miss.
  if (options.allowCatchAll && (local === '' || local === '*')) return `@${domain}`;
  // A mailbox literally named `*` would be mistaken for the catch-all by every tool that reads it back.
  if (local === '*') return null;
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  return `${local}@${domain}`;
}

/** Splits a normalised address into its local part ('' for a catch-all) and domain. */
export function splitAddress(address: string): { readonly local: string; readonly domain: string } {
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/** True for the `@domain` catch-all key. */
export function isCatchAll(address: string): boolean {
  return address.startsWith('@');
}

/** Normalises a mail domain name; null when it is not a plausible FQDN (host names may hold `_`, mail domains may not). */
export function normalizeDomain(input: string): string | null {
  const domain = normalizeHost(input);
  return domain !== null && domain.includes('.') && !domain.includes('_') && !/^[0-9.]+$/.test(domain) ? domain : null;
}

/** The domain part of an address (or a bare domain) when it holds non-ASCII characters, else null. */
export function unicodeDomainOf(input: string): string | null {
  const domain = input.trim().slice(input.trim().lastIndexOf('@') + 1);
  // eslint-disable-next-line no-control-regex -- the test is exactly "anything beyond ASCII"
  return /[^\u0000-\u007f]/.test(domain) ? domain : null;
}

/** The refusal of a Unicode domain name; the Node side appends the xn-- form it converts to. */
export const UNICODE_DOMAIN = 'Unicode domain names go in their ASCII form (xn--…)';

/** Why an address or domain was refused, in words, for the forms people get wrong; null for anything else. */
export function addressProblem(input: string, kind: 'mailbox' | 'alias' | 'domain'): string | null {
  const value = input.trim();
  if (kind !== 'domain' && /^\*@/.test(value)) {
    return kind === 'mailbox' ? `"${value.slice(0, 80)}" is the catch-all, which is an alias: create it as an alias (@domain or *@domain)` : null;
  }
  const local = kind === 'domain' ? '' : value.slice(0, Math.max(0, value.lastIndexOf('@')));
  // eslint-disable-next-line no-control-regex -- the test is exactly "anything beyond ASCII"
  if (/[^\u0000-\u007f]/.test(local)) return 'non-ASCII local parts (SMTPUTF8) are not supported';
  if (/^".*"$/.test(local)) return 'quoted local parts are not supported';
  if (unicodeDomainOf(value) !== null) return UNICODE_DOMAIN;
  if (value.slice(value.lastIndexOf('@') + 1).includes('_')) return 'a mail domain name cannot contain "_"';
  return null;
}
