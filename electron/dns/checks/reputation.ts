import { isIP } from 'node:net';
import { finding, rr, type CheckContext } from '../context.ts';
import { failureText } from '../resolver.ts';
import { reversedLabels, reverseName } from '../addresses.ts';
import { isSpfRecord, parseSpf } from './spf-parse.ts';

/** Outcome of a PTR + forward-confirmation lookup. */
export type ReverseResult =
  | { readonly status: 'ok'; readonly ptrName: string; readonly names: readonly string[] }
  | { readonly status: 'missing'; readonly ptrName: string }
  | { readonly status: 'mismatch'; readonly ptrName: string; readonly names: readonly string[] }
  | { readonly status: 'failed'; readonly code: string };

/** Looks up the PTR of `ip` and checks that one PTR name resolves back to it (FCrDNS). */
export async function reverseCheck(ctx: CheckContext, ip: string): Promise<ReverseResult> {
  const ptrName = reverseName(ip);
  const ptr = await ctx.dns.lookup<string[]>(ptrName, 'PTR');
  if (ptr.status === 'failed') return ptr;
  if (ptr.status === 'absent') return { status: 'missing', ptrName };
  const names = ptr.records.map((n) => n.toLowerCase().replace(/\.$/, ''));
  const forward = await Promise.all(names.slice(0, 10).map((n) => ctx.dns.lookup<string[]>(n, isIP(ip) === 4 ? 'A' : 'AAAA')));
  if (forward.some((f) => f.status === 'failed') && !forward.some((f) => f.status === 'ok' && f.records.some((a) => sameIp(a, ip)))) {
    const failed = forward.find((f) => f.status === 'failed') as { status: 'failed'; code: string };
    return failed;
  }
  const confirmed = forward.some((f) => f.status === 'ok' && f.records.some((a) => sameIp(a, ip)));
  return confirmed ? { status: 'ok', ptrName, names } : { status: 'mismatch', ptrName, names };
}

function sameIp(a: string, b: string): boolean {
  return isIP(a) === 6 ? reversedLabels(a) === reversedLabels(b) : a === b;
}

// A record can authorise whole ranges; only single addresses name a server whose PTR can be judged,
// and a handful is enough to show a missing one without flooding the resolver.
const MAX_SPF_IPS = 10;

/** The single addresses (ip4 without a prefix or /32, ip6 /128) the domain's own SPF record authorises. */
export async function spfSendingIps(ctx: CheckContext): Promise<string[]> {
  const raw = await ctx.dns.lookup<string[][]>(ctx.domain, 'TXT');
  if (raw.status !== 'ok') return [];
  const records = raw.records.map((c) => c.join('')).filter(isSpfRecord);
  if (records.length !== 1) return [];
  const ips = parseSpf(records[0]!).terms.flatMap((t) => {
    if ((t.name !== 'ip4' && t.name !== 'ip6') || t.qualifier === '-' || t.value === null) return [];
    const [ip, prefix] = t.value.split('/');
    const family = t.name === 'ip4' ? 4 : 6;
    const single = prefix === undefined || Number(prefix) === (family === 4 ? 32 : 128);
    return single && isIP(ip!) === family ? [ip!.toLowerCase()] : [];
  });
  return [...new Set(ips)].slice(0, MAX_SPF_IPS);
}

/**
 * ptr.* for every sending IP, configured or named by the domain's SPF record: Google, Yahoo and
 * Microsoft require forward-confirmed reverse DNS.
 */
export async function checkSendingPtr(ctx: CheckContext): Promise<void> {
  const configured = new Set(ctx.options.sendingIps.map((ip) => ip.toLowerCase()));
  const fromSpf = (await spfSendingIps(ctx)).filter((ip) => !configured.has(ip));
  const sources = [...[...configured].map((ip) => ({ ip, via: '' })), ...fromSpf.map((ip) => ({ ip, via: ' (named in the SPF record)' }))];
  await Promise.all(
    sources.map(async ({ ip, via }) => {
      const result = await reverseCheck(ctx, ip);
      if (result.status === 'failed') {
        ctx.add(finding('ptr.missing', 'unknown', `Could not look up the PTR of sending IP ${ip}${via}: ${failureText(result.code)}.`, [], 'Run the check again.'));
      } else if (result.status === 'missing') {
        ctx.add(finding('ptr.missing', 'critical', `Sending IP ${ip}${via} has no PTR record; Gmail and Yahoo reject such mail (Google 5.7.25).`, [], `Ask the owner of ${ip} (your ISP or hosting provider) to publish a PTR with the server's host name.`));
      } else if (result.status === 'mismatch') {
        ctx.add(finding('ptr.fcrdns-mismatch', 'critical', `The PTR of sending IP ${ip}${via} names ${result.names.join(', ')}, which does not resolve back to ${ip}.`, result.names.map((n) => rr(result.ptrName, 'PTR', `${n}.`)), `Publish an A/AAAA record for ${result.names[0]} pointing to ${ip}.`));
      } else if (result.names.some((n) => isGeneric(n, ip))) {
        ctx.add(finding('ptr.generic', 'warning', `The PTR of ${ip} (${result.names[0]}) looks like a generic or dynamic address name.`, result.names.map((n) => rr(result.ptrName, 'PTR', `${n}.`)), 'Give the sending IP a PTR that names the mail server, e.g. mail.<domain>.'));
      }
    }),
  );
}

function isGeneric(name: string, ip: string): boolean {
  const octets = ip.split('.');
  const dashed = octets.join('-');
  return name.includes(dashed) || name.includes(octets.slice().reverse().join('-')) || /(^|[.-])(dyn|dynamic|pool|dhcp|dsl|cable|ppp|client)([.-]|\d)/.test(name);
}

// Spamhaus return codes (zone documentation): 127.0.0.10/11 are the PBL, "should not send directly";
// 127.255.255.252/254/255 are error answers (typo, public resolver, volume), never listings.
function classify(address: string): 'error-answer' | 'policy' | 'listed' | 'other' {
  if (address.startsWith('127.255.255.')) return 'error-answer';
  if (address === '127.0.0.10' || address === '127.0.0.11') return 'policy';
  if (address.startsWith('127.')) return 'listed';
  return 'other';
}

/** dnsbl.* for the sending IPs and MX addresses against the configured IP lists, and the domain against domain lists. */
export async function checkDnsbl(ctx: CheckContext, ips: readonly string[]): Promise<void> {
  const { ipZones, domainZones } = ctx.options.dnsbl;
  const jobs: Promise<void>[] = [];
  for (const zone of ipZones) {
    for (const ip of [...new Set(ips)].slice(0, 20)) {
      jobs.push(queryList(ctx, `${reversedLabels(ip)}.${zone}`, ip, zone, false));
    }
  }
  for (const zone of domainZones) jobs.push(queryList(ctx, `${ctx.domain}.${zone}`, ctx.domain, zone, true));
  await Promise.all(jobs);
}

async function queryList(ctx: CheckContext, name: string, subject: string, zone: string, isDomain: boolean): Promise<void> {
  const id = isDomain ? 'dnsbl.domain-listed' : 'dnsbl.listed';
  const answer = await ctx.dns.lookup<string[]>(name, 'A');
  if (answer.status === 'absent') return;
  if (answer.status === 'failed') {
    ctx.add(finding('dnsbl.query-refused', 'unknown', `Could not query ${zone} for ${subject}: ${failureText(answer.code)}.`, [], 'Query the list through a resolver you control, or a Spamhaus DQS key.'));
    return;
  }
  const records = answer.records.map((a) => rr(name, 'A', a));
  const kinds = answer.records.map(classify);
  if (kinds.includes('error-answer')) {
    ctx.add(finding('dnsbl.query-refused', 'unknown', `${zone} answered with an error code (${answer.records.join(', ')}) for ${subject}: the query was refused, not a listing.`, records, 'Spamhaus refuses queries through public resolvers: use your own resolver or a DQS key.'));
  } else if (kinds.includes('listed') || (isDomain && kinds.includes('other'))) {
    ctx.add(finding(id, 'error', `${subject} is listed on ${zone} (${answer.records.join(', ')}); receivers using the list reject or junk its mail.`, records, `Find out why at the list's lookup page, fix the cause, then request delisting.`));
  } else if (kinds.includes('policy')) {
    ctx.add(finding(id, 'warning', `${subject} is on the policy block list of ${zone} (an end-user range that should not send directly).`, records, 'Send through a relay with a static, non-PBL address, or remove the range from the PBL if it is a server.'));
  }
}
