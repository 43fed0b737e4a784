import type { GroupInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { deleteAlias, listAliases, upsertAlias } from './mailcow-aliases.ts';
import type { MailcowContext } from './mailcow-context.ts';

/** Iterates the groups: mailcow has no group object, so a group is an alias with several targets. */
export async function* listGroups(ctx: MailcowContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
  for await (const alias of listAliases(ctx, domain, signal)) {
    if (!alias.ok) { yield alias; return; }
    if (alias.value.targets.length > 1) yield ok({ address: alias.value.address, name: null, members: alias.value.targets });
  }
}

/** Creates or replaces a group as an alias whose targets are the members. */
export async function upsertGroup(ctx: MailcowContext, group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>> {
  const res = await upsertAlias(ctx, { address: group.address, targets: group.members });
  return res.ok ? ok({ address: group.address, name: group.name ?? null, members: res.value.targets }) : res;
}

/** Removes a group's alias. */
export function deleteGroup(ctx: MailcowContext, address: string): Promise<Result<void>> {
  return deleteAlias(ctx, address);
}
