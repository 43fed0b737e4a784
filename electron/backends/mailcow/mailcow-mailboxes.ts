import type { MailboxInfo, MailboxPatch, NewMailbox, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { arrayOf, bytesToMiB, num, write, type MailcowContext } from './mailcow-context.ts';
import { lastLoginOf } from './mailcow-security.ts';

function toMailbox(raw: Record<string, unknown>): MailboxInfo {
  const address = String(raw['username']);
  const lastLoginAt = lastLoginOf(raw);
  return {
    address,
    domain: String(raw['domain'] ?? address.split('@')[1]),
    displayName: typeof raw['name'] === 'string' && raw['name'] !== '' ? raw['name'] : null,
    // active 2 = "login refused, mail still accepted": not an active login
    active: num(raw['active']) === 1,
    quotaBytes: num(raw['quota']) || null,
    usedBytes: num(raw['quota_used']),
    messageCount: num(raw['messages']),
    ...(lastLoginAt !== undefined ? { lastLoginAt } : {}),
  };
}

/** Iterates the mailboxes of one domain, or of every domain when `domain` is null. */
export async function* listMailboxes(ctx: MailcowContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
  const path = domain === null ? 'get/mailbox/all' : `get/mailbox/all/${encodeURIComponent(domain)}`;
  const res = await ctx.http.json<Record<string, unknown>[]>({ path, signal });
  if (!res.ok) { yield res; return; }
  for (const m of arrayOf(res.value.body)) yield ok(toMailbox(m));
}

/** Reads one mailbox; a missing one is `backend.notFound`. */
export async function readMailbox(ctx: MailcowContext, address: string): Promise<Result<MailboxInfo>> {
  const res = await ctx.http.json<unknown>({ path: `get/mailbox/${encodeURIComponent(address)}` });
  if (!res.ok) return res;
  const raw = Array.isArray(res.value.body) ? res.value.body[0] : res.value.body;
  // A missing mailbox comes back as {} or [] with HTTP 200.
  if (!raw || typeof raw !== 'object' || !('username' in raw)) return err('backend.notFound', `mailcow: no mailbox ${address}`);
  return ok(toMailbox(raw as Record<string, unknown>));
}

/** Reads one mailbox; null when it does not exist. */
export async function getMailbox(ctx: MailcowContext, address: string): Promise<Result<MailboxInfo | null>> {
  const res = await readMailbox(ctx, address);
  return !res.ok && res.error.code === 'backend.notFound' ? ok(null) : res;
}

/** Adds a mailbox and reads it back. */
export async function createMailbox(ctx: MailcowContext, input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>> {
  const [localPart, domain] = input.address.split('@');
  const res = await write(ctx, 'add/mailbox', {
    local_part: localPart,
    domain,
    name: input.displayName ?? '',
    password: input.password,
    password2: input.password,
    quota: bytesToMiB(input.quotaBytes),
    active: 1,
    force_pw_update: input.forceChangeAtFirstLogin ? 1 : 0,
  });
  if (!res.ok) return res;
  const created = await readMailbox(ctx, input.address);
  return created.ok ? ok({ state: 'done', value: created.value }) : created;
}

/** Changes a mailbox's name, quota or active flag and reads it back. */
export async function updateMailbox(ctx: MailcowContext, address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
  const attr: Record<string, unknown> = {};
  if (patch.displayName !== undefined) attr['name'] = patch.displayName;
  if (patch.quotaBytes !== undefined) attr['quota'] = bytesToMiB(patch.quotaBytes);
  if (patch.active !== undefined) attr['active'] = patch.active ? 1 : 0;
  const res = await write(ctx, 'edit/mailbox', { items: [address], attr });
  return res.ok ? readMailbox(ctx, address) : res;
}

/** Removes a mailbox. */
export function deleteMailbox(ctx: MailcowContext, address: string): Promise<Result<void>> {
  return write(ctx, 'delete/mailbox', [address]);
}

/** Sets a mailbox's password, and the forced change at next login when `forceChange` is given. */
export function setPassword(ctx: MailcowContext, address: string, password: string, forceChange: boolean | undefined): Promise<Result<void>> {
  return write(ctx, 'edit/mailbox', {
    items: [address],
    attr: { password, password2: password, ...(forceChange === undefined ? {} : { force_pw_update: forceChange ? 1 : 0 }) },
  });
}
