import getDmarcRecord from 'mailauth/lib/dmarc/get-dmarc-record.js';
import { finding, isParked, rr, unknownIfFailed, type CheckContext } from '../context.ts';
import { failureText } from '../resolver.ts';
import { isSpfRecord } from './spf-parse.ts';
import { looksLikeDmarc, parseDmarc, type ParsedDmarc } from './dmarc-parse.ts';

/** The policy that applies to the domain, for checks that depend on it (BIMI). */
export interface DmarcPolicy {
  readonly p: string;
  readonly sp: string;
  readonly pct: string | null;
  readonly inherited: boolean;
}

/** DMARC family: dmarc.* findings; returns the applying policy, or null when there is none or it is unknown. */
export async function checkDmarc(ctx: CheckContext): Promise<DmarcPolicy | null> {
  const { domain } = ctx;
  const name = `_dmarc.${domain}`;
  const [answer, apex] = await Promise.all([ctx.dns.txt(name), ctx.dns.txt(domain)]);
  if (apex.status === 'ok') {
    const atApex = apex.records.filter(looksLikeDmarc);
    if (atApex.length > 0) {
      ctx.add(finding('dmarc.apex-record', 'warning', 'A DMARC record is published at the domain itself, where it has no effect.', atApex.map((t) => rr(domain, 'TXT', t)), `Move it to ${name}.`));
    }
  }
  if (unknownIfFailed(ctx, 'dmarc.missing', 'the DMARC record', answer)) return null;
  const texts = answer.status === 'ok' ? answer.records : [];
  const dmarcs = texts.filter(looksLikeDmarc);
  const unrelated = texts.filter((t) => !looksLikeDmarc(t));
  if (unrelated.length > 0) {
    const spf = unrelated.some(isSpfRecord);
    ctx.add(finding('dmarc.unrelated-txt', 'error', spf ? `An SPF record sits at ${name}, usually a wildcard or CNAME accident.` : `${name} holds TXT records that are not DMARC.`, unrelated.map((t) => rr(name, 'TXT', t)), `Remove the non-DMARC TXT records at ${name}.`));
  }
  if (dmarcs.length > 1) {
    ctx.add(finding('dmarc.multiple-records', 'critical', `${name} has ${dmarcs.length} DMARC records; receivers then apply no DMARC policy at all (RFC 9989 §4.10).`, dmarcs.map((t) => rr(name, 'TXT', t)), 'Keep exactly one DMARC record.'));
    return null;
  }
  if (dmarcs.length === 0) return inherited(ctx);
  const text = dmarcs[0]!;
  const display = [rr(name, 'TXT', text)];
  if (!text.startsWith('v=DMARC1')) {
    ctx.add(finding('dmarc.record-prefix', 'error', 'The DMARC record does not start exactly with "v=DMARC1" (leading whitespace or wrong case), so receivers ignore it.', display, 'Make the record start with "v=DMARC1;".'));
  }
  const parsed = parseDmarc(text.trim());
  lint(ctx, parsed, display);
  await checkReportDestinations(ctx, parsed, display);
  const p = (parsed.tags.get('p') ?? 'none').toLowerCase();
  return { p, sp: (parsed.tags.get('sp') ?? p).toLowerCase(), pct: parsed.tags.get('pct') ?? null, inherited: false };
}

async function inherited(ctx: CheckContext): Promise<DmarcPolicy | null> {
  try {
    const record = (await getDmarcRecord(ctx.domain, ctx.dns.mailauth)) as false | { p?: string; sp?: string; np?: string; pct?: number; recordDomain?: string; rr?: string };
    if (record && record.recordDomain && record.recordDomain !== ctx.domain) {
      const sp = (record.sp ?? record.p ?? 'none').toLowerCase();
      if (sp === 'none') {
        ctx.add(finding('dmarc.policy-none', 'warning', `${ctx.domain} inherits p=none from ${record.recordDomain}: mail is monitored, not protected.`, [rr(`_dmarc.${record.recordDomain}`, 'TXT', record.rr ?? '')], `Publish a record at _dmarc.${ctx.domain} with p=quarantine or p=reject, or set sp= on the parent.`));
      }
      return { p: sp, sp, pct: record.pct === undefined ? null : String(record.pct), inherited: true };
    }
  } catch (error) {
    const code = String((error as NodeJS.ErrnoException).code ?? 'EUNKNOWN');
    ctx.add(finding('dmarc.missing', 'unknown', `Could not finish the DMARC tree walk: ${failureText(code)}.`, [], 'Run the check again.'));
    return null;
  }
  const fix = isParked(ctx) ? `Publish ${rr(`_dmarc.${ctx.domain}`, 'TXT', 'v=DMARC1; p=reject; sp=reject')}.` : `Publish ${rr(`_dmarc.${ctx.domain}`, 'TXT', `v=DMARC1; p=none; rua=mailto:dmarc-reports@${ctx.domain}`)} and tighten p once reports look clean.`;
  ctx.add(finding('dmarc.missing', 'error', `No DMARC policy applies to ${ctx.domain} (nothing at _dmarc.${ctx.domain} nor above it).`, [], fix));
  return null;
}

function lint(ctx: CheckContext, parsed: ParsedDmarc, display: string[]): void {
  const add = (id: string, severity: 'error' | 'warning' | 'info', message: string, fix: string): void => ctx.add(finding(id, severity, message, display, fix));
  if (parsed.errors.length > 0) add('dmarc.syntax', 'error', `The DMARC record has errors: ${parsed.errors.join('; ')}.`, 'Correct the tags listed (RFC 9989 §4.7).');
  if (parsed.unknownTags.length > 0) add('dmarc.unknown-tag', 'warning', `Unknown tags are ignored by receivers: ${parsed.unknownTags.join(', ')}.`, 'Remove the unknown tags or fix their spelling.');
  const p = parsed.tags.get('p')?.toLowerCase();
  if (p === undefined) add('dmarc.p-missing', 'warning', 'The record has no p= tag; RFC 9989 reads that as none, RFC 7489 receivers as invalid.', 'Add p=none, p=quarantine or p=reject right after v=DMARC1.');
  else if (parsed.order[1] !== 'p') add('dmarc.p-missing', 'warning', 'p= is not the second tag; RFC 7489 receivers require it there.', 'Put p= directly after v=DMARC1.');
  if (p === 'none') add('dmarc.policy-none', 'warning', 'p=none: receivers report but do not act on failing mail.', 'Move to p=quarantine, then p=reject, once aggregate reports show all legitimate mail passes.');
  const sp = parsed.tags.get('sp')?.toLowerCase();
  const np = parsed.tags.get('np')?.toLowerCase();
  if ((sp === 'none' || np === 'none') && p !== 'none') add('dmarc.subdomain-policy-none', 'warning', `${sp === 'none' ? 'sp=none' : 'np=none'} leaves ${sp === 'none' ? 'subdomains' : 'non-existent subdomains'} unprotected.`, 'Remove sp/np or set them to quarantine or reject.');
  if (parsed.tags.get('t')?.toLowerCase() === 'y') add('dmarc.test-mode', 'warning', 't=y (test mode): receivers apply a weaker policy than the one published.', 'Remove t=y once the policy is proven.');
  if (parsed.removedTags.length > 0) add('dmarc.removed-tags', 'warning', `RFC 9989 removed ${parsed.removedTags.join(', ')}; pct below 100 is no longer honoured.`, 'Remove pct, rf and ri; use t=y for a staged rollout.');
  if (parsed.rua.length === 0 && !isParked(ctx)) add('dmarc.rua-missing', 'warning', 'No rua= address: nobody receives aggregate reports.', `Add rua=mailto:dmarc-reports@${ctx.domain}.`);
  const bad = [...parsed.rua, ...parsed.ruf].filter((u) => !u.valid);
  if (bad.length > 0) add('dmarc.report-uri-invalid', 'error', `Report URIs must be mailto: addresses: ${bad.map((u) => u.raw).join(', ')}.`, 'Use rua=mailto:address@domain.');
  const sized = [...parsed.rua, ...parsed.ruf].filter((u) => u.valid && u.sizeSuffix);
  if (sized.length > 0) add('dmarc.report-uri-invalid', 'warning', `The "!size" suffix is obsolete (RFC 9990): ${sized.map((u) => u.raw).join(', ')}.`, 'Drop the !size suffix.');
  if (parsed.rua.length > 2 || parsed.ruf.length > 2) add('dmarc.too-many-report-uris', 'info', 'More than two rua or ruf addresses; some receivers send to the first two only.', 'Keep at most two addresses per tag.');
  const fo = (parsed.tags.get('fo') ?? '').split(':');
  if (fo.includes('0') && fo.includes('1')) add('dmarc.fo-redundant', 'info', 'fo contains both 0 and 1; 1 already covers 0.', 'Use fo=1.');
  if (isParked(ctx) && (p !== 'reject' || (sp ?? p) !== 'reject')) add('dmarc.parked-not-reject', 'warning', 'A parked domain should publish p=reject and sp=reject.', `Publish ${rr(`_dmarc.${ctx.domain}`, 'TXT', 'v=DMARC1; p=reject; sp=reject')}.`);
}

function inside(dest: string, org: string): boolean {
  return dest === org || dest.endsWith(`.${org}`);
}

async function checkReportDestinations(ctx: CheckContext, parsed: ParsedDmarc, display: string[]): Promise<void> {
  let org = ctx.domain;
  try {
    const record = (await getDmarcRecord(ctx.domain, ctx.dns.mailauth)) as false | { orgDomain?: string };
    if (record && record.orgDomain) org = record.orgDomain;
  } catch {
    // the tree walk failing above the author domain leaves the domain itself as the best guess
  }
  const dests = [...new Set([...parsed.rua, ...parsed.ruf].flatMap((u) => (u.valid && u.domain ? [u.domain] : [])))];
  await Promise.all(
    dests.map(async (dest) => {
      const mx = await ctx.dns.lookup<unknown[]>(dest, 'MX');
      if (mx.status === 'absent') {
        const a = await ctx.dns.addresses(dest);
        if (a.status === 'absent') ctx.add(finding('dmarc.report-domain-no-mx', 'warning', `The report domain ${dest} has no MX or address records; reports cannot be delivered.`, display, `Publish MX records for ${dest} or use another report address.`));
      }
      if (inside(dest, org) || inside(dest, ctx.domain)) return;
      // RFC 9990 §3.2.3 (RFC 7489 §7.1): the destination must authorise reports for this domain
      const auth = `${ctx.domain}._report._dmarc.${dest}`;
      const answer = await ctx.dns.txt(auth);
      if (answer.status === 'failed') {
        ctx.add(finding('dmarc.rua-unauthorized', 'unknown', `Could not check whether ${dest} accepts reports for ${ctx.domain}: ${failureText(answer.code)}.`, display, 'Run the check again.'));
      } else if (answer.status === 'absent' || !answer.records.some((t) => /^v=DMARC1/i.test(t.trim()))) {
        ctx.add(finding('dmarc.rua-unauthorized', 'error', `${dest} has not authorised reports for ${ctx.domain}; receivers drop them silently.`, display, `Ask the report receiver to publish ${rr(auth, 'TXT', 'v=DMARC1')}.`));
      }
    }),
  );
}
