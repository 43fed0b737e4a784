import type { ConnectionKind, ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { CheckRunSummary } from '../../../shared/domain/dns.ts';
import type { CachedDomain } from '../../../shared/domain/inventory.ts';
import type { MigrationBatchSummary } from '../../../shared/domain/migration.ts';
import { UNASSIGNED_CUSTOMER, type StandardEvaluation } from '../../../shared/domain/standards.ts';
import type { StorageSummary } from '../../../shared/domain/storage.ts';
import { naturalCompare } from '../../lib/natural-sort.ts';

/** A running batch with the customers of the connections its plan's rows use. */
export interface RunningBatch {
  readonly batch: MigrationBatchSummary;
  readonly customers: readonly string[];
}

/** What the per-customer figures are computed from; null where a service could not be read. */
export interface CustomerSources {
  readonly connections: readonly ConnectionSummary[];
  readonly domains: readonly CachedDomain[];
  readonly storage: StorageSummary | null;
  /** The latest evaluation of every stored standard (empty before the first). */
  readonly evaluations: readonly StandardEvaluation[] | null;
  readonly checks: readonly CheckRunSummary[] | null;
  readonly migrations: readonly RunningBatch[] | null;
}

/** Counts of one platform inside one customer. */
export interface PlatformFigures {
  readonly kind: ConnectionKind;
  readonly connections: number;
  readonly domains: number;
  readonly mailboxes: number;
  /** Bytes used as the storage service sums them; null when storage could not be read. */
  readonly usedBytes: number | null;
}

/** One customer's line of the overview. */
export interface CustomerFigures extends Omit<PlatformFigures, 'kind'> {
  readonly name: string;
  readonly platforms: readonly PlatformFigures[];
  readonly tested: number;
  readonly failing: number;
  /** The lowest alignment score over the evaluated standards; null when none scored this customer. */
  readonly alignment: number | null;
  /** Deviations that count in the latest evaluation of every standard; null when standards could not be read. */
  readonly deviations: number | null;
  /** Average deliverability score of the customer's checked domains; null when none was checked. */
  readonly deliverability: { readonly checked: number; readonly average: number } | null;
  readonly migrations: number | null;
}

/** The customer a connection counts under: its MSP customer, or "unassigned". */
export function customerOf(connection: Pick<ConnectionSummary, 'customer'>): string {
  return connection.customer ?? UNASSIGNED_CUSTOMER;
}

const key = (name: string): string => name.toLowerCase();

/** Figures per customer and, inside each, per platform: counts, storage, health, drift and running migrations; "unassigned" last. */
export function customerFigures(src: CustomerSources): CustomerFigures[] {
  const names = new Map<string, string>();
  for (const c of src.connections) if (!names.has(key(customerOf(c)))) names.set(key(customerOf(c)), customerOf(c));
  const used = src.storage ? new Map(src.storage.platforms.map((p) => [p.connectionId, p.usedBytes])) : null;
  const domainCustomer = new Map<string, string>();
  const byConnection = new Map<string, { domains: number; mailboxes: number }>();
  const customerById = new Map(src.connections.map((c) => [c.id, key(customerOf(c))]));
  for (const d of src.domains) {
    const t = byConnection.get(d.connectionId) ?? { domains: 0, mailboxes: 0 };
    byConnection.set(d.connectionId, { domains: t.domains + 1, mailboxes: t.mailboxes + (d.mailboxCount ?? 0) });
    domainCustomer.set(d.name.toLowerCase(), customerById.get(d.connectionId) ?? key(UNASSIGNED_CUSTOMER));
  }
  return [...names]
    .map(([k, name]) => {
      const mine = src.connections.filter((c) => key(customerOf(c)) === k);
      const kinds = [...new Set(mine.map((c) => c.kind))].sort(naturalCompare);
      const platforms = kinds.map((kind) => sumPlatform(kind, mine.filter((c) => c.kind === kind), byConnection, used));
      const scores = (src.evaluations ?? []).flatMap((e) => Object.entries(e.score).filter(([c]) => key(c) === k).map(([, s]) => s));
      const checked = (src.checks ?? []).filter((r) => domainCustomer.get(r.domain.toLowerCase()) === k);
      const tested = mine.filter((c) => c.lastTest);
      return {
        name,
        platforms,
        connections: mine.length,
        domains: platforms.reduce((n, p) => n + p.domains, 0),
        mailboxes: platforms.reduce((n, p) => n + p.mailboxes, 0),
        usedBytes: used ? platforms.reduce((n, p) => n + (p.usedBytes ?? 0), 0) : null,
        tested: tested.length,
        failing: tested.filter((c) => !c.lastTest!.ok).length,
        alignment: scores.length ? Math.min(...scores) : null,
        deviations: src.evaluations ? src.evaluations.reduce((n, e) => n + e.deviations.filter((d) => key(d.customer) === k).length, 0) : null,
        deliverability: checked.length ? { checked: checked.length, average: Math.round(checked.reduce((n, r) => n + r.score, 0) / checked.length) } : null,
        migrations: src.migrations ? src.migrations.filter((m) => m.customers.some((c) => key(c) === k)).length : null,
      };
    })
    .sort((a, b) => Number(key(a.name) === key(UNASSIGNED_CUSTOMER)) - Number(key(b.name) === key(UNASSIGNED_CUSTOMER)) || naturalCompare(a.name, b.name));
}

function sumPlatform(kind: ConnectionKind, connections: readonly ConnectionSummary[], counts: ReadonlyMap<string, { domains: number; mailboxes: number }>, used: ReadonlyMap<string, number> | null): PlatformFigures {
  return {
    kind,
    connections: connections.length,
    domains: connections.reduce((n, c) => n + (counts.get(c.id)?.domains ?? 0), 0),
    mailboxes: connections.reduce((n, c) => n + (counts.get(c.id)?.mailboxes ?? 0), 0),
    usedBytes: used ? connections.reduce((n, c) => n + (used.get(c.id) ?? 0), 0) : null,
  };
}

/** The customers a batch's plan touches: those of the connections its rows use ("unassigned" when none has one). */
export function batchCustomers(rowConnections: readonly (string | null)[], connections: readonly ConnectionSummary[]): string[] {
  const byId = new Map(connections.map((c) => [c.id, customerOf(c)]));
  const found = new Set(rowConnections.flatMap((id) => (id && byId.has(id) ? [byId.get(id)!] : [])));
  return found.size ? [...found] : [UNASSIGNED_CUSTOMER];
}

/** Every deviation of the latest evaluations as CSV lines' fields, for the drift download. */
export function driftRows(evaluations: readonly StandardEvaluation[]): string[][] {
  return evaluations.flatMap((e) => e.deviations.map((d) => [e.standard, d.customer, d.rule, d.target, d.expected, d.current, d.mode, d.since]));
}
