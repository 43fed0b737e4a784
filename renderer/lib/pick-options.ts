import type { ConnectionSummary } from '../../shared/domain/connection.ts';
import type { CachedDomain } from '../../shared/domain/inventory.ts';
import { naturalCompare, sortNatural } from './natural-sort.ts';

/** A choice in a searchable picker (the shape of the Combobox's options). */
export interface PickOption {
  readonly value: string;
  readonly label: string;
  readonly hint?: string;
}

/** Domain names for a filter, each once, in natural order, after "All domains"; the hint names the connection(s). */
export function domainFilterOptions(domains: readonly CachedDomain[], allLabel = 'All domains'): PickOption[] {
  const byName = new Map<string, string[]>();
  for (const d of domains) byName.set(d.name, [...(byName.get(d.name) ?? []), d.connectionName]);
  const names = [...byName.keys()].sort(naturalCompare);
  return [{ value: '', label: allLabel }, ...names.map((name) => ({ value: name, label: name, hint: byName.get(name)!.join(', ') }))];
}

/** The key of a domain on one connection, as pickers use it: `connectionId/name`. */
export function domainKey(d: Pick<CachedDomain, 'connectionId' | 'name'>): string {
  return `${d.connectionId}/${d.name}`;
}

/** Domains to create something on (`@name`, the connection as hint), in natural order. */
export function domainPickOptions(domains: readonly CachedDomain[]): PickOption[] {
  return [...domains]
    .sort((a, b) => naturalCompare(a.name, b.name) || naturalCompare(a.connectionName, b.connectionName))
    .map((d) => ({ value: domainKey(d), label: `@${d.name}`, hint: d.connectionName }));
}

/** Connections in natural order, the platform as hint, after `allLabel` when given. */
export function connectionOptions(connections: readonly ConnectionSummary[], allLabel?: string): PickOption[] {
  const options = sortNatural(connections, (c) => c.name).map((c) => ({ value: c.id, label: c.name, hint: c.kind }));
  return allLabel ? [{ value: '', label: allLabel }, ...options] : options;
}
