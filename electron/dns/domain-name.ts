import { domainToASCII } from 'node:url';

/** Normalises user input to an A-label domain (lower case, no trailing dot), or null when it is not a usable domain name. */
export function normalizeDomain(input: string): string | null {
  const trimmed = input.trim().replace(/\.$/, '');
  if (trimmed === '' || trimmed.length > 1000) return null;
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (!ascii) return null;
  const labels = ascii.split('.');
  // RFC 1035 §2.3.4: labels of 1-63 octets, names of at most 253 characters in text form.
  if (ascii.length > 253 || labels.length < 2) return null;
  if (!labels.every((l) => l.length >= 1 && l.length <= 63 && /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/.test(l))) return null;
  return ascii;
}
