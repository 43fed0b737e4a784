import type { DomainInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { call, customer, directory, type GoogleContext } from './google-context.ts';

/** Iterates the customer's domains with their alias domains; unverified ones show as inactive. */
export async function* listDomains(ctx: GoogleContext, signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
  const res = await call('domains.list', () => directory(ctx).domains.list({ customer: customer(ctx) }, { signal: signal ?? null }));
  if (!res.ok) {
    yield res;
    return;
  }
  for (const d of res.value.domains ?? []) {
    yield ok({
      name: d.domainName ?? '',
      description: d.isPrimary ? 'primary domain' : null,
      active: d.verified === true,
      mailboxCount: null,
      quotaBytes: null,
      usedBytes: null,
      aliasDomains: (d.domainAliases ?? []).map((a) => a.domainAliasName ?? '').filter(Boolean),
    });
  }
}

/** Adds a domain; pending until its DNS ownership is verified. */
export async function createDomain(ctx: GoogleContext, name: string): Promise<Result<Outcome<DomainInfo>>> {
  const res = await call('domains.insert', () => directory(ctx).domains.insert({ customer: customer(ctx), requestBody: { domainName: name } }));
  if (!res.ok) return res;
  const value: DomainInfo = { name, description: null, active: res.value.verified === true, mailboxCount: 0, quotaBytes: null, usedBytes: null };
  // The domain is unusable until its DNS ownership is verified (Site Verification API or Admin console).
  return ok(res.value.verified ? { state: 'done', value } : { state: 'pending', reason: 'dns', value });
}

/** Removes a domain (Google refuses while users or groups use it). */
export async function deleteDomain(ctx: GoogleContext, name: string): Promise<Result<void>> {
  const res = await call('domains.delete', () => directory(ctx).domains.delete({ customer: customer(ctx), domainName: name }));
  return res.ok ? ok(undefined) : res;
}

/** Adds `alias` as a domain alias of `target` (Directory domainAliases); Google serves it once its DNS ownership is verified. */
export async function createAliasDomain(ctx: GoogleContext, alias: string, target: string): Promise<Result<DomainInfo>> {
  const res = await call('domainAliases.insert', () =>
    directory(ctx).domainAliases.insert({ customer: customer(ctx), requestBody: { parentDomainName: target.toLowerCase(), domainAliasName: alias.toLowerCase() } }),
  );
  if (!res.ok) return res;
  for await (const d of listDomains(ctx)) {
    if (!d.ok) return d;
    if (d.value.name === target.toLowerCase()) return ok(d.value);
  }
  return err('backend.notFound', `Google: no domain ${target}`);
}
