import type { GroupInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { call, customer, directory, type GoogleContext } from './google-context.ts';

async function members(ctx: GoogleContext, groupKey: string, signal?: AbortSignal): Promise<Result<string[]>> {
  const out: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await call('members.list', () => directory(ctx).members.list({ groupKey, maxResults: 200, ...(pageToken ? { pageToken } : {}) }, { signal: signal ?? null }));
    if (!page.ok) return page;
    for (const m of page.value.members ?? []) if (m.email) out.push(m.email);
    pageToken = page.value.nextPageToken ?? undefined;
  } while (pageToken);
  return ok(out);
}

/** Iterates the groups of one domain, or of the whole customer when `domain` is null, with their members. */
export async function* listGroups(ctx: GoogleContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
  const api = directory(ctx);
  let pageToken: string | undefined;
  do {
    const scope = domain === null ? { customer: customer(ctx) } : { domain };
    const page = await call('groups.list', () => api.groups.list({ ...scope, maxResults: 200, ...(pageToken ? { pageToken } : {}) }, { signal: signal ?? null }));
    if (!page.ok) {
      yield page;
      return;
    }
    for (const group of page.value.groups ?? []) {
      const found = await members(ctx, group.email ?? '', signal);
      if (!found.ok) {
        yield found;
        return;
      }
      yield ok({ address: group.email ?? '', name: group.name ?? null, members: found.value });
    }
    pageToken = page.value.nextPageToken ?? undefined;
  } while (pageToken);
}

/** Creates or renames the group, then adds and removes members until they match `members`. */
export async function upsertGroup(ctx: GoogleContext, group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>> {
  const api = directory(ctx);
  const existing = await call('groups.get', () => api.groups.get({ groupKey: group.address }));
  if (!existing.ok && existing.error.code !== 'backend.notFound') return existing;
  if (!existing.ok) {
    const created = await call('groups.insert', () => api.groups.insert({ requestBody: { email: group.address, name: group.name ?? group.address } }));
    if (!created.ok) return created;
  } else if (group.name !== undefined && group.name !== existing.value.name) {
    const renamed = await call('groups.patch', () => api.groups.patch({ groupKey: group.address, requestBody: { name: group.name } }));
    if (!renamed.ok) return renamed;
  }
  const current = await members(ctx, group.address);
  if (!current.ok) return current;
  const want = new Set(group.members.map((m) => m.toLowerCase()));
  const have = new Set(current.value.map((m) => m.toLowerCase()));
  for (const email of group.members) {
    if (have.has(email.toLowerCase())) continue;
    const added = await call('members.insert', () => api.members.insert({ groupKey: group.address, requestBody: { email, role: 'MEMBER' } }));
    if (!added.ok) return added;
  }
  for (const email of current.value) {
    if (want.has(email.toLowerCase())) continue;
    const removed = await call('members.delete', () => api.members.delete({ groupKey: group.address, memberKey: email }));
    if (!removed.ok) return removed;
  }
  return ok({ address: group.address, name: group.name ?? (existing.ok ? (existing.value.name ?? null) : group.address), members: [...group.members] });
}

/** Deletes a group. */
export async function deleteGroup(ctx: GoogleContext, address: string): Promise<Result<void>> {
  const res = await call('groups.delete', () => directory(ctx).groups.delete({ groupKey: address }));
  return res.ok ? ok(undefined) : res;
}
