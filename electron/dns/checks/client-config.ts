import { finding, rr, type CheckContext } from '../context.ts';
import type { SrvRecord } from '../resolver.ts';

/** Client configuration family (cfg.*): what a hosted domain publishes so mail clients set themselves up. */
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
  const dangling = (await Promise.all(targets.map(async (t) => ({ ...t, a: await ctx.dns.addresses(t.r.name) })))).filter((t) => t.a.status === 'absent');
  if (dangling.length > 0) {
    ctx.add(finding('cfg.srv', 'warning', `Service records point at hosts that do not resolve: ${dangling.map((t) => `${t.service} → ${t.r.name}`).join(', ')}.`, dangling.map((t) => rr(`${t.service}.${d}`, 'SRV', `${t.r.priority} ${t.r.weight} ${t.r.port} ${t.r.name}.`)), 'Point the SRV records at the mail host.'));
  }
}
