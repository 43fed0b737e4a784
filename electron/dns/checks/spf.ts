// The SPF module alone: mailauth's index also loads BIMI (undici, X.509 parsing), DKIM signing and ARC, none of them used here.
import { spf as evaluateSpf } from 'mailauth/lib/spf/index.js';
import { finding, isParked, rr, unknownIfFailed, type CheckContext } from '../context.ts';
import { failureText } from '../resolver.ts';
import { isSpfRecord, LOOKUP_TERMS, parseSpf, type SpfTerm } from './spf-parse.ts';

/** The walk across includes and redirects (RFC 7208 §4.6.4 counts every nested term). */
interface SpfWalk {
  lookups: number;
  voids: number;
  loops: Set<string>;
  invalidIncludes: Map<string, string>;
  noRecords: Set<string>;
  mxOverLimit: Set<string>;
  failures: Set<string>;
  nestedPtr: boolean;
}

// Hostile records can nest without end; past this many lookups the verdict is already permerror.
const WALK_CAP = 60;
const MAX_DEPTH = 25;

/** SPF family: spf.* findings for the domain's own record and everything it includes. */
export async function checkSpf(ctx: CheckContext): Promise<void> {
  const { domain } = ctx;
  const raw = await ctx.dns.lookup<string[][]>(domain, 'TXT');
  if (unknownIfFailed(ctx, 'spf.missing', 'the SPF record', raw)) return;
  const chunks = raw.status === 'ok' ? raw.records : [];
  const texts = chunks.map((c) => c.join(''));
  const spfIndexes = texts.flatMap((t, i) => (isSpfRecord(t) ? [i] : []));
  const leading = texts.filter((t) => /^\s+v=spf1( |$)/i.test(t));
  const obsolete = texts.filter((t) => /^spf2\.0\//i.test(t));
  if (obsolete.length > 0) {
    ctx.add(finding('spf.obsolete-records', 'warning', 'A Sender ID (spf2.0) record is published; no receiver uses it.', obsolete.map((t) => rr(domain, 'TXT', t)), 'Delete the spf2.0 record; keep only the v=spf1 record.'));
  }
  if (leading.length > 0) {
    ctx.add(finding('spf.record-hygiene', 'error', 'The SPF record starts with whitespace, so receivers do not recognise it as SPF.', leading.map((t) => rr(domain, 'TXT', t)), 'Remove the leading spaces so the record starts with "v=spf1".'));
  }
  if (spfIndexes.length === 0) {
    if (leading.length === 0) {
      const fix = isParked(ctx) ? `Publish ${rr(domain, 'TXT', 'v=spf1 -all')} so nobody can send as this domain.` : 'Publish one TXT record "v=spf1 <your senders> ~all" at the domain.';
      ctx.add(finding('spf.missing', 'error', `${domain} publishes no SPF record; receivers cannot tell which servers may send for it.`, [], fix));
    }
    return;
  }
  if (spfIndexes.length > 1) {
    ctx.add(finding('spf.multiple-records', 'critical', `${domain} publishes ${spfIndexes.length} SPF records; receivers treat that as a permanent error (RFC 7208 §4.5).`, spfIndexes.map((i) => rr(domain, 'TXT', texts[i]!)), 'Merge them into a single v=spf1 record.'));
    return;
  }
  const record = texts[spfIndexes[0]!]!;
  const strings = chunks[spfIndexes[0]!]!;
  const display = [rr(domain, 'TXT', record)];
  checkSize(ctx, record, strings, display);
  const parsed = parseSpf(record);
  if (parsed.errors.length > 0) {
    ctx.add(finding('spf.syntax', 'critical', `The SPF record has syntax errors, so receivers return permerror: ${parsed.errors.join('; ')}.`, display, 'Correct the listed terms (RFC 7208 §12 grammar).'));
  }
  if (parsed.afterAll.length > 0) {
    ctx.add(finding('spf.record-hygiene', 'warning', `Terms after "all" are never evaluated: ${parsed.afterAll.join(' ')}.`, display, 'Move or delete the terms after "all".'));
  }
  lintPolicy(ctx, parsed.terms, display);
  const walk: SpfWalk = { lookups: 0, voids: 0, loops: new Set(), invalidIncludes: new Map(), noRecords: new Set(), mxOverLimit: new Set(), failures: new Set(), nestedPtr: false };
  await walkTerms(ctx, domain, parsed.terms, [domain], walk, 0);
  reportWalk(ctx, walk, display);
  if (isParked(ctx) && record.trim().toLowerCase() !== 'v=spf1 -all') {
    ctx.add(finding('spf.parked-not-strict', 'warning', 'A parked domain should publish exactly "v=spf1 -all".', display, `Replace the record with ${rr(domain, 'TXT', 'v=spf1 -all')}.`));
  }
  if (parsed.errors.length === 0) await checkSendingIps(ctx, display);
}

function checkSize(ctx: CheckContext, record: string, strings: readonly string[], display: string[]): void {
  const wire = strings.reduce((n, s) => n + Buffer.byteLength(s) + 1, 0);
  const long = strings.filter((s) => Buffer.byteLength(s) > 255);
  // RFC 7208 §3.4: keep the answer within 512 octets; checkdmarc warns from 450.
  if (long.length > 0 || wire > 450) {
    ctx.add(finding('spf.record-size', 'warning', `The SPF record is ${wire} bytes${wire > 512 ? ', more than fits a 512-byte UDP answer' : ''}${long.length ? '; a string is longer than 255 characters' : ''}.`, display, 'Shorten the record: replace ip4/ip6 lists with an include, or drop unused includes.'));
  }
  void record;
}

function lintPolicy(ctx: CheckContext, terms: readonly SpfTerm[], display: string[]): void {
  const all = terms.find((t) => t.kind === 'mechanism' && t.name === 'all');
  const redirect = terms.some((t) => t.kind === 'modifier' && t.name === 'redirect');
  if (all && all.qualifier === '+') {
    ctx.add(finding('spf.all-pass', 'error', 'The record ends in "+all", which authorises every server on the internet to send as this domain.', display, 'End the record with "~all" or "-all".'));
  } else if ((all && all.qualifier === '?') || (!all && !redirect)) {
    ctx.add(finding('spf.all-neutral', 'warning', all ? '"?all" gives no verdict for unlisted servers.' : 'The record has no "all" term, so unlisted servers get a neutral result.', display, 'End the record with "~all" (or "-all" when every sender is listed).'));
  }
  if (terms.some((t) => t.name === 'ptr' && t.kind === 'mechanism')) {
    ctx.add(finding('spf.ptr-mechanism', 'warning', 'The record uses "ptr", which RFC 7208 §5.5 says SHOULD NOT be used: it is slow and unreliable.', display, 'Replace "ptr" with ip4/ip6 or a/mx terms.'));
  }
  const includes = terms.filter((t) => t.name === 'include').map((t) => (t.value ?? '').toLowerCase());
  const dupes = [...new Set(includes.filter((v, i) => includes.indexOf(v) !== i))];
  if (dupes.length > 0) {
    ctx.add(finding('spf.duplicate-include', 'warning', `Included more than once: ${dupes.join(', ')}; each copy costs lookups.`, display, 'List each include once.'));
  }
}

async function fetchSpf(ctx: CheckContext, target: string, walk: SpfWalk): Promise<SpfTerm[] | null> {
  const answer = await ctx.dns.txt(target);
  if (answer.status === 'failed') {
    walk.failures.add(`${target}: ${failureText(answer.code)}`);
    return null;
  }
  if (answer.status === 'absent') {
    walk.voids++;
    walk.invalidIncludes.set(target, answer.reason === 'nxdomain' ? 'does not exist' : 'has no TXT record');
    return null;
  }
  const spfs = answer.records.filter(isSpfRecord);
  if (spfs.length !== 1) {
    walk.invalidIncludes.set(target, spfs.length === 0 ? 'publishes no SPF record' : 'publishes several SPF records');
    return null;
  }
  const parsed = parseSpf(spfs[0]!);
  if (parsed.errors.length > 0) walk.invalidIncludes.set(target, `has syntax errors (${parsed.errors[0]})`);
  if (parsed.terms.some((t) => t.name === 'all' && t.qualifier === '+')) walk.invalidIncludes.set(target, 'ends in +all, which authorises everyone');
  return [...parsed.terms];
}

async function walkTerms(ctx: CheckContext, domain: string, terms: readonly SpfTerm[], path: readonly string[], walk: SpfWalk, depth: number): Promise<void> {
  const hasAll = terms.some((t) => t.name === 'all');
  const tasks: Promise<void>[] = [];
  for (const term of terms) {
    if (!LOOKUP_TERMS.has(term.name) || (term.name === 'redirect' && (term.kind !== 'modifier' || hasAll))) continue;
    if (term.kind === 'modifier' && term.name !== 'redirect') continue;
    walk.lookups++;
    if (walk.lookups > WALK_CAP) return;
    const target = (term.value && !term.value.startsWith('/') ? term.value.split('/')[0]! : domain).toLowerCase().replace(/\.$/, '');
    if (target.includes('%')) continue; // macros expand per message; they cannot be resolved statically
    if (term.name === 'ptr') {
      if (depth > 0) walk.nestedPtr = true;
      continue;
    }
    tasks.push(resolveTerm(ctx, term, target, path, walk, depth));
  }
  await Promise.all(tasks);
}

async function resolveTerm(ctx: CheckContext, term: SpfTerm, target: string, path: readonly string[], walk: SpfWalk, depth: number): Promise<void> {
  switch (term.name) {
    case 'include':
    case 'redirect': {
      if (path.includes(target)) {
        walk.loops.add([...path, target].join(' → '));
        return;
      }
      if (depth >= MAX_DEPTH) return;
      const nested = await fetchSpf(ctx, target, walk);
      if (nested) await walkTerms(ctx, target, nested, [...path, target], walk, depth + 1);
      return;
    }
    case 'a': {
      const answer = await ctx.dns.addresses(target);
      if (answer.status === 'failed') walk.failures.add(`${term.raw}: ${failureText(answer.code)}`);
      else if (answer.status === 'absent') {
        walk.voids++;
        walk.noRecords.add(term.raw);
      }
      return;
    }
    case 'mx': {
      const answer = await ctx.dns.lookup<unknown[]>(target, 'MX');
      if (answer.status === 'failed') walk.failures.add(`${term.raw}: ${failureText(answer.code)}`);
      else if (answer.status === 'absent') {
        walk.voids++;
        walk.noRecords.add(term.raw);
      } else if (answer.records.length > 10) walk.mxOverLimit.add(target);
      return;
    }
    case 'exists': {
      const answer = await ctx.dns.lookup<string[]>(target, 'A');
      if (answer.status === 'absent') walk.voids++;
      return;
    }
  }
}

/** Counts the DNS lookups an SPF term list costs, through nested includes (RFC 7208 §4.6.4). */
export async function countSpfLookups(ctx: CheckContext, domain: string, terms: readonly SpfTerm[]): Promise<{ lookups: number; voids: number; failed: boolean }> {
  const walk: SpfWalk = { lookups: 0, voids: 0, loops: new Set(), invalidIncludes: new Map(), noRecords: new Set(), mxOverLimit: new Set(), failures: new Set(), nestedPtr: false };
  await walkTerms(ctx, domain, terms, [domain], walk, 0);
  return { lookups: walk.lookups, voids: walk.voids, failed: walk.failures.size > 0 };
}

function reportWalk(ctx: CheckContext, walk: SpfWalk, display: string[]): void {
  const counted = walk.lookups > WALK_CAP ? `more than ${WALK_CAP}` : String(walk.lookups);
  if (walk.lookups > 10) {
    ctx.add(finding('spf.lookup-limit', 'critical', `Evaluating the SPF record takes ${counted} DNS lookups, over the limit of 10 (RFC 7208 §4.6.4); receivers return permerror.`, display, 'Flatten nested includes into ip4/ip6 terms or remove includes you no longer use, to stay at 10 or fewer.'));
  } else if (walk.lookups >= 8) {
    ctx.add(finding('spf.lookup-limit', 'warning', `Evaluating the SPF record takes ${counted} of the 10 allowed DNS lookups; one more provider include may break it.`, display, 'Flatten or remove includes to keep headroom under 10.'));
  }
  if (walk.voids > 2) {
    ctx.add(finding('spf.void-lookups', 'critical', `${walk.voids} lookups return no records, more than the 2 void lookups allowed (RFC 7208 §4.6.4).`, display, 'Remove terms that point at names without records.'));
  }
  if (walk.mxOverLimit.size > 0) {
    ctx.add(finding('spf.mx-ptr-limit', 'critical', `An "mx" term points at a domain with more than 10 MX records (${[...walk.mxOverLimit].join(', ')}), a permerror (RFC 7208 §4.6.4).`, display, 'Replace the mx term with ip4/ip6 terms.'));
  }
  if (walk.nestedPtr) {
    ctx.add(finding('spf.ptr-mechanism', 'warning', 'An included record uses "ptr" (RFC 7208 §5.5 SHOULD NOT).', display, 'Ask the provider for an include without ptr.'));
  }
  for (const loop of walk.loops) {
    ctx.add(finding('spf.include-loop', 'error', `The SPF includes form a loop: ${loop}.`, display, 'Break the loop: no record may include a record that includes it back.'));
  }
  if (walk.invalidIncludes.size > 0) {
    const list = [...walk.invalidIncludes].map(([t, why]) => `${t} ${why}`);
    ctx.add(finding('spf.include-invalid', 'error', `Included or redirected SPF policies are broken: ${list.join('; ')}.`, display, 'Fix or remove the include/redirect targets listed.'));
  }
  if (walk.noRecords.size > 0) {
    ctx.add(finding('spf.target-no-records', 'warning', `These terms point at names without records: ${[...walk.noRecords].join(', ')}.`, display, 'Remove the terms or publish the records they expect.'));
  }
  if (walk.failures.size > 0) {
    ctx.add(finding('spf.lookup-limit', 'unknown', `Part of the SPF record could not be evaluated: ${[...walk.failures].slice(0, 5).join('; ')}.`, display, 'Run the check again; if it persists, check the DNS of the named targets.'));
  }
}

async function checkSendingIps(ctx: CheckContext, display: string[]): Promise<void> {
  for (const ip of ctx.options.sendingIps) {
    let result: string;
    try {
      const out = await evaluateSpf({ ip, sender: `postmaster@${ctx.domain}`, helo: ctx.domain, mta: 'mailroom', resolver: ctx.dns.mailauth });
      result = out.status.result;
    } catch {
      // mailauth rejects only for unusable input (an address it cannot parse); treat as not testable
      result = 'temperror';
    }
    if (result === 'pass') continue;
    if (result === 'temperror') {
      ctx.add(finding('spf.ip-not-authorized', 'unknown', `Could not evaluate SPF for ${ip} (temporary DNS error).`, display, 'Run the check again.'));
    } else {
      ctx.add(finding('spf.ip-not-authorized', 'critical', `Sending IP ${ip} gets SPF "${result}" for ${ctx.domain}; its mail fails SPF.`, display, `Add ip${ip.includes(':') ? '6' : '4'}:${ip} (or the provider include) to the SPF record.`));
    }
  }
}
