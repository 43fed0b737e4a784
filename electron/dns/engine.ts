import { SEVERITY_ORDER, type AppliedDmarcPolicy, type DomainReport, type Finding, type Severity } from '../../shared/domain/dns.ts';
import { finding, type CheckContext, type CheckOptions } from './context.ts';
import { normalizeDomain } from './domain-name.ts';
import { rawQuery, RR, type DnsServer } from './raw-dns.ts';
import { failureText, type DnsClient, type SoaRecord } from './resolver.ts';
import { checkBimi } from './checks/bimi.ts';
import { checkClientConfig } from './checks/client-config.ts';
import { checkDkim } from './checks/dkim.ts';
import { checkDmarc, type DmarcPolicy } from './checks/dmarc.ts';
import { checkMtaSts, checkTlsRpt } from './checks/mta-sts.ts';
import { checkMx, checkMxPtr } from './checks/mx.ts';
import { checkNameservers } from './checks/nameservers.ts';
import { checkCaa, checkSoaTimers } from './checks/foundation.ts';
import { checkDnsbl, checkSendingPtr, spfSendingIps } from './checks/reputation.ts';
import { checkSmtp } from './checks/smtp.ts';
import { checkSpf } from './checks/spf.ts';

/** Transport details of a run that are not check policy: where DNSSEC queries and the MTA-STS fetch go. */
export interface EngineEnv {
  /** Server for raw DNSSEC queries (DNSKEY); without it dns.dnssec-unsigned is skipped. */
  readonly rawServer?: DnsServer | undefined;
  /** Port of the MTA-STS policy host; 443 except in tests. */
  readonly mtaStsPort?: number | undefined;
  /** Port the domain's own name servers are probed on (53 in production); without it those probes are skipped. */
  readonly nsPort?: number | undefined;
}

const PENALTY: Record<Severity, number> = { critical: 35, error: 15, warning: 5, info: 1, unknown: 0 };

// Findings that make every other result moot: a domain that does not exist (or is not a domain at
// all) handles no mail, whatever else its check happened not to find.
const SCORE_CAP: Readonly<Record<string, number>> = { 'dns.domain-missing': 0 };

/** The 0-100 health score: 100 minus a fixed penalty per finding (critical 35, error 15, warning 5, info 1), capped by findings that void the rest. */
export function scoreFindings(findings: readonly Finding[]): number {
  const capped = findings.reduce((cap, f) => Math.min(cap, Object.hasOwn(SCORE_CAP, f.id) ? SCORE_CAP[f.id]! : 100), 100);
  return Math.min(capped, Math.max(0, 100 - findings.reduce((n, f) => n + PENALTY[f.severity], 0)));
}

/** Sorts findings worst first, then by id. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.id.localeCompare(b.id));
}

/** Runs every check family for one domain; never rejects for expected DNS, network or input problems. */
export async function checkDomain(input: string, dns: DnsClient, options: CheckOptions, env: EngineEnv = {}): Promise<DomainReport> {
  const domain = normalizeDomain(input);
  if (domain === null) {
    const f = finding('dns.domain-missing', 'critical', `"${input.slice(0, 300)}" is not a valid domain name (labels of 1-63 letters, digits or hyphens, 253 characters at most).`, [], 'Check the spelling of the domain.');
    return { domain: input.slice(0, 300), score: scoreFindings([f]), findings: [f] };
  }
  const findings: Finding[] = [];
  const ctx: CheckContext = { domain, dns, options, rawServer: env.rawServer, nsPort: env.nsPort, add: (f) => findings.push(f) };
  const profile = options.profile;
  // Everything starts at once and the per-run cache shares answers; only checks that need the MX
  // set or the DMARC policy wait for them. An NXDOMAIN apex discards the rest below.
  void dns.txt(`_smtp._tls.${domain}`);
  void dns.txt(`default._bimi.${domain}`);
  const soaP = dns.lookup<SoaRecord>(domain, 'SOA');
  const mxP = checkMx(ctx);
  const dmarcP = checkDmarc(ctx);
  const independent = Promise.all([
    checkSpf(ctx),
    checkDkim(ctx),
    checkDnssec(ctx, env.rawServer),
    checkNameservers(ctx),
    checkSendingPtr(ctx),
    profile === 'hosted' ? checkClientConfig(ctx) : undefined,
    profile === 'parked' ? undefined : checkCaa(ctx),
    bulkSenderRules(ctx),
  ]);
  const soa = await soaP;
  if (soa.status === 'absent' && soa.reason === 'nxdomain') {
    await Promise.all([mxP, dmarcP, independent]);
    const f = finding('dns.domain-missing', 'critical', `${domain} does not exist in DNS (NXDOMAIN): no mail can be sent to or authenticated for it.`, [], 'Register the domain or fix its delegation at the registrar.');
    return { domain, score: scoreFindings([f]), findings: [f] };
  }
  if (soa.status === 'ok') checkSoaTimers(ctx, soa.records);
  if (soa.status === 'failed') {
    findings.push(finding('dns.lookup-unknown', 'unknown', `DNS for ${domain} did not answer reliably: ${failureText(soa.code)}. Findings that depend on it are marked unknown, not missing.`, [], 'Run the check again; if it persists, check the domain\'s name servers.'));
  }
  const mx = await mxP;
  const mxHosts = mx ?? [];
  const [sts, dmarc] = await Promise.all([
    checkMtaSts(ctx, mx, { port: env.mtaStsPort ?? 443 }),
    dmarcP,
    profile === 'parked' ? undefined : checkMxPtr(ctx, mxHosts),
    checkDnsbl(ctx, [...options.sendingIps, ...mxHosts.flatMap((h) => h.addresses.slice(0, 2))]),
    independent,
  ]);
  await Promise.all([checkTlsRpt(ctx, sts.deployed), checkBimi(ctx, dmarc), profile === 'parked' ? undefined : checkSmtp(ctx, mxHosts, sts)]);
  const sorted = sortFindings(dedupe(findings));
  return { domain, score: scoreFindings(sorted), findings: sorted, dmarcPolicy: appliedPolicy(dmarc, sorted) };
}

/** The policy receivers apply: the record's (or the inherited sp=); none when no record applies; unknown when DNS failed. */
function appliedPolicy(dmarc: DmarcPolicy | null, findings: readonly Finding[]): AppliedDmarcPolicy {
  if (dmarc) return dmarc.p === 'quarantine' || dmarc.p === 'reject' ? dmarc.p : 'none';
  return findings.some((f) => f.id === 'dmarc.missing' && f.severity === 'unknown') ? 'unknown' : 'none';
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.id}\u0000${f.severity}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function checkDnssec(ctx: CheckContext, server: DnsServer | undefined): Promise<void> {
  if (!server) return;
  const answer = await ctx.dns.rawQuery(ctx.domain, 'DNSKEY', () => rawQuery(server, ctx.domain, RR.DNSKEY));
  // RCODE 0 without a DNSKEY in the answer: the zone is not signed (RFC 4035 §3.1.1 would add RRSIGs too)
  if (answer.ok && answer.rcode === 0 && !answer.types.includes(RR.DNSKEY)) {
    ctx.add(finding('dns.dnssec-unsigned', 'info', `${ctx.domain} is not DNSSEC-signed, so its records (and DANE) cannot be authenticated.`, [], 'Enable DNSSEC signing at the DNS provider and publish the DS record at the registrar.'));
  }
}

// Google's, Yahoo's and Microsoft's bulk-sender rules (2024): FCrDNS on every sending IP (DKIM: checks/dkim.ts).
async function bulkSenderRules(ctx: CheckContext): Promise<void> {
  if (ctx.options.profile !== 'bulk-sender') return;
  if (ctx.options.sendingIps.length === 0 && (await spfSendingIps(ctx)).length === 0) {
    ctx.add(finding('ptr.missing', 'unknown', 'Bulk senders need forward-confirmed reverse DNS on every sending IP, but no sending IP is configured or named in the SPF record.', [], 'Give the sending IPs (--sending-ip, or ip4/ip6 terms in the SPF record) so their PTR records can be checked.'));
  }
}

/** Runs `checkDomain` for many domains with at most `parallel` domains in flight; reports progress. */
export async function checkDomains(
  domains: readonly string[],
  dns: DnsClient,
  options: CheckOptions,
  env: EngineEnv = {},
  run: { parallel?: number; signal?: AbortSignal; onProgress?: (done: number, total: number, report: DomainReport) => void } = {},
): Promise<DomainReport[]> {
  const reports: DomainReport[] = new Array(domains.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < domains.length && !run.signal?.aborted) {
      const i = next++;
      reports[i] = await checkDomain(domains[i]!, dns, options, env);
      done++;
      run.onProgress?.(done, domains.length, reports[i]);
      // Start the next domain from a fresh event-loop turn, so one burst of answers cannot chain
      // through many domains' synchronous check code and stall the Electron main thread.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.parallel ?? 16, Math.max(1, domains.length)) }, worker));
  return reports.filter((r) => r !== undefined);
}
