import type { ForwardFailures, RoutingEdge } from '../../shared/domain/routing.ts';
import type { ForwardedFailure } from '../db/reports-forwards-repo.ts';

// Receivers that report under another name than the consumer domains they host (their report org_name).
const PROVIDER_DOMAINS: readonly { readonly org: RegExp; readonly domains: readonly string[] }[] = [
  { org: /^google(\.com)?$/, domains: ['gmail.com', 'googlemail.com'] },
  { org: /^(outlook\.com|microsoft( corporation)?|hotmail\.com)$/, domains: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com'] },
  { org: /^(yahoo(!? inc\.?)?|yahoo\.com)$/, domains: ['yahoo.com', 'ymail.com', 'aol.com', 'rocketmail.com'] },
  { org: /^mail\.ru$/, domains: ['mail.ru', 'inbox.ru', 'list.ru', 'bk.ru'] },
  { org: /^(gmx|web\.de|1&1)/, domains: ['gmx.de', 'gmx.net', 'gmx.com', 'web.de'] },
];

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const within = (a: string, b: string): boolean => a === b || a.endsWith(`.${b}`);

/** Whether the receiver that wrote a report (its org_name) is the one that takes mail for `domain`. */
export function receiverServes(org: string, domain: string): boolean {
  const name = org.trim().toLowerCase();
  if (within(domain, name) || within(name, domain)) return true;
  return PROVIDER_DOMAINS.some((p) => p.org.test(name) && p.domains.some((d) => within(domain, d)));
}

/**
 * Marks each forward whose forwarded mail receivers report failing DMARC: the failing mail relayed by the forwarding
 * domain's own hosts (see ReportsForwardsRepo), reported by the receiver of the forward's target.
 */
export function markFailingForwards(edges: readonly RoutingEdge[], failures: (domain: string) => readonly ForwardedFailure[]): RoutingEdge[] {
  const byDomain = new Map<string, readonly ForwardedFailure[]>();
  return edges.map((edge) => {
    if (edge.kind !== 'forward') return edge;
    const from = domainOf(edge.from);
    let rows = byDomain.get(from);
    if (!rows) byDomain.set(from, (rows = failures(from)));
    const target = domainOf(edge.to);
    const seen = rows.filter((r) => receiverServes(r.org, target));
    if (seen.length === 0) return edge;
    const failing: ForwardFailures = {
      count: seen.reduce((n, r) => n + r.count, 0),
      since: new Date(Math.min(...seen.map((r) => r.beginAt)) * 1000).toISOString(),
      receivers: seen.map((r) => r.org),
    };
    return { ...edge, failingAtReceivers: failing };
  });
}
