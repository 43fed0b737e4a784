import { isIP } from 'node:net';
import { finding, isParked, rr, unknownIfFailed, type CheckContext } from '../context.ts';
import type { MxRecord } from '../resolver.ts';
import { isPublicAddress } from '../addresses.ts';

/** A resolved MX host, for the PTR, SMTP and MTA-STS checks. */
export interface MxHost {
  readonly host: string;
  readonly priority: number;
  readonly addresses: readonly string[];
}

/** MX family: mx.* findings; returns the usable MX hosts (empty for null MX or none), or null when unknown. */
export async function checkMx(ctx: CheckContext): Promise<MxHost[] | null> {
  const { domain } = ctx;
  const answer = await ctx.dns.lookup<MxRecord[]>(domain, 'MX');
  if (unknownIfFailed(ctx, 'mx.missing', 'the MX records', answer)) return null;
  const records = answer.status === 'ok' ? answer.records : [];
  const display = records.map((r) => rr(domain, 'MX', `${r.priority} ${r.exchange || '.'}.`.replace('..', '.')));
  if (records.length === 0) {
    if (isParked(ctx)) ctx.add(finding('mx.missing', 'info', `${domain} has no MX; a parked domain should say so with a Null MX.`, [], `Publish ${rr(domain, 'MX', '0 .')} (RFC 7505).`));
    else ctx.add(finding('mx.missing', 'error', `${domain} has no MX records, so it cannot receive mail (no implicit A fallback is assumed).`, [], `Publish ${rr(domain, 'MX', '10 <your mail host>.')}.`));
    return [];
  }
  const nulls = records.filter((r) => r.exchange === '' || r.exchange === '.');
  if (nulls.length > 0) {
    // RFC 7505 §3: a Null MX is exactly "0 ." and the only MX record
    if (records.length > 1 || nulls[0]!.priority !== 0) {
      ctx.add(finding('mx.null-mx', 'error', records.length > 1 ? 'A Null MX ("0 .") is mixed with other MX records; senders may treat the domain as not accepting mail or ignore the Null MX.' : 'The Null MX must have preference 0.', display, records.length > 1 ? 'Either remove the Null MX or remove the other MX records.' : `Publish exactly ${rr(domain, 'MX', '0 .')}.`));
    }
    if (records.length === 1) {
      if (ctx.options.profile === 'hosted') {
        ctx.add(finding('mx.missing', 'error', `${domain} publishes a Null MX, so every sender is told it accepts no mail, yet it is checked as a hosted (receiving) domain.`, display, `Replace the Null MX with ${rr(domain, 'MX', '10 <your mail host>.')}, or check the domain with the parked profile if it really receives no mail.`));
      }
      return [];
    }
  } else if (isParked(ctx)) {
    ctx.add(finding('mx.parked-has-mx', 'warning', 'A parked domain publishes real MX records.', display, `Replace them with ${rr(domain, 'MX', '0 .')}.`));
  }
  const real = records.filter((r) => r.exchange !== '' && r.exchange !== '.');
  const names = real.map((r) => r.exchange.toLowerCase().replace(/\.$/, ''));
  const dupes = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (dupes.length > 0) ctx.add(finding('mx.duplicate-host', 'info', `${dupes.join(', ')} is listed in more than one MX record.`, display, 'Keep one MX record per host.'));
  const placeholder = names.filter((n) => n.endsWith('.msv1.invalid'));
  if (placeholder.length > 0) ctx.add(finding('mx.o365-placeholder', 'warning', 'The MX is a Microsoft 365 placeholder that was never replaced.', display, 'Replace it with the MX host Microsoft 365 shows for the domain.'));
  const hosts = await Promise.all(real.map(async (r) => resolveHost(ctx, r)));
  const usable = hosts.filter((h): h is MxHost => h !== null && h.addresses.length > 0);
  const unknown = hosts.some((h) => h === null);
  if (usable.length === 0 && !unknown) {
    ctx.add(finding('mx.target-invalid', 'critical', 'No MX host resolves to a usable address, so no mail can be delivered.', display, 'Point the MX records at host names with public A/AAAA records.'));
  }
  return usable;
}

async function resolveHost(ctx: CheckContext, record: MxRecord): Promise<MxHost | null> {
  const host = record.exchange.toLowerCase().replace(/\.$/, '');
  const display = [rr(ctx.domain, 'MX', `${record.priority} ${host}.`)];
  if (isIP(host)) {
    ctx.add(finding('mx.target-invalid', 'error', `The MX target ${host} is an IP address; it must be a host name (RFC 5321 §5.1).`, display, 'Use a host name with an A/AAAA record as the MX target.'));
    return { host, priority: record.priority, addresses: [] };
  }
  const [cname, addresses] = await Promise.all([ctx.dns.lookup<string[]>(host, 'CNAME'), ctx.dns.addresses(host)]);
  if (cname.status === 'ok') {
    ctx.add(finding('mx.target-invalid', 'error', `The MX target ${host} is a CNAME (to ${cname.records[0]}); RFC 2181 §10.3 forbids that.`, [...display, rr(host, 'CNAME', `${cname.records[0]}.`)], 'Point the MX at the canonical host name instead.'));
  }
  if (unknownIfFailed(ctx, 'mx.target-invalid', `the addresses of ${host}`, addresses)) return null;
  if (addresses.status !== 'ok') {
    ctx.add(finding('mx.target-invalid', 'error', `The MX target ${host} has no A or AAAA record.`, display, `Publish an A/AAAA record for ${host} or remove the MX.`));
    return { host, priority: record.priority, addresses: [] };
  }
  const bad = addresses.records.filter((a) => !isPublicAddress(a, ctx.options.testNets));
  if (bad.length > 0) {
    ctx.add(finding('mx.target-invalid', 'error', `The MX target ${host} resolves to non-public addresses: ${bad.join(', ')}.`, display, 'Publish the public address of the mail server.'));
  }
  return { host, priority: record.priority, addresses: addresses.records };
}

/** PTR and forward-confirmed reverse DNS for every MX address (mx.ptr-missing, mx.ptr-fcrdns-mismatch). */
export async function checkMxPtr(ctx: CheckContext, hosts: readonly MxHost[]): Promise<void> {
  const { reverseCheck } = await import('./reputation.ts');
  for (const h of hosts) {
    for (const ip of h.addresses.slice(0, 4)) {
      const result = await reverseCheck(ctx, ip);
      if (result.status === 'failed') ctx.add(finding('mx.ptr-missing', 'unknown', `Could not look up the PTR of ${ip} (${h.host}).`, [], 'Run the check again.'));
      else if (result.status === 'missing') ctx.add(finding('mx.ptr-missing', 'warning', `The MX address ${ip} (${h.host}) has no PTR record.`, [], `Ask the owner of ${ip} to publish a PTR pointing to ${h.host}.`));
      else if (result.status === 'mismatch') ctx.add(finding('mx.ptr-fcrdns-mismatch', 'warning', `The PTR of ${ip} names ${result.names.join(', ')}, which does not resolve back to ${ip}.`, result.names.map((n) => rr(result.ptrName, 'PTR', `${n}.`)), `Make the PTR name resolve to ${ip}, or point the PTR at ${h.host}.`));
    }
  }
}
