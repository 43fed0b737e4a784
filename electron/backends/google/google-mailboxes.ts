import type { admin_directory_v1 } from '@googleapis/admin';
import type { MailboxInfo, MailboxPatch, NewMailbox, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { MANUAL_QUOTA } from './google-capabilities.ts';
import { call, customer, directory, domainOf, reports, type GoogleContext } from './google-context.ts';
import { readUsage } from './google-usage.ts';

function splitName(displayName: string | undefined, address: string): { givenName: string; familyName: string } {
  const parts = (displayName ?? '').trim().split(/\s+/).filter(Boolean);
  const local = address.split('@')[0] ?? address;
  // Directory requires both names; a one-word name repeats it rather than invent a surname.
  return { givenName: parts[0] ?? local, familyName: parts.slice(1).join(' ') || parts[0] || local };
}

/** Iterates the Directory users of one domain, or of the whole customer when `domain` is null. */
export async function* users(ctx: GoogleContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<admin_directory_v1.Schema$User>> {
  const api = directory(ctx);
  let pageToken: string | undefined;
  do {
    const scope = domain === null ? { customer: customer(ctx) } : { domain };
    const page = await call('users.list', () => api.users.list({ ...scope, maxResults: 500, ...(pageToken ? { pageToken } : {}) }, { signal: signal ?? null }));
    if (!page.ok) {
      yield page;
      return;
    }
    for (const user of page.value.users ?? []) yield ok(user);
    pageToken = page.value.nextPageToken ?? undefined;
  } while (pageToken);
}

function toMailbox(user: admin_directory_v1.Schema$User, usage: ReadonlyMap<string, number> = new Map()): MailboxInfo {
  const address = user.primaryEmail ?? '';
  return {
    address,
    domain: domainOf(address),
    displayName: user.name?.fullName ?? null,
    active: user.suspended !== true,
    quotaBytes: null,
    usedBytes: usage.get(address.toLowerCase()) ?? null,
    messageCount: null,
    // Directory reports the epoch for a user who never signed in.
    lastLoginAt: user.lastLoginTime && Date.parse(user.lastLoginTime) > 0 ? new Date(user.lastLoginTime).toISOString() : null,
    twoStepEnforced: user.isEnforcedIn2Sv === true,
  };
}

/** Iterates mailboxes (users), with usage from the Reports API when that scope was granted. */
export async function* listMailboxes(ctx: GoogleContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
  let usage = new Map<string, number>();
  if (ctx.canReadUsage) {
    const read = await readUsage(reports(ctx), { nowMs: ctx.now(), signal });
    // Usage is optional decoration; a failed report leaves usedBytes null rather than failing the list.
    if (read.ok) usage = read.value;
  }
  for await (const user of users(ctx, domain, signal)) {
    if (!user.ok) {
      yield user;
      return;
    }
    yield ok(toMailbox(user.value, usage));
  }
}

/** Adds a user; a quota is refused (Google has no per-user limit API). */
export async function createMailbox(ctx: GoogleContext, input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>> {
  if (input.quotaBytes) return err('backend.unsupported', `Google: ${MANUAL_QUOTA}`, { detail: { manual: MANUAL_QUOTA } });
  const res = await call('users.insert', () =>
    directory(ctx).users.insert({
      requestBody: {
        primaryEmail: input.address,
        name: splitName(input.displayName, input.address),
        password: input.password,
        changePasswordAtNextLogin: input.forceChangeAtFirstLogin ?? false,
      },
    }),
  );
  return res.ok ? ok({ state: 'done', value: toMailbox(res.value) }) : res;
}

/** Renames or suspends a user; suspension also signs the user out. */
export async function updateMailbox(ctx: GoogleContext, address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
  if (patch.quotaBytes) return err('backend.unsupported', `Google: ${MANUAL_QUOTA}`, { detail: { manual: MANUAL_QUOTA } });
  const body: admin_directory_v1.Schema$User = {};
  if (patch.displayName !== undefined) body.name = splitName(patch.displayName, address);
  if (patch.active !== undefined) body.suspended = !patch.active;
  const res = await call('users.patch', () => directory(ctx).users.patch({ userKey: address, requestBody: body }));
  if (!res.ok) return res;
  if (patch.active === false) {
    // Suspension does not end open sessions by itself.
    const out = await call('users.signOut', () => directory(ctx).users.signOut({ userKey: address }));
    if (!out.ok) return out;
  }
  return ok(toMailbox(res.value));
}

/** Deletes a user. */
export async function deleteMailbox(ctx: GoogleContext, address: string): Promise<Result<void>> {
  const res = await call('users.delete', () => directory(ctx).users.delete({ userKey: address }));
  return res.ok ? ok(undefined) : res;
}

/** Sets a user's password, and the forced change at next login when `forceChange` is given. */
export async function setPassword(ctx: GoogleContext, address: string, password: string, forceChange: boolean | undefined): Promise<Result<void>> {
  const res = await call('users.patch', () =>
    directory(ctx).users.patch({ userKey: address, requestBody: { password, ...(forceChange === undefined ? {} : { changePasswordAtNextLogin: forceChange }) } }),
  );
  return res.ok ? ok(undefined) : res;
}
