import { type Result, err, ok } from '../../../shared/errors/result.ts';
import type { JmapClient } from './jmap-client.ts';

// Object shapes follow stalwartlabs/stalwart crates/registry/src/schema/ (0.16): a JMAP "set" is an
// object of `value: true` (types/map.rs) and an "objectList" an object keyed "0", "1", … (types/list.rs).

/** A JMAP set as Stalwart serializes it. */
export type JmapSet = Record<string, boolean>;

/** A JMAP object list as Stalwart serializes it. */
export type JmapList<T> = Record<string, T>;

/** The members of a JMAP set, in key order. */
export function setMembers(set: JmapSet | null | undefined): string[] {
  return Object.entries(set ?? {}).filter(([, v]) => v === true).map(([k]) => k);
}

/** A JMAP set of `values`. */
export function toSet(values: readonly string[]): JmapSet {
  return Object.fromEntries(values.map((v) => [v, true]));
}

/** The items of a JMAP object list, by ascending index. */
export function listItems<T>(list: JmapList<T> | null | undefined): T[] {
  return Object.entries(list ?? {}).sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
}

/** A JMAP object list of `items`. */
export function toList<T>(items: readonly T[]): JmapList<T> {
  return Object.fromEntries(items.map((v, i) => [String(i), v]));
}

/** A Stalwart `Domain` object. */
export interface Domain { id: string; name: string; isEnabled?: boolean; catchAllAddress?: string | null; aliases?: JmapSet; description?: string | null }

/** An address on an account or list (`EmailAlias`). */
export interface EmailAlias { name: string; domainId: string; enabled?: boolean; description?: string | null }

/** `Permissions`: inherited from roles, or merged with / replacing them through explicit lists. */
export type Permissions =
  | { '@type': 'Inherit' }
  | { '@type': 'Merge' | 'Replace'; enabledPermissions?: JmapSet; disabledPermissions?: JmapSet };

/** A Stalwart `Account` object (a mailbox is one of `@type` User); emailAddress and usedDiskQuota are server-set. */
export interface Account {
  id: string; '@type': string; name: string; domainId: string; description?: string | null; emailAddress?: string;
  aliases?: JmapList<EmailAlias>; quotas?: Record<string, number>; usedDiskQuota?: number;
  permissions?: Permissions;
  /** Read back with secrets masked ("****"). */
  credentials?: JmapList<{ '@type': string; secret?: string }>;
}

/** What every Stalwart operation needs: the JMAP client, the page size and the domain id cache. */
export interface StalwartContext {
  readonly jmap: JmapClient;
  readonly pageSize: number;
  /** Domains by lower-case name; null after a domain write, so the next lookup reloads them. */
  domains: Map<string, Domain> | null;
}

/** Every domain by lower-case name, from the cache unless `refresh` or the cache was dropped. */
export async function domainMap(ctx: StalwartContext, refresh = false): Promise<Result<Map<string, Domain>>> {
  if (ctx.domains && !refresh) return ok(ctx.domains);
  const map = new Map<string, Domain>();
  for await (const d of ctx.jmap.list<Domain>('Domain', {}, ctx.pageSize)) {
    if (!d.ok) return d;
    map.set(d.value.name.toLowerCase(), d.value);
  }
  ctx.domains = map;
  return ok(map);
}

/** The id of the domain `name`, reloading the cache once when it is not there. */
export async function domainId(ctx: StalwartContext, name: string): Promise<Result<string>> {
  let map = await domainMap(ctx);
  if (map.ok && !map.value.has(name.toLowerCase())) map = await domainMap(ctx, true);
  if (!map.ok) return map;
  const d = map.value.get(name.toLowerCase());
  return d ? ok(d.id) : err('backend.notFound', `Stalwart: no domain ${name}`);
}

/** The name of the domain with `id`, or the id itself when it cannot be resolved. */
export async function domainName(ctx: StalwartContext, id: string): Promise<string> {
  const map = await domainMap(ctx);
  return (map.ok ? [...map.value.values()].find((d) => d.id === id)?.name : undefined) ?? id;
}

/** `base` narrowed to one domain's objects; a null domain keeps every domain. */
export async function domainFilter(ctx: StalwartContext, domain: string | null, base: Record<string, unknown>): Promise<Result<Record<string, unknown>>> {
  if (domain === null) return ok(base);
  const id = await domainId(ctx, domain);
  return id.ok ? ok({ ...base, domainId: id.value }) : id;
}
