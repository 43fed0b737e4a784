import type { DomainInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { domainId, type Domain, type StalwartContext } from './stalwart-context.ts';

/** Iterates every domain with its alias domains. */
export async function* listDomains(ctx: StalwartContext, signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
  for await (const d of ctx.jmap.list<Domain>('Domain', {}, ctx.pageSize, signal)) {
    if (!d.ok) {
      yield d;
      return;
    }
    yield ok({ name: d.value.name, description: null, active: d.value.isEnabled !== false, mailboxCount: null, quotaBytes: null, usedBytes: null, aliasDomains: d.value.aliases ?? [] });
  }
}

/** Adds an enabled domain. */
export async function createDomain(ctx: StalwartContext, name: string): Promise<Result<Outcome<DomainInfo>>> {
  const res = await ctx.jmap.set('Domain', { create: { d: { name, isEnabled: true } } });
  ctx.domains = null;
  return res.ok ? ok({ state: 'done', value: { name, description: null, active: true, mailboxCount: 0, quotaBytes: null, usedBytes: null } }) : res;
}

/** Removes a domain. */
export async function deleteDomain(ctx: StalwartContext, name: string): Promise<Result<void>> {
  const id = await domainId(ctx, name);
  if (!id.ok) return id;
  const res = await ctx.jmap.set('Domain', { destroy: [id.value] });
  ctx.domains = null;
  return res.ok ? ok(undefined) : res;
}
