import type { DomainReport, Finding } from '../../shared/domain/dns.ts';
import type { StandardRule } from '../../shared/domain/standards.ts';
import { parseDmarc, looksLikeDmarc } from '../dns/checks/dmarc-parse.ts';
import { isSpfRecord, parseSpf } from '../dns/checks/spf-parse.ts';
import { failureText, type DnsClient } from '../dns/resolver.ts';
import { fromMisses, type RuleCheck, type RuleMiss } from './rule-check.ts';

/** Check catalogue findings each DNS rule forbids: any of them on a domain (not `unknown`) is a deviation. */
export const FORBIDDEN_FINDINGS: Readonly<Record<string, readonly string[]>> = {
  'dmarc.policy-none': ['dmarc.missing', 'dmarc.policy-none', 'dmarc.p-missing', 'dmarc.syntax', 'dmarc.multiple-records', 'dmarc.rua-missing', 'dmarc.report-uri-invalid'],
  'spf.all-neutral': ['spf.missing', 'spf.all-pass', 'spf.all-neutral', 'spf.multiple-records', 'spf.syntax'],
  'dkim.key-too-short': ['dkim.key-too-short', 'dkim.key-missing', 'dkim.key-revoked', 'dkim.key-syntax'],
  'mta-sts.mode-weak': ['mta-sts.missing', 'mta-sts.mode-weak', 'mta-sts.policy-fetch', 'mta-sts.policy-syntax', 'mta-sts.record-invalid', 'mta-sts.host-missing', 'tlsrpt.missing', 'tlsrpt.invalid'],
  'dns.dnssec-unsigned': ['dns.dnssec-unsigned'],
  'dnsbl.listed': ['dnsbl.listed', 'dnsbl.domain-listed'],
};

/** Facts about the run a DNS rule needs beyond the report. */
export interface DnsRuleEnv {
  /** The client the checks ran through: its cache answers the rules' own lookups without new queries. */
  readonly dns: DnsClient;
  /** False when the run had no server for raw DNSSEC queries, so the DNSSEC check did not run. */
  readonly dnssecChecked: boolean;
}

/** What a DNS rule expects, as shown on the drift page. */
export function dnsExpected(rule: StandardRule): string {
  switch (rule.rule) {
    case 'dmarc.policy-none':
      return `DMARC p=quarantine or p=reject${typeof rule.params?.['rua'] === 'string' ? ` with rua=mailto:${rule.params['rua']}` : ' with a rua= address'}`;
    case 'spf.all-neutral':
      return 'one SPF record ending in -all';
    case 'dkim.key-too-short':
      return 'DKIM keys of 2048-bit RSA or more, or Ed25519';
    case 'mta-sts.mode-weak':
      return 'MTA-STS mode enforce and a TLS-RPT record';
    case 'dns.dnssec-unsigned':
      return 'a DNSSEC-signed zone';
    default:
      return 'no blocklist listing';
  }
}

/** Evaluates one DNS rule on one domain's check report; never rejects. */
export async function evaluateDnsRule(rule: StandardRule, report: DomainReport, env: DnsRuleEnv): Promise<RuleCheck> {
  const expected = dnsExpected(rule);
  const forbidden = new Set(FORBIDDEN_FINDINGS[rule.rule] ?? []);
  const hits = report.findings.filter((f) => forbidden.has(f.id));
  const known = hits.filter((f) => f.severity !== 'unknown');
  const miss = (current: string): RuleMiss => ({ target: report.domain, expected, current });
  if (known.length > 0) return fromMisses([miss(describe(known))]);
  if (hits.length > 0) return { status: 'unknown', why: describe(hits) };
  if (rule.rule === 'dns.dnssec-unsigned' && !env.dnssecChecked) return { status: 'unknown', why: 'DNSSEC is checked only with --dns servers given.' };
  if (rule.rule === 'dmarc.policy-none') return dmarcStrictness(rule, report, env.dns, miss);
  if (rule.rule === 'spf.all-neutral') return spfStrictness(report.domain, env.dns, miss);
  return { status: 'pass' };
}

function describe(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.id}: ${f.message}`).join(' ');
}

// The checks accept p=quarantine and any rua; the standard may also name the address reports must go to.
async function dmarcStrictness(rule: StandardRule, report: DomainReport, dns: DnsClient, miss: (current: string) => RuleMiss): Promise<RuleCheck> {
  if (report.dmarcPolicy === 'unknown') return { status: 'unknown', why: 'DNS did not answer for the DMARC record.' };
  if (report.dmarcPolicy === 'none') return fromMisses([miss('p=none')]);
  const rua = rule.params?.['rua'];
  if (typeof rua !== 'string') return { status: 'pass' };
  const answer = await dns.txt(`_dmarc.${report.domain}`);
  if (answer.status === 'failed') return { status: 'unknown', why: `_dmarc.${report.domain}: ${failureText(answer.code)}` };
  const record = answer.status === 'ok' ? answer.records.find(looksLikeDmarc) : undefined;
  // A subdomain without its own record inherits the organisational domain's, which the check already judged.
  if (record === undefined) return { status: 'pass' };
  const wanted = `mailto:${rua.toLowerCase()}`;
  const uris = parseDmarc(record).rua.map((u) => u.raw.toLowerCase().replace(/!\d+[kmgt]?$/, ''));
  return fromMisses(uris.includes(wanted) ? [] : [miss(`rua=${uris.join(',') || '(none)'}`)]);
}

// The checks accept ~all (softfail is common and legitimate); the standard asks for -all.
async function spfStrictness(domain: string, dns: DnsClient, miss: (current: string) => RuleMiss, hops = 0): Promise<RuleCheck> {
  const answer = await dns.txt(domain);
  if (answer.status === 'failed') return { status: 'unknown', why: `${domain}: ${failureText(answer.code)}` };
  const record = answer.status === 'ok' ? answer.records.find(isSpfRecord) : undefined;
  if (record === undefined) return fromMisses([miss(`no SPF record at ${domain}`)]);
  const terms = parseSpf(record).terms;
  const all = terms.find((t) => t.kind === 'mechanism' && t.name === 'all');
  if (all) return fromMisses(all.qualifier === '-' ? [] : [miss(`${all.qualifier === '+' ? '' : all.qualifier}all in "${record}"`)]);
  const redirect = terms.find((t) => t.kind === 'modifier' && t.name === 'redirect');
  // RFC 7208 §6.1: without "all", redirect= hands the verdict to the target's record (10 lookups cap the chain).
  if (redirect?.value && hops < 10) return spfStrictness(redirect.value, dns, miss, hops + 1);
  return fromMisses([miss(`no "all" term in "${record}"`)]);
}
