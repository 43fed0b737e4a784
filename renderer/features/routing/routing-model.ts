import type { ForwardFailures, RoutingAnalysis, RoutingEdge, RoutingFinding } from '../../../shared/domain/routing.ts';
import { naturalCompare } from '../../lib/natural-sort.ts';

/** One route as the console lists it: a source address and every chain that leaves it. */
export interface RouteRow {
  readonly from: string;
  readonly kind: string;
  readonly chains: readonly (readonly string[])[];
  readonly flags: readonly RoutingFinding['id'][];
  /** This source's forwards that DMARC reports show failing at the receiver, by target. */
  readonly failing: readonly { readonly to: string; readonly failures: ForwardFailures }[];
}

const MAX_DEPTH = 8;

/** Expands the chains from each source that has outgoing edges, stopping at loops and at MAX_DEPTH hops. */
export function routeRows(analysis: RoutingAnalysis, limit = 500): RouteRow[] {
  const out = new Map<string, RoutingEdge[]>();
  for (const e of analysis.edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const kinds = new Map(analysis.nodes.map((n) => [n.id, n.kind]));
  const flagsBy = new Map<string, Set<RoutingFinding['id']>>();
  for (const f of analysis.findings) {
    const first = f.path[0];
    if (first) flagsBy.set(first, (flagsBy.get(first) ?? new Set()).add(f.id));
  }
  const rows: RouteRow[] = [];
  for (const from of [...out.keys()].sort(naturalCompare)) {
    if (rows.length >= limit) break;
    const chains: string[][] = [];
    const walk = (path: string[]) => {
      const next = out.get(path[path.length - 1]!) ?? [];
      if (next.length === 0 || path.length > MAX_DEPTH || chains.length >= 20) return void chains.push(path);
      for (const e of next) {
        if (path.includes(e.to)) chains.push([...path, e.to]);
        else walk([...path, e.to]);
      }
    };
    walk([from]);
    const failing = (out.get(from) ?? []).flatMap((e) => (e.failingAtReceivers ? [{ to: e.to, failures: e.failingAtReceivers }] : []));
    rows.push({ from, kind: kinds.get(from) ?? 'alias', chains, flags: [...(flagsBy.get(from) ?? [])], failing });
  }
  return rows;
}

/** The condition of each conditional hop ("from contains boss@x"), looked up by its two ends. */
export function hopConditions(analysis: RoutingAnalysis): (from: string, to: string) => string | undefined {
  const conditions = new Map(analysis.edges.filter((e) => e.conditional).map((e) => [`${e.from}\u0000${e.to}`, e.condition ?? 'some mail']));
  return (from, to) => conditions.get(`${from}\u0000${to}`);
}

/** The label and badge tone of a finding id. */
export const FINDING_LABEL: Record<RoutingFinding['id'], { readonly label: string; readonly tone: 'danger' | 'warning' | 'info' }> = {
  'routing.loop': { label: 'Loop', tone: 'danger' },
  'routing.leaves-organisation': { label: 'Leaves the organisation', tone: 'warning' },
  'routing.breaks-dmarc': { label: 'Breaks SPF/DMARC', tone: 'danger' },
  'routing.catch-all': { label: 'Catch-all', tone: 'info' },
  'routing.dangling': { label: 'Dangling target', tone: 'warning' },
};

/** The words of the "fails DMARC at receivers" badge and its tooltip. */
export function failingBadge(f: { readonly to: string; readonly failures: ForwardFailures }): { label: string; title: string } {
  const n = f.failures.count.toLocaleString();
  return {
    label: `Fails DMARC at receivers (${n})`,
    title: `DMARC reports since ${f.failures.since.slice(0, 10)} show ${n} forwarded messages to ${f.to} failing DMARC at ${f.failures.receivers.join(', ')}`,
  };
}
