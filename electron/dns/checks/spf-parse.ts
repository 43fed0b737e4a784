import { isIP } from 'node:net';

/** One term of an SPF record. */
export interface SpfTerm {
  readonly raw: string;
  readonly kind: 'mechanism' | 'modifier';
  readonly qualifier: '+' | '-' | '~' | '?';
  readonly name: string;
  readonly value: string | null;
}

/** A parsed SPF record with every grammar problem found (RFC 7208 §4.6, §12). */
export interface ParsedSpf {
  readonly terms: readonly SpfTerm[];
  readonly errors: readonly string[];
  /** Terms that follow `all`; receivers never evaluate them. */
  readonly afterAll: readonly string[];
}

const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);
/** Mechanisms and modifiers that cost one DNS lookup (RFC 7208 §4.6.4). */
export const LOOKUP_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);
const MODIFIER_NAME = /^[a-z][a-z0-9_.-]*$/i;
// RFC 7208 §7.1: a macro is %{letter [digits] [r] [delimiters]}, or %%, %_, %-.
const MACRO = /%(\{[slodiphcrtv]\d*r?[.\-+,/_=]*\}|[%_-])/gi;

/** True when `spec` is a usable domain-spec: macros allowed, labels of 1-63 octets, ends in a toplabel. */
export function isDomainSpec(spec: string): boolean {
  if (spec.length === 0 || spec.length > 253 * 2) return false;
  const stripped = spec.replace(MACRO, 'x');
  if (stripped.includes('%')) return false;
  if (/%\{/.test(spec) && /^[\x21-\x7e]+$/.test(spec)) return true;
  const labels = stripped.replace(/\.$/, '').split('.');
  if (labels.length < 2) return false;
  return labels.every((l) => l.length > 0 && l.length <= 63 && /^[\x21-\x7e]+$/.test(l)) && /^[a-z0-9-]*[a-z][a-z0-9-]*$/i.test(labels.at(-1)!);
}

function cidrOk(cidr: string | undefined, max: number): boolean {
  if (cidr === undefined) return true;
  return /^\d{1,3}$/.test(cidr) && Number(cidr) <= max && !/^0\d/.test(cidr);
}

/** Validates an `a`/`mx` value: optional domain-spec, then /v4 and //v6 prefix lengths. */
function hostWithCidr(value: string): boolean {
  const m = /^([^/]*)(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(value);
  if (!m) return false;
  if (m[1] !== '' && !isDomainSpec(m[1]!)) return false;
  return cidrOk(m[2], 32) && cidrOk(m[3], 128);
}

// Records repeat across a bulk run (every customer includes the same provider records), and parsing is
// pure, so parsed records are shared; the bound keeps a run over odd input from growing it without limit.
const parsedSpf = new Map<string, ParsedSpf>();
const PARSED_MAX = 4096;

/** Parses an SPF record (`v=spf1 ...`) and collects grammar errors instead of throwing; results are shared, never mutate them. */
export function parseSpf(record: string): ParsedSpf {
  let parsed = parsedSpf.get(record);
  if (!parsed) {
    if (parsedSpf.size >= PARSED_MAX) parsedSpf.clear();
    parsed = parseSpfUncached(record);
    parsedSpf.set(record, parsed);
  }
  return parsed;
}

function parseSpfUncached(record: string): ParsedSpf {
  const errors: string[] = [];
  const parts = record.trim().split(/ +/);
  if ((parts[0] ?? '').toLowerCase() !== 'v=spf1') errors.push('the record must start with "v=spf1"');
  const terms: SpfTerm[] = [];
  const afterAll: string[] = [];
  let seenAll = false;
  let redirects = 0;
  let exps = 0;
  for (const raw of parts.slice(1)) {
    if (raw === '') continue;
    if (seenAll) afterAll.push(raw);
    const modifier = /^([^:/=]+)=(.*)$/.exec(raw);
    if (modifier && !MECHANISMS.has(modifier[1]!.toLowerCase().replace(/^[+\-~?]/, ''))) {
      const name = modifier[1]!.toLowerCase();
      const value = modifier[2]!;
      if (!MODIFIER_NAME.test(name)) errors.push(`"${raw}" is not a valid term`);
      if (name === 'redirect') {
        redirects++;
        if (!isDomainSpec(value)) errors.push(`redirect target "${value}" is not a domain name`);
      }
      if (name === 'exp') {
        exps++;
        if (!isDomainSpec(value)) errors.push(`exp target "${value}" is not a domain name`);
      }
      terms.push({ raw, kind: 'modifier', qualifier: '+', name, value });
      continue;
    }
    const qualifier = /^[+\-~?]/.test(raw) ? (raw[0] as SpfTerm['qualifier']) : '+';
    const body = qualifier === raw[0] ? raw.slice(1) : raw;
    const m = /^([a-z0-9]+)(?:([:/])(.*))?$/i.exec(body);
    const name = m?.[1]?.toLowerCase() ?? '';
    if (!m || !MECHANISMS.has(name)) {
      errors.push(`"${raw}" is not a known mechanism`);
      continue;
    }
    const value = m[2] === ':' ? m[3]! : m[2] === '/' ? `/${m[3]}` : null;
    terms.push({ raw, kind: 'mechanism', qualifier, name, value });
    switch (name) {
      case 'all':
        if (value !== null) errors.push(`"${raw}": all takes no value`);
        if (seenAll) errors.push('"all" appears more than once');
        seenAll = true;
        break;
      case 'include':
      case 'exists':
        if (value === null || !isDomainSpec(value)) errors.push(`"${raw}": ${name} needs a domain name`);
        break;
      case 'a':
      case 'mx':
        if (value !== null && !hostWithCidr(value.startsWith('/') ? value : value)) errors.push(`"${raw}": invalid ${name} target or prefix length`);
        break;
      case 'ptr':
        if (value !== null && !isDomainSpec(value)) errors.push(`"${raw}": ptr needs a domain name`);
        break;
      case 'ip4': {
        const [ip, cidr, extra] = (value ?? '').split('/');
        if (value === null || extra !== undefined || isIP(ip ?? '') !== 4 || !cidrOk(cidr, 32)) {
          errors.push(`"${raw}": ${isIP(ip ?? '') === 6 ? 'an IPv6 address in ip4' : 'not an IPv4 address or prefix'}`);
        }
        break;
      }
      case 'ip6': {
        const slash = (value ?? '').lastIndexOf('/');
        const ip = slash >= 0 ? value!.slice(0, slash) : (value ?? '');
        const cidr = slash >= 0 ? value!.slice(slash + 1) : undefined;
        if (value === null || isIP(ip) !== 6 || !cidrOk(cidr, 128)) {
          errors.push(`"${raw}": ${isIP(ip) === 4 ? 'an IPv4 address in ip6' : 'not an IPv6 address or prefix'}`);
        }
        break;
      }
    }
  }
  if (redirects > 1) errors.push('more than one redirect modifier');
  if (exps > 1) errors.push('more than one exp modifier');
  return { terms, errors, afterAll };
}

/** True when a TXT string is an SPF record (RFC 7208 §4.5: "v=spf1" then a space or the end). */
export function isSpfRecord(txt: string): boolean {
  return /^v=spf1( |$)/i.test(txt);
}
