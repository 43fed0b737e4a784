import { finding, rr, unknownIfFailed, type CheckContext } from '../context.ts';
import { nsQuery, NS_RR, type NsAnswer } from '../ns-probe.ts';

// RFC 2182 §5 asks for several servers; eight names and two addresses each is more than any real delegation needs probing.
const MAX_NS = 8;
const PER_NS = 2;
const TIMEOUT_MS = 2000;
const RCODES: Record<number, string> = { 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

interface Target {
  readonly name: string;
  readonly ip: string;
}

/** Name server family: dns.ns-redundancy, dns.ns-serial-mismatch (incl. lame servers) and dns.ns-tcp-large-answer. */
export async function checkNameservers(ctx: CheckContext): Promise<void> {
  const port = ctx.nsPort;
  const { domain } = ctx;
  const answer = await ctx.dns.lookup<string[]>(domain, 'NS');
  if (unknownIfFailed(ctx, 'dns.ns-redundancy', 'the NS records', answer)) return;
  // NODATA: not a zone apex (a subdomain inside its parent's zone); NXDOMAIN is dns.domain-missing's business
  if (answer.status !== 'ok') return;
  const names = [...new Set(answer.records.map((n) => n.toLowerCase().replace(/\.$/, '')))];
  const display = names.map((n) => rr(domain, 'NS', `${n}.`));
  if (names.length < 2) {
    ctx.add(finding('dns.ns-redundancy', 'warning', `${domain} has a single name server (${names[0]}); when it is down the domain disappears and mail bounces (RFC 2182 §5).`, display, 'Add a second name server on another network (most DNS providers give at least two).'));
  }
  const resolved = await Promise.all(names.slice(0, MAX_NS).map(async (name) => ({ name, addresses: await ctx.dns.addresses(name) })));
  const dangling = resolved.filter((r) => r.addresses.status === 'absent').map((r) => r.name);
  if (dangling.length > 0) {
    ctx.add(finding('dns.ns-redundancy', 'warning', `Name server ${dangling.join(', ')} has no address, so only the others can answer for ${domain} (lame delegation).`, display, `Remove ${dangling[0]} from the NS set or publish its A/AAAA record.`));
  }
  if (port === undefined) return;
  const targets: Target[] = resolved.flatMap((r) => (r.addresses.status === 'ok' ? r.addresses.records.slice(0, PER_NS).map((ip) => ({ name: r.name, ip })) : []));
  if (targets.length === 0) return;
  const udp = await Promise.all(targets.map((t) => ctx.dns.rawQuery(domain, `SOA/udp@${t.ip}`, () => nsQuery({ host: t.ip, port }, domain, NS_RR.SOA, 'udp', TIMEOUT_MS))));
  if (udp.every((a) => !a.ok)) {
    const code = (udp[0] as { code: string }).code;
    ctx.add(finding('dns.ns-serial-mismatch', 'unknown', `Could not query the name servers of ${domain} directly (${code}); networks often block DNS to anything but their own resolver.`, display, 'Run the check from a network that allows outbound DNS (port 53).'));
    return;
  }
  judgeAuthority(ctx, targets, udp, display);
  const authoritative = targets.filter((_, i) => isAuthoritative(udp[i]!));
  // RFC 7766 §5: every authoritative server must answer over TCP, or answers over 1232 bytes (long SPF, DKIM) are lost.
  // TCP service is a property of the server, so one probe per address serves every domain of the run.
  const tcp = await Promise.all(authoritative.map((t) => ctx.dns.memo(`ns-tcp ${t.ip}:${port}`, () => ctx.dns.rawQuery(domain, `SOA/tcp@${t.ip}`, () => nsQuery({ host: t.ip, port }, domain, NS_RR.SOA, 'tcp', TIMEOUT_MS)))));
  const noTcp = authoritative.filter((_, i) => !tcp[i]!.ok);
  if (noTcp.length > 0) {
    const why = noTcp.map((t) => `${t.name} (${t.ip}): ${describe(tcp[authoritative.indexOf(t)]!)}`);
    ctx.add(finding('dns.ns-tcp-large-answer', 'error', `Name server ${why.join('; ')} does not answer DNS over TCP; large TXT answers (long SPF, 2048-bit DKIM keys) then fail at receivers (RFC 7766).`, display, 'Allow TCP port 53 to the name server (firewall) and enable TCP in its configuration.'));
  }
}

function isAuthoritative(answer: NsAnswer): boolean {
  return answer.ok && answer.rcode === 0 && answer.authoritative;
}

function describe(answer: NsAnswer): string {
  if (!answer.ok) return answer.code === 'ETIMEOUT' ? 'no answer' : answer.code;
  if (answer.rcode !== 0) return RCODES[answer.rcode] ?? `RCODE ${answer.rcode}`;
  return answer.authoritative ? 'answered' : 'answered without the AA flag';
}

function judgeAuthority(ctx: CheckContext, targets: readonly Target[], udp: readonly NsAnswer[], display: readonly string[]): void {
  const lame = targets.filter((_, i) => !isAuthoritative(udp[i]!));
  if (lame.length > 0) {
    const why = lame.map((t) => `${t.name} (${t.ip}): ${describe(udp[targets.indexOf(t)]!)}`);
    ctx.add(finding('dns.ns-serial-mismatch', 'warning', `Name server ${why.join('; ')} does not answer authoritatively for ${ctx.domain} (lame delegation): resolvers that pick it get errors or stale data.`, [...display], 'Configure the zone on that server (or remove it from the NS set at the registrar and in the zone).'));
  }
  const serials = targets.map((t, i) => ({ t, a: udp[i]! })).filter(({ a }) => isAuthoritative(a) && a.ok && a.serial !== null);
  const distinct = [...new Set(serials.map(({ a }) => (a as { serial: number }).serial))];
  if (distinct.length > 1) {
    const list = serials.map(({ t, a }) => `${t.name} (${t.ip}) ${(a as { serial: number }).serial}`);
    ctx.add(finding('dns.ns-serial-mismatch', 'warning', `The name servers of ${ctx.domain} serve different SOA serials (${list.join(', ')}): a secondary is not picking up changes.`, [...display], 'Check zone transfers (NOTIFY/AXFR/IXFR) from the primary to every secondary.'));
  }
}
