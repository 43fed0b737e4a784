import type { DomainInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { MIB, arrayOf, num, write, type MailcowContext } from './mailcow-context.ts';

/** Alias domains by target domain, from `get/alias-domain/all` (rows `alias_domain`, `target_domain`, `active`). */
async function aliasDomains(ctx: MailcowContext, signal?: AbortSignal): Promise<Result<Map<string, string[]>>> {
  const res = await ctx.http.json<unknown>({ path: 'get/alias-domain/all', signal });
  if (!res.ok) return res;
  const out = new Map<string, string[]>();
  for (const row of arrayOf(res.value.body)) {
    const target = String(row['target_domain'] ?? '').toLowerCase();
    out.set(target, [...(out.get(target) ?? []), String(row['alias_domain'] ?? '').toLowerCase()]);
  }
  return ok(out);
}

/** Iterates every domain with its mailbox count, quota, usage and alias domains. */
export async function* listDomains(ctx: MailcowContext, signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
  // mailcow has no paging on get/…/all: one response holds every row.
  const res = await ctx.http.json<unknown>({ path: 'get/domain/all', signal });
  if (!res.ok) { yield res; return; }
  const aliases = await aliasDomains(ctx, signal);
  if (!aliases.ok) { yield aliases; return; }
  for (const d of arrayOf(res.value.body)) {
    const name = String(d['domain_name']);
    yield ok({
      name,
      description: typeof d['description'] === 'string' && d['description'] !== '' ? d['description'] : null,
      active: num(d['active']) === 1,
      mailboxCount: num(d['mboxes_in_domain']),
      quotaBytes: num(d['max_quota_for_domain']),
      usedBytes: num(d['bytes_total']),
      aliasDomains: aliases.value.get(name.toLowerCase()) ?? [],
    });
  }
}

/** Adds a domain with the limits the mailcow UI gives a new one. */
export async function createDomain(ctx: MailcowContext, name: string, options: { description?: string } = {}): Promise<Result<Outcome<DomainInfo>>> {
  // Limits in MiB; these mirror the mailcow UI defaults for a new domain.
  const body = { domain: name, description: options.description ?? '', aliases: 400, mailboxes: 10, defquota: 3072, maxquota: 10240, quota: 10240, active: 1 };
  const res = await write(ctx, 'add/domain', body);
  if (!res.ok) return res;
  return ok({ state: 'done', value: { name, description: options.description ?? null, active: true, mailboxCount: 0, quotaBytes: 10240 * MIB, usedBytes: 0, aliasDomains: [] } });
}

/** Removes a domain (mailcow refuses while it still has mailboxes). */
export function deleteDomain(ctx: MailcowContext, name: string): Promise<Result<void>> {
  return write(ctx, 'delete/domain', [name]);
}

/** Adds `alias` as an alias domain of `target` (`add/alias-domain`, routed in data/web/json_api.php) and reads the target back. */
export async function createAliasDomain(ctx: MailcowContext, alias: string, target: string): Promise<Result<DomainInfo>> {
  const res = await write(ctx, 'add/alias-domain', { alias_domain: alias.toLowerCase(), target_domain: target.toLowerCase(), active: 1 });
  if (!res.ok) return res;
  for await (const d of listDomains(ctx)) {
    if (!d.ok) return d;
    if (d.value.name.toLowerCase() === target.toLowerCase()) return ok(d.value);
  }
  return err('backend.notFound', `mailcow: no domain ${target}`);
}
