import type { Support } from './provisioning.ts';

/** Filter of routing.analyze: one domain, or every cached domain. */
export interface RoutingQuery {
  readonly domain?: string;
}

/** What a routing node is. */
export type RoutingNodeKind = 'mailbox' | 'alias' | 'group' | 'catch-all' | 'external' | 'unknown-local';

/** An address in the routing graph. */
export interface RoutingNode {
  readonly id: string;
  readonly kind: RoutingNodeKind;
  readonly domain: string;
  readonly connectionId: string | null;
}

/** Why mail moves from one node to another. */
export type RoutingEdgeKind = 'alias' | 'forward' | 'member' | 'catch-all';

/** Mail for `from` is delivered (also) to `to`. */
export interface RoutingEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: RoutingEdgeKind;
  /** Forwarding that keeps a copy in the source mailbox. */
  readonly keepCopy?: boolean;
  /** Only some mail takes this hop (a filter, an inbox rule, a Sieve `if`). */
  readonly conditional?: boolean;
  /** Which mail, in words ("from contains boss@example.com"). */
  readonly condition?: string;
  /** A forward whose forwarded mail stored DMARC aggregate reports show failing DMARC at the target's receiver. */
  readonly failingAtReceivers?: ForwardFailures;
}

/** What receivers reported about a forward's mail: messages that failed DMARC, from when, and who reported them. */
export interface ForwardFailures {
  /** Messages (sum of report record counts). */
  readonly count: number;
  /** Start of the earliest report period showing them (ISO). */
  readonly since: string;
  /** Reporting receivers (report org names). */
  readonly receivers: readonly string[];
}

/** A domain's DMARC policy as its latest stored check found it; 'not-checked' when no check of it is stored. */
export type DmarcPolicy = 'none' | 'quarantine' | 'reject' | 'unknown' | 'not-checked';

/** Stable ids of routing findings. */
export type RoutingFindingId = 'routing.loop' | 'routing.leaves-organisation' | 'routing.breaks-dmarc' | 'routing.catch-all' | 'routing.dangling';

/** One problem or fact found in the routing graph. */
export interface RoutingFinding {
  readonly id: RoutingFindingId;
  readonly severity: 'error' | 'warning' | 'info' | 'unknown';
  readonly message: string;
  /** The chain that shows it, first hop first. */
  readonly path: readonly string[];
  readonly domain: string;
  readonly dmarcPolicy?: DmarcPolicy;
}

/** A connection in the graph, and how far Mailroom reads its forwards (its forward.read capability; null until probed). */
export interface RoutingConnection {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly forwardsRead: Support | null;
}

/** The routing graph over the cache, with its findings. */
export interface RoutingAnalysis {
  readonly nodes: readonly RoutingNode[];
  readonly edges: readonly RoutingEdge[];
  readonly findings: readonly RoutingFinding[];
  /** Every domain Mailroom knows on every connection: "inside the organisation". */
  readonly organisationDomains: readonly string[];
  /** The connections behind the nodes, IMAP-only ones (their own account's Sieve forwards) included. */
  readonly connections?: readonly RoutingConnection[];
}
