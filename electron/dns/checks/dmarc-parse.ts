/** A DMARC record split into tags, with every problem found (RFC 9989 §4.7; RFC 7489 §6.3 still understood). */
export interface ParsedDmarc {
  readonly tags: ReadonlyMap<string, string>;
  readonly order: readonly string[];
  readonly errors: readonly string[];
  readonly unknownTags: readonly string[];
  readonly removedTags: readonly string[];
  readonly rua: readonly ReportUri[];
  readonly ruf: readonly ReportUri[];
}

/** One rua/ruf destination. */
export interface ReportUri {
  readonly raw: string;
  /** The mailbox domain, for mailto URIs. */
  readonly domain: string | null;
  readonly valid: boolean;
  readonly sizeSuffix: boolean;
}

const POLICY = /^(none|quarantine|reject)$/;
const VALIDATORS: Record<string, (v: string) => boolean> = {
  v: (v) => v === 'DMARC1',
  p: (v) => POLICY.test(v),
  sp: (v) => POLICY.test(v),
  np: (v) => POLICY.test(v),
  adkim: (v) => /^[rs]$/.test(v),
  aspf: (v) => /^[rs]$/.test(v),
  fo: (v) => /^[01ds](:[01ds])*$/.test(v),
  t: (v) => /^[yn]$/.test(v),
  psd: (v) => /^[ynu]$/.test(v),
  rua: () => true,
  ruf: () => true,
  // RFC 7489 tags, removed by RFC 9989 Appendix A.6 but still seen
  pct: (v) => /^\d{1,3}$/.test(v) && Number(v) <= 100,
  rf: (v) => /^(afrf|iodef)(:(afrf|iodef))*$/i.test(v),
  ri: (v) => /^\d{1,10}$/.test(v),
};
const REMOVED = new Set(['pct', 'rf', 'ri']);

/** Parses one report URI (RFC 9990 §3.2: mailto only in practice; "!size" is obsolete). */
export function parseReportUri(raw: string): ReportUri {
  const m = /^mailto:([^@\s!]+)@([^\s!]+?)(!\d+[kmgt]?)?$/i.exec(raw.trim());
  if (!m) return { raw, domain: null, valid: false, sizeSuffix: /![0-9]/.test(raw) };
  const domain = m[2]!.toLowerCase().replace(/\.$/, '');
  const valid = /^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{2,63}$/i.test(domain);
  return { raw, domain: valid ? domain : null, valid, sizeSuffix: m[3] !== undefined };
}

/** Parses a DMARC TXT record; never throws. */
export function parseDmarc(record: string): ParsedDmarc {
  const tags = new Map<string, string>();
  const order: string[] = [];
  const errors: string[] = [];
  const unknownTags: string[] = [];
  const removedTags: string[] = [];
  const parts = record.split(';').map((p) => p.trim());
  for (const part of parts) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) {
      errors.push(`"${part}" is not a tag=value pair`);
      continue;
    }
    const name = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (tags.has(name)) {
      errors.push(`tag "${name}" appears more than once`);
      continue;
    }
    tags.set(name, value);
    order.push(name);
    // Tag names come from the zone: `__proto__=` or `constructor=` must not reach Object.prototype.
    const validate = Object.hasOwn(VALIDATORS, name) ? VALIDATORS[name] : undefined;
    if (!validate) unknownTags.push(name);
    else if (!validate(name === 'v' ? value : value.toLowerCase())) errors.push(`${name}=${value} is not a valid value`);
    if (REMOVED.has(name)) removedTags.push(`${name}=${value}`);
  }
  if (order[0] !== 'v') errors.push('the record must start with "v=DMARC1"');
  const uris = (name: string): ReportUri[] =>
    (tags.get(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(parseReportUri);
  return { tags, order, errors, unknownTags, removedTags, rua: uris('rua'), ruf: uris('ruf') };
}

/** True when a TXT string claims to be DMARC (leading whitespace tolerated, reported separately). */
export function looksLikeDmarc(txt: string): boolean {
  return /^\s*v\s*=\s*DMARC1\b/i.test(txt);
}
