import type { GroupInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { domainFilter, domainId, domainName, type StalwartContext } from './stalwart-context.ts';

interface MailingList { id: string; name: string; domainId: string; description?: string | null; recipients?: string[] }

/** Iterates the mailing lists of one domain, or of every domain when `domain` is null. */
export async function* listGroups(ctx: StalwartContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
  const filter = await domainFilter(ctx, domain, {});
  if (!filter.ok) {
    yield filter;
    return;
  }
  for await (const l of ctx.jmap.list<MailingList>('MailingList', filter.value, ctx.pageSize, signal)) {
    if (!l.ok) {
      yield l;
      return;
    }
    yield ok({ address: `${l.value.name}@${await domainName(ctx, l.value.domainId)}`, name: l.value.description ?? null, members: l.value.recipients ?? [] });
  }
}

async function findList(ctx: StalwartContext, address: string): Promise<Result<MailingList | null>> {
  const [name = '', domain = ''] = address.toLowerCase().split('@');
  const id = await domainId(ctx, domain);
  if (!id.ok) return id;
  for await (const l of ctx.jmap.list<MailingList>('MailingList', { name, domainId: id.value }, 1)) return l;
  return ok(null);
}

/** Creates the mailing list or replaces its recipients (and description when `name` is given). */
export async function upsertGroup(ctx: StalwartContext, group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>> {
  const existing = await findList(ctx, group.address);
  if (!existing.ok) return existing;
  const [name = '', domain = ''] = group.address.toLowerCase().split('@');
  const fields = { recipients: [...group.members], ...(group.name === undefined ? {} : { description: group.name }) };
  let res: Result<unknown>;
  if (existing.value) res = await ctx.jmap.set('MailingList', { update: { [existing.value.id]: fields } });
  else {
    const id = await domainId(ctx, domain);
    if (!id.ok) return id;
    res = await ctx.jmap.set('MailingList', { create: { l: { name, domainId: id.value, ...fields } } });
  }
  if (!res.ok) return res;
  return ok({ address: group.address.toLowerCase(), name: group.name ?? existing.value?.description ?? null, members: [...group.members] });
}

/** Removes a mailing list; `backend.notFound` when there is none. */
export async function deleteGroup(ctx: StalwartContext, address: string): Promise<Result<void>> {
  const existing = await findList(ctx, address);
  if (!existing.ok) return existing;
  if (!existing.value) return err('backend.notFound', `Stalwart: no mailing list ${address}`);
  const res = await ctx.jmap.set('MailingList', { destroy: [existing.value.id] });
  return res.ok ? ok(undefined) : res;
}
