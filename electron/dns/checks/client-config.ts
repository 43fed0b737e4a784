import { finding, rr, type CheckContext } from '../context.ts';
import type { SrvRecord } from '../resolver.ts';
import { reverseCheck } from './reputation.ts';

/** Client configuration family (cfg.autoconfig, cfg.autodiscover, cfg.srv, cfg.mail-host): what a hosted domain publishes so mail clients set themselves up. */
export async function checkClientConfig(ctx: CheckContext): Promise<void> {
  const d = ctx.domain;
  const [autoconfig, autodiscover, adSrv] = await Promise.all([
    ctx.dns.addresses(`autoconfig.${d}`),
    ctx.dns.addresses(`autodiscover.${d}`),
    ctx.dns.lookup<SrvRecord[]>(`_autodiscover._tcp.${d}`, 'SRV'),
  ]);
  if (autoconfig.status === 'failed') ctx.add(finding('cfg.autoconfig', 'unknown', `Could not look up autoconfig.${d}.`, [], 'Run the check again.'));
  else if (autoconfig.status === 'absent') ctx.add(finding('cfg.autoconfig', 'warning', `autoconfig.${d} does not exist, so Thunderbird and similar clients cannot configure themselves.`, [], `Publish ${rr(`autoconfig.${d}`, 'CNAME', '<mail host>.')}.`));
  if (autodiscover.status === 'failed' || adSrv.status === 'failed') ctx.add(finding('cfg.autodiscover', 'unknown', `Could not look up the autodiscover records of ${d}.`, [], 'Run the check again.'));
  else if (autodiscover.status === 'absent' && adSrv.status === 'absent') ctx.add(finding('cfg.autodiscover', 'warning', `Neither autodiscover.${d} nor _autodiscover._tcp.${d} exists, so Outlook cannot configure itself.`, [], `Publish ${rr(`autodiscover.${d}`, 'CNAME', '<mail host>.')} and ${rr(`_autodiscover._tcp.${d}`, 'SRV', '0 1 443 <mail host>.')}.`));
  else if (adSrv.status === 'absent') ctx.add(finding('cfg.autodiscover', 'warning', `_autodiscover._tcp.${d} SRV is missing.`, [], `Publish ${rr(`_autodiscover._tcp.${d}`, 'SRV', '0 1 443 <mail host>.')}.`));
  const services = ['_submission._tcp', '_submissions._tcp', '_imap._tcp', '_imaps._tcp'];
  const srvs = await Promise.all(services.map((s) => ctx.dns.lookup<SrvRecord[]>(`${s}.${d}`, 'SRV')));
  if (srvs.every((s) => s.status === 'absent')) {
    ctx.add(finding('cfg.srv', 'info', 'No RFC 6186 service records (_submission, _imaps...) are published.', [], `Publish ${rr(`_imaps._tcp.${d}`, 'SRV', '0 1 993 <mail host>.')} and ${rr(`_submissions._tcp.${d}`, 'SRV', '0 1 465 <mail host>.')}.`));
  }
  const targets = srvs.flatMap((s, i) => (s.status === 'ok' ? s.records.filter((r) => r.name !== '' && r.name !== '.').map((r) => ({ service: services[i]!, r })) : []));
  const hosts = [...new Set(targets.map((t) => t.r.name.toLowerCase().replace(/\.$/, '')))];
  await Promise.all(hosts.slice(0, 4).map((h) => checkMailHost(ctx, h, targets.filter((t) => t.r.name.toLowerCase().replace(/\.$/, '') === h).map((t) => rr(`${t.service}.${d}`, 'SRV', `${t.r.priority} ${t.r.weight} ${t.r.port} ${t.r.name}.`)))));
}

// The host clients are sent to is also where mail is submitted and usually sent from: mailcow checks
// that it has its own A/AAAA (RFC 2782: an SRV target must not be an alias) and PTRs that confirm it.
async function checkMailHost(ctx: CheckContext, host: string, display: readonly string[]): Promise<void> {
  const [cname, addresses] = await Promise.all([ctx.dns.lookup<string[]>(host, 'CNAME'), ctx.dns.addresses(host)]);
  if (cname.status === 'ok') {
    ctx.add(finding('cfg.mail-host', 'error', `The mail host ${host} is a CNAME (to ${cname.records[0]}); service records must point at a host name with its own A/AAAA record (RFC 2782).`, [...display, rr(host, 'CNAME', `${cname.records[0]}.`)], `Point the SRV records at ${cname.records[0]} directly.`));
    return;
  }
  if (addresses.status === 'failed') return;
  if (addresses.status === 'absent') {
    ctx.add(finding('cfg.mail-host', 'error', `The mail host ${host} does not resolve, so mail clients following the service records cannot connect.`, [...display], `Publish an A/AAAA record for ${host}, or point the SRV records at the real mail host.`));
    return;
  }
  for (const ip of addresses.records.slice(0, 2)) {
    const reverse = await reverseCheck(ctx, ip);
    if (reverse.status === 'missing') ctx.add(finding('cfg.mail-host', 'error', `The mail host ${host} (${ip}) has no PTR record; mail it sends is rejected by Gmail and Yahoo.`, [...display], `Ask the owner of ${ip} to publish a PTR naming ${host}.`));
    else if (reverse.status === 'mismatch') ctx.add(finding('cfg.mail-host', 'error', `The PTR of the mail host ${host} (${ip}) names ${reverse.names.join(', ')}, which does not resolve back to ${ip}.`, [...display, ...reverse.names.map((n) => rr(reverse.ptrName, 'PTR', `${n}.`))], `Point the PTR of ${ip} at ${host}.`));
  }
}
