import type { GroupInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { domainId, domainName, setMembers, toSet, type JmapSet, type StalwartContext } from './stalwart-context.ts';

interface MailingList { id: string; name: string; domainId: string; description?: string | null; recipients?: JmapSet }

// MailingList is indexed for `text` and `memberTenantId` only (an unindexed filter is unsupportedFilter),
// so lists are read whole and narrowed here.
async function* lists(ctx: StalwartContext, signal?: AbortSignal): AsyncIterable<Result<MailingList>> {
  yield* ctx.jmap.list<MailingList>('MailingList', {}, ctx.pageSize, signal);
}

/** Iterates the mailing lists of one domain, or of every domain when `domain` is null. */
export async function* listGroups(ctx: StalwartContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
  const id = domain === null ? null : await domainId(ctx, domain);
  if (id && !id.ok) {
    yield id;
    return;
  }
  for await (const l of lists(ctx, signal)) {
    if (!l.ok) {
      yield l;
      return;
    }
    if (id && l.value.domainId !== id.value) continue;
    yield ok({ address: `${l.value.name}@${await domainName(ctx, l.value.domainId)}`, name: l.value.description ?? null, members: setMembers(l.value.recipients) });
  }
}

async function findList(ctx: StalwartContext, address: string): Promise<Result<MailingList | null>> {
  const [name = '', domain = ''] = address.toLowerCase().split('@');
  const id = await domainId(ctx, domain);
  if (!id.ok) return id;
  for await (const l of lists(ctx)) {
    if (!l.ok) return l;
    if (l.value.name.toLowerCase() === name && l.value.domainId === id.value) return ok(l.value);
  }
  return ok(null);
}

/** Creates the mailing list or replaces its recipients (and description when `name` is given). */
export async function upsertGroup(ctx: StalwartContext, group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>> {
  const existing = await findList(ctx, group.address);
  if (!existing.ok) return existing;
  const [name = '', domain = ''] = group.address.toLowerCase().split('@');
  // recipients is a set: written whole as {address: true}.
  const fields = { recipients: toSet(group.members), ...(group.name === undefined ? {} : { description: group.name }) };
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
