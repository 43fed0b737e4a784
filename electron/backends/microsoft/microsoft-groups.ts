import type { GroupInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import * as exo from './exchange-cmdlets.ts';
import { call, domainOf, odataString, pages, sidecar, type GraphUser, type MicrosoftContext } from './microsoft-context.ts';

interface GraphGroup { id: string; mail?: string | null; displayName?: string | null; groupTypes?: string[]; mailEnabled?: boolean }

const isUnified = (g: GraphGroup): boolean => (g.groupTypes ?? []).includes('Unified');

async function members(ctx: MicrosoftContext, groupId: string, signal?: AbortSignal): Promise<Result<{ id: string; address: string }[]>> {
  const out: { id: string; address: string }[] = [];
  for await (const m of pages<GraphUser>(ctx, 'members.list', (g) => g.api(`/groups/${groupId}/members`).select('id,mail,userPrincipalName').get(), signal)) {
    if (!m.ok) return m;
    out.push({ id: m.value.id, address: (m.value.mail ?? m.value.userPrincipalName ?? '').toLowerCase() });
  }
  return ok(out);
}

async function findGroup(ctx: MicrosoftContext, address: string): Promise<Result<GraphGroup | null>> {
  const res = await call<{ value: GraphGroup[] }>(ctx, 'groups.find', (g) => g.api('/groups').filter(`mail eq ${odataString(address)}`).select('id,mail,displayName,groupTypes,mailEnabled').get());
  return res.ok ? ok(res.value.value[0] ?? null) : res;
}

/** Iterates the mail-enabled groups (Microsoft 365 groups and distribution lists) with their members. */
export async function* listGroups(ctx: MicrosoftContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
  for await (const g of pages<GraphGroup>(ctx, 'groups.list', (c) => c.api('/groups').select('id,mail,displayName,groupTypes,mailEnabled').filter('mailEnabled eq true').get(), signal)) {
    if (!g.ok) {
      yield g;
      return;
    }
    if (domain !== null && domainOf(g.value.mail ?? '') !== domain) continue;
    const found = await members(ctx, g.value.id, signal);
    if (!found.ok) {
      yield found;
      return;
    }
    yield ok({ address: (g.value.mail ?? '').toLowerCase(), name: g.value.displayName ?? null, members: found.value.map((m) => m.address) });
  }
}

/** Creates a Microsoft 365 group or syncs its members; distribution lists answer needs-sidecar. */
export async function upsertGroup(ctx: MicrosoftContext, group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>> {
  const found = await findGroup(ctx, group.address);
  if (!found.ok) return found;
  let target = found.value;
  if (target && !isUnified(target)) {
    // Distribution lists and mail-enabled security groups are read-only in Graph.
    return sidecar('changing a distribution list', exo.updateDistributionGroupMembers(group.address, group.members));
  }
  if (!target) {
    const created = await call<GraphGroup>(ctx, 'groups.create', (g) =>
      g.api('/groups').post({ displayName: group.name ?? group.address, mailNickname: group.address.split('@')[0], mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'] }),
    );
    if (!created.ok) return created;
    target = created.value;
  }
  const groupId = target.id;
  const current = await members(ctx, groupId);
  if (!current.ok) return current;
  const want = new Set(group.members.map((m) => m.toLowerCase()));
  for (const member of want) {
    if (current.value.some((m) => m.address === member)) continue;
    const user = await call<GraphUser>(ctx, 'users.get', (g) => g.api(`/users/${encodeURIComponent(member)}`).select('id').get());
    if (!user.ok) return user.error.code === 'backend.notFound' ? err('backend.validation', `Microsoft 365: ${member} is not a user in the tenant; invite a guest first.`) : user;
    const added = await call(ctx, 'members.add', (g) => g.api(`/groups/${groupId}/members/$ref`).post({ '@odata.id': `${new URL(ctx.graphBase).origin}/v1.0/directoryObjects/${user.value.id}` }));
    if (!added.ok) return added;
  }
  for (const m of current.value) {
    if (want.has(m.address)) continue;
    const removed = await call(ctx, 'members.remove', (g) => g.api(`/groups/${groupId}/members/${m.id}/$ref`).delete());
    if (!removed.ok) return removed;
  }
  return ok({ address: group.address.toLowerCase(), name: target.displayName ?? group.name ?? null, members: [...want] });
}

/** Deletes a Microsoft 365 group; distribution lists answer needs-sidecar. */
export async function deleteGroup(ctx: MicrosoftContext, address: string): Promise<Result<void>> {
  const found = await findGroup(ctx, address);
  if (!found.ok) return found;
  if (!found.value) return err('backend.notFound', `Microsoft 365: no group ${address}`);
  if (!isUnified(found.value)) return sidecar('removing a distribution list', exo.removeDistributionGroup(address));
  const id = found.value.id;
  const res = await call(ctx, 'groups.delete', (g) => g.api(`/groups/${id}`).delete());
  return res.ok ? ok(undefined) : res;
}
