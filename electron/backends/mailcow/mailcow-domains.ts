import type { DomainInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { MIB, arrayOf, num, write, type MailcowContext } from './mailcow-context.ts';

/** Iterates every domain with its mailbox count, quota and usage. */
export async function* listDomains(ctx: MailcowContext, signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
  // mailcow has no paging on get/…/all: one response holds every row.
  const res = await ctx.http.json<Record<string, unknown>[]>({ path: 'get/domain/all', signal });
  if (!res.ok) { yield res; return; }
  for (const d of arrayOf(res.value.body)) {
    yield ok({
      name: String(d['domain_name']),
      description: typeof d['description'] === 'string' && d['description'] !== '' ? d['description'] : null,
      active: num(d['active']) === 1,
      mailboxCount: num(d['mboxes_in_domain']),
      quotaBytes: num(d['max_quota_for_domain']),
      usedBytes: num(d['bytes_total']),
    });
  }
}

/** Adds a domain with the limits the mailcow UI gives a new one. */
export async function createDomain(ctx: MailcowContext, name: string, options: { description?: string } = {}): Promise<Result<Outcome<DomainInfo>>> {
  // Limits in MiB; these mirror the mailcow UI defaults for a new domain.
  const body = { domain: name, description: options.description ?? '', aliases: 400, mailboxes: 10, defquota: 3072, maxquota: 10240, quota: 10240, active: 1 };
  const res = await write(ctx, 'add/domain', body);
  if (!res.ok) return res;
  return ok({ state: 'done', value: { name, description: options.description ?? null, active: true, mailboxCount: 0, quotaBytes: 10240 * MIB, usedBytes: 0 } });
}

/** Removes a domain (mailcow refuses while it still has mailboxes). */
export function deleteDomain(ctx: MailcowContext, name: string): Promise<Result<void>> {
  return write(ctx, 'delete/domain', [name]);
}
