import type { AliasInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { call, directory, domainOf, type GoogleContext } from './google-context.ts';
import { users } from './google-mailboxes.ts';

/** Iterates user aliases of one domain's users, or of every user when `domain` is null. */
export async function* listAliases(ctx: GoogleContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>> {
  // Google aliases live on users (users.list returns them); a multi-target address is a group instead.
  for await (const user of users(ctx, domain, signal)) {
    if (!user.ok) {
      yield user;
      return;
    }
    for (const alias of user.value.aliases ?? []) {
      yield ok({ address: alias, domain: domainOf(alias), targets: [user.value.primaryEmail ?? ''], active: true });
    }
  }
}

/** Puts the alias on its one target user, moving it from another user that holds it. */
export async function upsertAlias(ctx: GoogleContext, alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<AliasInfo>> {
  const [target] = alias.targets;
  if (alias.targets.length !== 1 || target === undefined) {
    return err('backend.validation', 'Google: a user alias points at exactly one user; use a group for several targets.');
  }
  const owner = await call('users.get', () => directory(ctx).users.get({ userKey: alias.address }));
  if (owner.ok && owner.value.primaryEmail?.toLowerCase() !== target.toLowerCase()) {
    const removed = await call('users.aliases.delete', () => directory(ctx).users.aliases.delete({ userKey: owner.value.primaryEmail ?? '', alias: alias.address }));
    if (!removed.ok) return removed;
  } else if (!owner.ok && owner.error.code !== 'backend.notFound') {
    return owner;
  }
  if (!owner.ok || owner.value.primaryEmail?.toLowerCase() !== target.toLowerCase()) {
    const res = await call('users.aliases.insert', () => directory(ctx).users.aliases.insert({ userKey: target, requestBody: { alias: alias.address } }));
    if (!res.ok) return res;
  }
  return ok({ address: alias.address, domain: domainOf(alias.address), targets: [target], active: true });
}

/** Removes the alias from the user that owns it. */
export async function deleteAlias(ctx: GoogleContext, address: string): Promise<Result<void>> {
  // users.get resolves an alias to the user that owns it.
  const owner = await call('users.get', () => directory(ctx).users.get({ userKey: address }));
  if (!owner.ok) return owner;
  const res = await call('users.aliases.delete', () => directory(ctx).users.aliases.delete({ userKey: owner.value.primaryEmail ?? '', alias: address }));
  return res.ok ? ok(undefined) : res;
}
