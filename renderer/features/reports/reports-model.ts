import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { CachedDomain } from '../../../shared/domain/inventory.ts';
import type { ReportDay, ReverseName } from '../../../shared/domain/reports-insights.ts';
import type { ReportSource, SourceClass } from '../../../shared/domain/reports.ts';
import { UNASSIGNED_CUSTOMER } from '../../../shared/domain/standards.ts';
import { toCsv } from '../../lib/csv.ts';
import { naturalCompare } from '../../lib/natural-sort.ts';
import { matchesQuery } from '../../state/search-store.ts';

/** How each source class reads in the console. */
export const CLASS_TEXT: Record<SourceClass, string> = {
  aligned: 'Aligned',
  'authorised-unaligned': 'Authorised, not aligned',
  forwarded: 'Forwarded',
  unknown: 'Unknown / threat',
};

/** Sort keys of the sources table. */
export type SourceSortKey = 'ip' | 'ptr' | 'sender' | 'class' | 'messages' | 'pass';

/** A sources table row: the source and its reverse DNS answer (undefined while asked). */
export interface SourceRow extends ReportSource {
  readonly ptr: ReverseName | undefined;
}

/** The share `part / whole` as "97.5%", or "—" without a whole. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—';
}

/** What the reverse DNS cell says for a source. */
export function ptrText(ptr: ReverseName | undefined): string {
  if (!ptr) return '…';
  if (ptr.status === 'failed') return 'lookup failed';
  return ptr.status === 'none' ? 'no PTR' : ptr.names.join(', ');
}

/** Sources matching the filter words (IP, PTR, sender, class), in the chosen order; figures sort largest first. */
export function visibleSources(rows: readonly SourceRow[], query: string, sort: { readonly key: SourceSortKey; readonly descending: boolean }): SourceRow[] {
  const matching = rows.filter((r) => matchesQuery(query, [r.sourceIp, r.ptr?.names.join(' '), r.knownSender, CLASS_TEXT[r.classification]]));
  const text = (r: SourceRow): string => (sort.key === 'ip' ? r.sourceIp : sort.key === 'ptr' ? (r.ptr?.names[0] ?? '') : sort.key === 'sender' ? (r.knownSender ?? '') : CLASS_TEXT[r.classification]);
  const figure = (r: SourceRow): number => (sort.key === 'messages' ? r.messages : r.messages > 0 ? r.dmarcPass / r.messages : 0);
  const compare = sort.key === 'messages' || sort.key === 'pass' ? (a: SourceRow, b: SourceRow) => figure(a) - figure(b) : (a: SourceRow, b: SourceRow) => naturalCompare(text(a), text(b));
  const sorted = matching.sort((a, b) => compare(a, b) || naturalCompare(a.sourceIp, b.sourceIp));
  return sort.descending ? sorted.reverse() : sorted;
}

/** The sources as CSV, one line per IP, as the table shows them. */
export function sourcesCsv(rows: readonly SourceRow[]): string {
  return toCsv(
    ['source_ip', 'reverse_dns', 'known_sender', 'classification', 'messages', 'dmarc_pass', 'dkim_aligned', 'spf_aligned', 'reporters', 'first_seen', 'last_seen'],
    rows.map((r) => [r.sourceIp, r.ptr?.names.join(' ') ?? '', r.knownSender ?? '', r.classification, r.messages, r.dmarcPass, r.dkimAligned, r.spfAligned, r.reporters, isoDay(r.firstSeen), isoDay(r.lastSeen)]),
  );
}

/** A Unix time as its UTC day, YYYY-MM-DD. */
export function isoDay(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** One line of the top failure reasons: why messages failed DMARC, and how many. */
export interface FailureReason {
  readonly reason: string;
  readonly messages: number;
  readonly sources: number;
}

/** Messages that failed DMARC grouped by why (the source's class, and the service when one is known), most first. */
export function failureReasons(sources: readonly ReportSource[]): FailureReason[] {
  const groups = new Map<string, { messages: number; sources: number }>();
  for (const s of sources) {
    const failed = s.messages - s.dmarcPass;
    if (failed <= 0) continue;
    const reason =
      s.classification === 'unknown'
        ? 'Unknown source: neither SPF nor DKIM passed for the domain'
        : s.classification === 'forwarded'
          ? 'Forwarded: the forwarder broke SPF and DKIM did not survive'
          : s.classification === 'authorised-unaligned'
            ? `${s.knownSender ?? 'A service'} passes SPF or DKIM for another domain, not aligned with this one`
            : 'Usually aligned source, some messages failed';
    const g = groups.get(reason) ?? { messages: 0, sources: 0 };
    groups.set(reason, { messages: g.messages + failed, sources: g.sources + 1 });
  }
  return [...groups].map(([reason, g]) => ({ reason, ...g })).sort((a, b) => b.messages - a.messages || naturalCompare(a.reason, b.reason));
}

/** Per-day totals over several domains' days, in day order. */
export function sumDays(perDomain: readonly (readonly ReportDay[])[]): ReportDay[] {
  const byDay = new Map<string, { messages: number; dmarcPass: number }>();
  for (const days of perDomain) {
    for (const d of days) {
      const t = byDay.get(d.day) ?? { messages: 0, dmarcPass: 0 };
      byDay.set(d.day, { messages: t.messages + d.messages, dmarcPass: t.dmarcPass + d.dmarcPass });
    }
  }
  return [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, t]) => ({ day, ...t }));
}

/** The MSP customer of each cached domain, lower-cased: its connection's customer, "unassigned" when the connection has none. */
export function customerOfDomain(connections: readonly ConnectionSummary[], domains: readonly CachedDomain[]): Map<string, string> {
  const customerOf = new Map(connections.map((c) => [c.id, c.customer ?? UNASSIGNED_CUSTOMER]));
  return new Map(domains.map((d) => [d.name.toLowerCase(), customerOf.get(d.connectionId) ?? UNASSIGNED_CUSTOMER]));
}

/** The customer a report domain counts under: its cached connection's, or "unassigned" for a domain no connection holds. */
export function reportCustomer(customers: ReadonlyMap<string, string>, domain: string): string {
  return customers.get(domain.toLowerCase()) ?? UNASSIGNED_CUSTOMER;
}

/** The customer filter's choices: every customer that has a report domain, naturally sorted, "unassigned" last. */
export function reportCustomers(customers: ReadonlyMap<string, string>, domains: readonly string[]): string[] {
  const names = [...new Set(domains.map((d) => reportCustomer(customers, d)))];
  return names.filter((n) => n !== UNASSIGNED_CUSTOMER).sort(naturalCompare).concat(names.includes(UNASSIGNED_CUSTOMER) ? [UNASSIGNED_CUSTOMER] : []);
}
