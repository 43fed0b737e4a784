import type { DomainInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { domainId, domainMap, setMembers, type Domain, type StalwartContext } from './stalwart-context.ts';

function toDomainInfo(d: Domain): DomainInfo {
  return { name: d.name, description: d.description ?? null, active: d.isEnabled !== false, mailboxCount: null, quotaBytes: null, usedBytes: null, aliasDomains: setMembers(d.aliases) };
}

/** Iterates every domain with its alias domains (`Domain.aliases`, a set of names). */
export async function* listDomains(ctx: StalwartContext, signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
  for await (const d of ctx.jmap.list<Domain>('Domain', {}, ctx.pageSize, signal)) {
    if (!d.ok) {
      yield d;
      return;
    }
    yield ok(toDomainInfo(d.value));
  }
}

/** Adds an enabled domain. */
export async function createDomain(ctx: StalwartContext, name: string, options: { description?: string } = {}): Promise<Result<Outcome<DomainInfo>>> {
  const res = await ctx.jmap.set('Domain', { create: { d: { name, isEnabled: true, ...(options.description ? { description: options.description } : {}) } } });
  ctx.domains = null;
  return res.ok ? ok({ state: 'done', value: { name, description: options.description ?? null, active: true, mailboxCount: 0, quotaBytes: null, usedBytes: null } }) : res;
}

/** Removes a domain (Stalwart refuses while accounts or lists use it: objectIsLinked). */
export async function deleteDomain(ctx: StalwartContext, name: string): Promise<Result<void>> {
  const id = await domainId(ctx, name);
  if (!id.ok) return id;
  const res = await ctx.jmap.set('Domain', { destroy: [id.value] });
  ctx.domains = null;
  return res.ok ? ok(undefined) : res;
}

/** Adds `alias` to the target domain's `aliases` set, so every address of the target answers there too. */
export async function createAliasDomain(ctx: StalwartContext, aliasInput: string, targetInput: string): Promise<Result<DomainInfo>> {
  const alias = aliasInput.toLowerCase();
  const target = targetInput.toLowerCase();
  if (alias === target) return err('backend.validation', 'Stalwart: a domain cannot be an alias of itself.');
  const domains = await domainMap(ctx, true);
  if (!domains.ok) return domains;
  // The aliases index is unique among aliases only; a name that is a domain of its own is refused here.
  if (domains.value.has(alias)) return err('backend.conflict', `Stalwart: ${alias} is a domain of its own; delete it before making it an alias.`);
  const parent = domains.value.get(target);
  if (!parent) return err('backend.notFound', `Stalwart: no domain ${target}`);
  // A JMAP patch path adds one member to the set without rewriting the others.
  const res = await ctx.jmap.set('Domain', { update: { [parent.id]: { [`aliases/${alias}`]: true } } });
  ctx.domains = null;
  if (!res.ok) return res;
  const after = await domainMap(ctx, true);
  if (!after.ok) return after;
  const updated = after.value.get(target);
  return updated ? ok(toDomainInfo(updated)) : err('backend.notFound', `Stalwart: no domain ${target}`);
}
