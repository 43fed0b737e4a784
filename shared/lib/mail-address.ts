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
  const domain = normalizeHost(value.slice(at + 1));
  if (domain === null || !domain.includes('.')) return null;
  // PostfixAdmin turns the user's `*` into the `@domain` key Postfix looks up after a miss.
  if (options.allowCatchAll && (local === '' || local === '*')) return `@${domain}`;
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

/** Normalises a domain name; null when it is not a plausible FQDN. */
export function normalizeDomain(input: string): string | null {
  const domain = normalizeHost(input);
  return domain !== null && domain.includes('.') && !/^[0-9.]+$/.test(domain) ? domain : null;
}
