import type { RoutingData } from '../db/routing-repo.ts';
import type { DmarcPolicy, RoutingAnalysis, RoutingEdge, RoutingFinding, RoutingNode, RoutingNodeKind } from '../../shared/domain/routing.ts';

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const catchAllId = (domain: string): string => `@${domain}`;
// Some platforms write the catch-all as "*@domain" or "@domain"; both are the same node.
const normal = (address: string): string => (address.startsWith('*@') ? address.slice(1) : address).toLowerCase();

/**
 * Builds the routing graph of the cache (aliases, forwards, group members, catch-alls; alias domains
 * resolved to their target) and flags loops, chains that leave the organisation, external forwarding
 * that breaks SPF/DMARC alignment, catch-alls and targets that do not exist.
 */
export function analyzeRouting(data: RoutingData, dmarcPolicy: (domain: string) => DmarcPolicy, filterDomain?: string): RoutingAnalysis {
  const aliasDomain = new Map<string, string>();
  const org = new Set<string>();
  for (const d of data.domains) {
    org.add(d.name);
    for (const a of d.aliasDomains) {
      aliasDomain.set(a, d.name);
      org.add(a);
    }
  }
  const resolve = (address: string): string => {
    const n = normal(address);
    const target = aliasDomain.get(domainOf(n));
    return target && !n.startsWith('@') ? `${n.slice(0, n.lastIndexOf('@'))}@${target}` : n;
  };
  const nodes = new Map<string, RoutingNode>();
  const edges: RoutingEdge[] = [];
  const edgeKeys = new Set<string>();
  const node = (id: string, kind: RoutingNodeKind, connectionId: string | null): void => {
    const existing = nodes.get(id);
    // A mailbox outranks an alias of the same address (PostfixAdmin keeps one alias row per mailbox).
    if (!existing || (existing.kind !== 'mailbox' && kind === 'mailbox')) nodes.set(id, { id, kind, domain: domainOf(id), connectionId });
  };
  const edge = (from: string, to: string, kind: RoutingEdge['kind'], keepCopy?: boolean, condition?: string): void => {
    if (from === to) return; // delivering to itself is local delivery, not a hop
    const key = `${from}\u0000${to}`;
    if (edgeKeys.has(key)) return;
    edgeKeys.add(key);
    edges.push({ from, to, kind, ...(keepCopy === undefined ? {} : { keepCopy }), ...(condition === undefined ? {} : { conditional: true, condition }) });
  };
  for (const m of data.mailboxes) node(m.address, 'mailbox', m.connectionId);
  for (const g of data.groups) node(g.address, 'group', g.connectionId);
  for (const a of data.aliases) if (a.active) node(normal(a.address), normal(a.address).startsWith('@') ? 'catch-all' : 'alias', a.connectionId);
  for (const m of data.mailboxes) for (const t of m.forwardTargets) edge(m.address, resolve(t), 'forward', m.keepCopy, m.forwardConditions?.[t]);
  for (const g of data.groups) for (const t of g.members) edge(g.address, resolve(t), 'member');
  for (const a of data.aliases) {
    if (!a.active) continue;
    const from = normal(a.address);
    for (const t of a.targets) edge(from, resolve(t), from.startsWith('@') ? 'catch-all' : 'alias');
  }
  const findings: RoutingFinding[] = [];
  // Targets that are no object: outside (external), or inside with no mailbox (caught by a catch-all, or bouncing).
  for (const e of [...edges]) {
    if (nodes.has(e.to)) continue;
    const domain = domainOf(e.to);
    if (!org.has(domain)) node(e.to, 'external', null);
    else {
      node(e.to, 'unknown-local', null);
      if (nodes.has(catchAllId(domain))) edge(e.to, catchAllId(domain), 'catch-all');
      else findings.push({ id: 'routing.dangling', severity: 'warning', message: `${e.from} sends to ${e.to}, which is no mailbox, alias or group: that mail bounces.`, path: [e.from, e.to], domain: domainOf(e.from) });
    }
  }
  const out = new Map<string, RoutingEdge[]>();
  const into = new Map<string, string[]>();
  for (const e of edges) {
    (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e);
    (into.get(e.to) ?? into.set(e.to, []).get(e.to)!).push(e.from);
  }
  for (const cycle of cycles([...nodes.keys()], out)) {
    findings.push({ id: 'routing.loop', severity: 'error', message: `Mail loops: ${[...cycle, cycle[0]].join(' → ')}. Servers stop it after too many hops and bounce it.`, path: cycle, domain: domainOf(cycle[0]!) });
  }
  const policies = new Map<string, DmarcPolicy>();
  const policyOf = (domain: string): DmarcPolicy => policies.get(domain) ?? policies.set(domain, dmarcPolicy(aliasDomain.get(domain) ?? domain)).get(domain)!;
  for (const e of edges) {
    if (nodes.get(e.to)?.kind !== 'external') continue;
    const path = [...chainInto(e.from, into), e.to];
    const domain = domainOf(e.from);
    findings.push({ id: 'routing.leaves-organisation', severity: 'warning', message: `${path.join(' → ')}: mail leaves the organisation (${domainOf(e.to)} is not a domain on any connection).`, path, domain });
    const policy = policyOf(domain);
    if (policy === 'none') continue;
    const strict = policy === 'quarantine' || policy === 'reject';
    findings.push({
      id: 'routing.breaks-dmarc',
      severity: strict ? 'error' : 'unknown',
      message: strict
        ? `${e.from} forwards to ${e.to} while ${domain} publishes DMARC p=${policy} (latest stored check): the forward fails SPF at ${domainOf(e.to)}, so mail from ${domain} (and other strict senders) is rejected or quarantined unless DKIM survives or the relay rewrites the sender (SRS/ARC).`
        : policy === 'not-checked'
          ? `${e.from} forwards to ${e.to}; DMARC policy of ${domain}: unknown — not checked. Run a deliverability check of ${domain} (console or mailroom check) to judge whether this breaks SPF/DMARC.`
          : `${e.from} forwards to ${e.to}; DMARC policy of ${domain}: unknown — the latest stored check could not read it. Check ${domain} again to judge whether this breaks SPF/DMARC.`,
      path,
      domain,
      dmarcPolicy: policy,
    });
  }
  for (const n of nodes.values()) {
    if (n.kind !== 'catch-all') continue;
    const targets = (out.get(n.id) ?? []).map((e) => e.to);
    findings.push({ id: 'routing.catch-all', severity: 'warning', message: `${n.domain} has a catch-all to ${targets.join(', ') || 'nowhere'}: every misspelt or guessed address is accepted, which draws spam and hides bounces.`, path: [n.id, ...targets], domain: n.domain });
  }
  return restrict({ nodes: [...nodes.values()], edges, findings, organisationDomains: [...org].sort(), connections: data.connections ?? [] }, filterDomain, out);
}

/** Walks back along single predecessors to where the chain starts (at most 20 hops, no repeats). */
function chainInto(start: string, into: ReadonlyMap<string, string[]>): string[] {
  const chain = [start];
  const seen = new Set(chain);
  let at = start;
  while (chain.length < 20) {
    const prev = (into.get(at) ?? []).find((p) => !seen.has(p));
    if (prev === undefined) break;
    chain.unshift(prev);
    seen.add(prev);
    at = prev;
  }
  return chain;
}

/** One cycle per strongly connected component with more than one node (Tarjan, iterative). */
function cycles(ids: readonly string[], out: ReadonlyMap<string, RoutingEdge[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    const visit = (id: string): void => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
    };
    visit(root);
    while (work.length) {
      const frame = work.at(-1)!;
      const succ = out.get(frame.id) ?? [];
      if (frame.next < succ.length) {
        const to = succ[frame.next++]!.to;
        if (!index.has(to)) {
          visit(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let id: string;
        do {
          id = stack.pop()!;
          onStack.delete(id);
          component.push(id);
        } while (id !== frame.id);
        if (component.length > 1) found.push(orderCycle(component, out));
      }
    }
  }
  return found;
}

/** Orders a component's nodes along its edges, starting from its smallest address, for a readable path. */
function orderCycle(component: readonly string[], out: ReadonlyMap<string, RoutingEdge[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const path = [start];
  const seen = new Set(path);
  let at = start;
  for (;;) {
    const next = (out.get(at) ?? []).map((e) => e.to).find((to) => members.has(to) && !seen.has(to));
    if (next === undefined) break;
    path.push(next);
    seen.add(next);
    at = next;
  }
  return path;
}

/** Keeps what concerns one domain: its nodes, everything reachable from them, and findings touching them. */
function restrict(analysis: RoutingAnalysis, domain: string | undefined, out: ReadonlyMap<string, RoutingEdge[]>): RoutingAnalysis {
  if (!domain) return analysis;
  const keep = new Set(analysis.nodes.filter((n) => n.domain === domain).map((n) => n.id));
  const queue = [...keep];
  while (queue.length) {
    for (const e of out.get(queue.pop()!) ?? []) {
      if (keep.has(e.to)) continue;
      keep.add(e.to);
      queue.push(e.to);
    }
  }
  return {
    ...analysis,
    nodes: analysis.nodes.filter((n) => keep.has(n.id)),
    edges: analysis.edges.filter((e) => keep.has(e.from) && keep.has(e.to)),
    findings: analysis.findings.filter((f) => f.domain === domain || f.path.some((p) => domainOf(p) === domain)),
  };
}
