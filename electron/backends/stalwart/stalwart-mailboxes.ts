import type { MailboxInfo, MailboxPatch, NewMailbox, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { domainFilter, domainId, domainName, setMembers, toList, toSet, type Account, type Permissions, type StalwartContext } from './stalwart-context.ts';

/** True unless the account's permissions explicitly disable `authenticate` (how Mailroom suspends). */
export function canAuthenticate(permissions: Permissions | undefined): boolean {
  if (!permissions || permissions['@type'] === 'Inherit') return true;
  return !setMembers(permissions.disabledPermissions).includes('authenticate');
}

/** The permissions with `authenticate` disabled (suspend) or no longer disabled (unsuspend), the rest kept. */
export function withAuthenticate(permissions: Permissions | undefined, allowed: boolean): Permissions {
  const current = permissions && permissions['@type'] !== 'Inherit' ? permissions : { '@type': 'Merge' as const };
  const disabled = setMembers(current.disabledPermissions).filter((p) => p !== 'authenticate');
  const enabled = setMembers(current.enabledPermissions);
  if (allowed && disabled.length === 0 && enabled.length === 0 && current['@type'] === 'Merge') return { '@type': 'Inherit' };
  return { '@type': current['@type'], enabledPermissions: toSet(enabled), disabledPermissions: toSet(allowed ? disabled : [...disabled, 'authenticate']) };
}

/** A User account as a mailbox; suspension shows as the authenticate permission turned off. */
export async function toMailbox(ctx: StalwartContext, a: Account): Promise<MailboxInfo> {
  const domain = await domainName(ctx, a.domainId);
  return {
    address: a.emailAddress ?? `${a.name}@${domain}`,
    domain,
    displayName: a.description ?? null,
    active: canAuthenticate(a.permissions),
    quotaBytes: a.quotas?.['maxDiskQuota'] || null,
    usedBytes: a.usedDiskQuota ?? null,
    messageCount: null,
  };
}

/** Iterates the User accounts of one domain, or of every domain when `domain` is null. */
export async function* accounts(ctx: StalwartContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<Account>> {
  const filter = await domainFilter(ctx, domain, { '@type': 'User' });
  if (!filter.ok) {
    yield filter;
    return;
  }
  yield* ctx.jmap.list<Account>('Account', filter.value, ctx.pageSize, signal);
}

/** The account whose address is `address`; `backend.notFound` when there is none. */
export async function account(ctx: StalwartContext, address: string): Promise<Result<Account>> {
  const [name = '', domain = ''] = address.toLowerCase().split('@');
  const id = await domainId(ctx, domain);
  if (!id.ok) return id;
  for await (const a of ctx.jmap.list<Account>('Account', { name, domainId: id.value }, 1)) return a;
  return err('backend.notFound', `Stalwart: no account ${address}`);
}

/** Iterates the mailboxes of one domain, or of every domain when `domain` is null. */
export async function* listMailboxes(ctx: StalwartContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
  for await (const a of accounts(ctx, domain, signal)) {
    if (!a.ok) {
      yield a;
      return;
    }
    yield ok(await toMailbox(ctx, a.value));
  }
}

/** Adds a User account with a password credential and reads it back. */
export async function createMailbox(ctx: StalwartContext, input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>> {
  if (input.forceChangeAtFirstLogin) return err('backend.unsupported', 'Stalwart: no "change password at next login" flag.');
  const [name = '', domain = ''] = input.address.toLowerCase().split('@');
  const id = await domainId(ctx, domain);
  if (!id.ok) return id;
  const res = await ctx.jmap.set('Account', {
    create: {
      a: {
        '@type': 'User', name, domainId: id.value, description: input.displayName ?? null,
        credentials: toList([{ '@type': 'Password', secret: input.password }]),
        ...(input.quotaBytes ? { quotas: { maxDiskQuota: input.quotaBytes } } : {}),
      },
    },
  });
  if (!res.ok) return res;
  const created = await account(ctx, input.address);
  return created.ok ? ok({ state: 'done', value: await toMailbox(ctx, created.value) }) : created;
}

/** Changes a mailbox's description, quota or authenticate permission and reads it back. */
export async function updateMailbox(ctx: StalwartContext, address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
  const found = await account(ctx, address);
  if (!found.ok) return found;
  // JMAP PatchObject paths (RFC 8620 §5.3) change one property inside an object.
  const changes: Record<string, unknown> = {};
  if (patch.displayName !== undefined) changes['description'] = patch.displayName;
  // quotas maps StorageQuota names to numbers; null removes the limit.
  if (patch.quotaBytes !== undefined) changes['quotas/maxDiskQuota'] = patch.quotaBytes || null;
  // Permissions is a tagged union (Inherit | Merge | Replace): written whole, keeping other explicit grants.
  if (patch.active !== undefined) changes['permissions'] = withAuthenticate(found.value.permissions, patch.active);
  const res = await ctx.jmap.set('Account', { update: { [found.value.id]: changes } });
  if (!res.ok) return res;
  const updated = await account(ctx, address);
  return updated.ok ? ok(await toMailbox(ctx, updated.value)) : updated;
}

/** Removes a mailbox's account. */
export async function deleteMailbox(ctx: StalwartContext, address: string): Promise<Result<void>> {
  const found = await account(ctx, address);
  if (!found.ok) return found;
  const res = await ctx.jmap.set('Account', { destroy: [found.value.id] });
  return res.ok ? ok(undefined) : res;
}

/** Replaces a mailbox's password credential; a forced change is refused (Stalwart has no such flag). */
export async function setPassword(ctx: StalwartContext, address: string, password: string, forceChange: boolean | undefined): Promise<Result<void>> {
  if (forceChange) return err('backend.unsupported', 'Stalwart: no "change password at next login" flag.');
  const found = await account(ctx, address);
  if (!found.ok) return found;
  // Only the Password credential changes: app passwords and API keys in the same list stay.
  const entries = Object.entries(found.value.credentials ?? {});
  const index = entries.find(([, c]) => c['@type'] === 'Password')?.[0] ?? String(entries.reduce((n, [k]) => Math.max(n, Number(k) + 1), 0));
  const exists = entries.some(([k]) => k === index);
  const patch = exists ? { [`credentials/${index}/secret`]: password } : { [`credentials/${index}`]: { '@type': 'Password', secret: password } };
  const res = await ctx.jmap.set('Account', { update: { [found.value.id]: patch } });
  return res.ok ? ok(undefined) : res;
}
