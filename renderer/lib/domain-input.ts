/** One domain as typed, read the way the checks will use it. */
export type DomainEntry =
  | { readonly ok: true; readonly input: string; readonly domain: string; readonly converted: boolean }
  | { readonly ok: false; readonly input: string; readonly problem: string };

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Reads a typed domain name: lower case, trailing dot dropped, an internationalised name turned into
 * its A-label (xn--) form by the browser's own IDNA mapping; refuses anything else with the reason.
 */
export function readDomain(raw: string): DomainEntry {
  const input = raw.trim();
  const name = input.toLowerCase().replace(/\.$/, '');
  const stray = /[^\p{L}\p{M}\p{N}.-]/u.exec(name);
  if (stray) return { ok: false, input, problem: stray[0] === '_' ? 'underscores are not allowed in a mail domain' : `“${stray[0].trim() || 'a space'}” cannot appear in a domain name` };
  let ascii: string;
  try {
    ascii = new URL(`http://${name}/`).hostname;
  } catch {
    return { ok: false, input, problem: 'not a valid internationalised domain name' };
  }
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, input, problem: 'a domain needs at least two labels, like example.com' };
  if (ascii.length > 253) return { ok: false, input, problem: 'longer than 253 characters' };
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) return { ok: false, input, problem: bad === '' ? 'has an empty label (two dots in a row)' : `the label “${bad}” must be 1–63 letters, digits or inner hyphens` };
  if (/^\d+$/.test(labels.at(-1)!)) return { ok: false, input, problem: 'an IP address is not a domain' };
  return { ok: true, input, domain: ascii, converted: ascii !== name };
}
