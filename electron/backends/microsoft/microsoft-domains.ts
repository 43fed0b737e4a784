import type { DomainInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { call, pages, type MicrosoftContext } from './microsoft-context.ts';

/** Iterates the tenant's domains; unverified ones show as inactive. */
export async function* listDomains(ctx: MicrosoftContext, signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
  for await (const d of pages<{ id: string; isVerified?: boolean; isDefault?: boolean }>(ctx, 'domains', (g) => g.api('/domains').get(), signal)) {
    if (!d.ok) {
      yield d;
      return;
    }
    yield ok({ name: d.value.id, description: d.value.isDefault ? 'default domain' : null, active: d.value.isVerified === true, mailboxCount: null, quotaBytes: null, usedBytes: null });
  }
}

/** Adds a domain; pending until it is verified through DNS. */
export async function createDomain(ctx: MicrosoftContext, name: string): Promise<Result<Outcome<DomainInfo>>> {
  const res = await call<{ isVerified?: boolean }>(ctx, 'domains.create', (g) => g.api('/domains').post({ id: name }));
  if (!res.ok) return res;
  const value: DomainInfo = { name, description: null, active: res.value.isVerified === true, mailboxCount: 0, quotaBytes: null, usedBytes: null };
  return ok(res.value.isVerified ? { state: 'done', value } : { state: 'pending', reason: 'dns', value });
}

/** Removes a domain (Microsoft finishes it asynchronously). */
export async function deleteDomain(ctx: MicrosoftContext, name: string): Promise<Result<void>> {
  const res = await call(ctx, 'domains.delete', (g) => g.api(`/domains/${encodeURIComponent(name)}`).delete());
  return res.ok ? ok(undefined) : res;
}
