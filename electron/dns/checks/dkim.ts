import { createPublicKey } from 'node:crypto';
import { finding, isParked, rr, unknownIfFailed, type CheckContext } from '../context.ts';

/** A DKIM key record's decoded facts. */
export interface DkimKeyFacts {
  readonly tags: ReadonlyMap<string, string>;
  readonly errors: readonly string[];
  readonly keyType: 'rsa' | 'ed25519' | null;
  readonly bits: number | null;
  readonly revoked: boolean;
  readonly testing: boolean;
}

/** Parses and decodes a DKIM key record (RFC 6376 §3.6.1, RFC 8463 for Ed25519); never throws. */
export function parseDkimKey(record: string): DkimKeyFacts {
  const tags = new Map<string, string>();
  const errors: string[] = [];
  const parts = record.split(';').map((p) => p.trim()).filter((p) => p !== '');
  parts.forEach((part, i) => {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      errors.push(`"${part}" is not a tag=value pair`);
      return;
    }
    const name = part.slice(0, eq).trim().toLowerCase();
    if (tags.has(name)) errors.push(`tag ${name} appears twice`);
    tags.set(name, part.slice(eq + 1).replace(/\s+/g, ''));
    if (name === 'v' && i !== 0) errors.push('v= must be the first tag');
  });
  const v = tags.get('v');
  if (v !== undefined && v !== 'DKIM1') errors.push(`v=${v} is not DKIM1`);
  const k = (tags.get('k') ?? 'rsa').toLowerCase();
  if (k !== 'rsa' && k !== 'ed25519') errors.push(`k=${k} is not a known key type`);
  const h = tags.get('h');
  if (h !== undefined && !h.toLowerCase().split(':').includes('sha256')) errors.push(`h=${h} does not allow sha256 (RFC 8301 forbids sha1)`);
  const s = tags.get('s');
  if (s !== undefined && !s.toLowerCase().split(':').some((x) => x === 'email' || x === '*')) errors.push(`s=${s} does not allow email`);
  const p = tags.get('p');
  const testing = (tags.get('t') ?? '').toLowerCase().split(':').includes('y');
  if (p === undefined) {
    errors.push('the p= tag (public key) is missing');
    return { tags, errors, keyType: null, bits: null, revoked: false, testing };
  }
  if (p === '') return { tags, errors, keyType: null, bits: null, revoked: true, testing };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(p)) {
    errors.push('p= is not valid base64');
    return { tags, errors, keyType: null, bits: null, revoked: false, testing };
  }
  if (k === 'ed25519') {
    const der = Buffer.from(p, 'base64');
    if (der.length !== 32) errors.push(`an Ed25519 key is 32 bytes, this one is ${der.length} (publish the raw key, not SPKI; RFC 8463 §4)`);
    return { tags, errors, keyType: 'ed25519', bits: der.length === 32 ? 256 : null, revoked: false, testing };
  }
  const key = rsaKey(p);
  if (key.error !== undefined) {
    errors.push(key.error);
    return { tags, errors, keyType: null, bits: null, revoked: false, testing };
  }
  return { tags, errors, keyType: 'rsa', bits: key.bits, revoked: false, testing };
}

type RsaKey = { readonly bits: number | null; readonly error?: undefined } | { readonly bits?: undefined; readonly error: string };

// Decoded keys by their p= text. Decoding goes through OpenSSL (~50 µs a key) and one key is often published for many
// domains (a provider's selector CNAMEd from each customer's, a fleet signing with one key), so a bulk run decodes it once.
const decoded = new Map<string, RsaKey>();
const DECODED_MAX = 4096;

function rsaKey(p: string): RsaKey {
  const hit = decoded.get(p);
  if (hit) return hit;
  const key = decodeRsaKey(Buffer.from(p, 'base64'));
  if (decoded.size >= DECODED_MAX) decoded.clear();
  decoded.set(p, key);
  return key;
}

function decodeRsaKey(der: Buffer): RsaKey {
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      if (key.asymmetricKeyType !== 'rsa') return { error: `k=rsa but the key is ${key.asymmetricKeyType}` };
      return { bits: key.asymmetricKeyDetails?.modulusLength ?? null };
    } catch {
      // not this encoding; try the next, then report
    }
  }
  return { error: 'p= does not decode to an RSA public key' };
}

/**
 * Selectors tried when none is configured: the defaults of common platforms (Google Workspace, Microsoft 365,
 * cPanel/Plesk, Mailchimp/Mandrill, Fastmail, Proton, Zoho, Amazon SES custom, generic "dkim"/"mail"/"s1").
 */
export const COMMON_SELECTORS: readonly string[] = ['google', 'selector1', 'selector2', 'default', 'dkim', 'mail', 'k1', 'k2', 'k3', 's1', 's2', 'sig1', 'smtp', 'fm1', 'fm2', 'fm3', 'protonmail', 'protonmail2', 'protonmail3', 'zoho', 'mandrill', 'key1'];

/** True when a TXT value looks like a DKIM key record (a wildcard TXT at the selector name is not one). */
function looksLikeDkim(text: string): boolean {
  return /^\s*v\s*=\s*DKIM1\b/i.test(text) || /(^|;)\s*p\s*=/i.test(text);
}

/** DKIM family: dkim.* findings for each configured selector, or for the common selectors found when none is configured. */
export async function checkDkim(ctx: CheckContext): Promise<void> {
  if (isParked(ctx)) return;
  const selectors = ctx.options.dkimSelectors.length > 0 ? ctx.options.dkimSelectors : await discoverSelectors(ctx);
  if (selectors.length === 0) return;
  const types = await Promise.all(selectors.map((s) => checkSelector(ctx, s)));
  if (types.includes('rsa') && !types.includes('ed25519')) {
    ctx.add(finding('dkim.ed25519-missing', 'info', 'Only RSA DKIM keys are published; an Ed25519 selector next to RSA is the modern dual-signing set-up (RFC 8463).', [], 'Generate an Ed25519 key, publish it under a second selector and sign with both.'));
  }
}

// DNS cannot list selectors (RFC 6376 §3.6.2.1), so this is a guess: found keys are reported, absent ones are not errors.
async function discoverSelectors(ctx: CheckContext): Promise<string[]> {
  // The lookups' own promises, matched to selectors by position: an async wrapper apiece cost a promise and an await for
  // each of the 22 names of every domain.
  const answers = await Promise.all(COMMON_SELECTORS.map((s) => ctx.dns.txt(`${s}._domainkey.${ctx.domain}`)));
  const found = COMMON_SELECTORS.filter((_, i) => {
    const a = answers[i]!;
    return a.status === 'ok' && a.records.some(looksLikeDkim);
  });
  const failed = answers.some((a) => a.status === 'failed');
  const bulk = ctx.options.profile === 'bulk-sender';
  if (found.length > 0) {
    ctx.add(finding('dkim.selector-unknown', 'info', `No DKIM selector is configured; keys were found at the common selector${found.length > 1 ? 's' : ''} ${found.join(', ')} and checked.`, found.map((s) => `${s}._domainkey.${ctx.domain}.`), `Configure the selector${found.length > 1 ? 's' : ''} the domain signs with (${found.join(', ')}) so a missing key is reported as critical.`));
  } else if (failed) {
    ctx.add(finding('dkim.key-missing', 'unknown', 'No DKIM selector is configured, and looking for keys at the common selectors failed.', [], 'Run the check again, or give the selector(s) the domain signs with.'));
  } else {
    // Google, Yahoo and Microsoft require DKIM from bulk senders (their 2024 sender rules).
    ctx.add(finding('dkim.key-missing', bulk ? 'unknown' : 'info', `No DKIM selector is configured and none of the ${COMMON_SELECTORS.length} common selectors (${COMMON_SELECTORS.slice(0, 6).join(', ')}, …) has a key${bulk ? '; bulk senders must sign with DKIM' : ''}.`, [], 'Give the selector(s) the domain signs with (the s= tag of a DKIM-Signature header), or publish a key.'));
  }
  return found;
}

async function checkSelector(ctx: CheckContext, selector: string): Promise<'rsa' | 'ed25519' | null> {
  const name = `${selector}._domainkey.${ctx.domain}`;
  const answer = await ctx.dns.lookup<string[][]>(name, 'TXT');
  if (unknownIfFailed(ctx, 'dkim.key-missing', `DKIM selector ${selector}`, answer)) return null;
  if (answer.status === 'absent') {
    ctx.add(finding('dkim.key-missing', 'critical', `No DKIM key is published for selector "${selector}"; mail signed with it fails DKIM.`, [], `Publish the key as a TXT record at ${name}.`));
    return null;
  }
  const texts = answer.records.map((c) => c.join(''));
  const display = texts.map((t) => rr(name, 'TXT', t));
  if (texts.length > 1) {
    ctx.add(finding('dkim.record-format', 'warning', `${name} has ${texts.length} TXT records; verifiers read only one, so signatures fail at random.`, display, 'Publish one TXT record, split into several quoted strings if long.'));
  }
  if (answer.records.some((c) => c.some((s) => Buffer.byteLength(s) > 255))) {
    ctx.add(finding('dkim.record-format', 'warning', 'A character-string is longer than 255 octets (RFC 1035 §3.3).', display, 'Split the value into strings of at most 255 characters in one TXT record.'));
  }
  const facts = parseDkimKey(texts[0]!);
  if (facts.revoked) {
    ctx.add(finding('dkim.key-revoked', 'critical', `Selector "${selector}" has an empty p=, which revokes the key; mail signed with it fails DKIM.`, display, 'Sign with a selector that has a key, or publish the current public key here.'));
    return null;
  }
  if (facts.errors.length > 0) {
    ctx.add(finding('dkim.key-syntax', 'error', `The DKIM record for "${selector}" is invalid: ${facts.errors.join('; ')}.`, display, 'Republish the record as generated by your mail platform ("v=DKIM1; k=rsa; p=<base64>").'));
    return null;
  }
  const signing = await ctx.options.dkimKeySource?.(ctx.domain, selector).catch(() => null);
  if (signing && facts.tags.get('p') !== signing) {
    ctx.add(finding('dkim.key-mismatch', 'critical', `The key published for selector "${selector}" is not the key Mailroom generated for signing, so every signature made with it fails.`, display, `Publish ${rr(name, 'TXT', `v=DKIM1; k=${facts.keyType ?? 'rsa'}; p=${signing}`)}.`));
  }
  if (facts.keyType === 'rsa' && facts.bits !== null) {
    if (facts.bits < 1024) ctx.add(finding('dkim.key-too-short', 'error', `Selector "${selector}" has a ${facts.bits}-bit RSA key; verifiers reject keys under 1024 bits (RFC 8301 §3.2).`, display, 'Generate a 2048-bit key and publish it under a new selector.'));
    else if (facts.bits < 2048) ctx.add(finding('dkim.key-too-short', 'warning', `Selector "${selector}" has a ${facts.bits}-bit RSA key; 2048 bits is recommended (RFC 8301 §3.2).`, display, 'Rotate to a 2048-bit key.'));
  }
  if (facts.testing) ctx.add(finding('dkim.key-syntax', 'info', `Selector "${selector}" is in test mode (t=y); receivers may ignore failures.`, display, 'Remove t=y once signing works.'));
  return facts.keyType;
}
