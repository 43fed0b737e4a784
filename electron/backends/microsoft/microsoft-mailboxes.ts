import type { MailboxInfo, MailboxPatch, NewMailbox, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import * as exo from './exchange-cmdlets.ts';
import { USER_FIELDS, call, domainOf, odataString, pages, sidecar, type GraphUser, type MicrosoftContext } from './microsoft-context.ts';

/** Iterates the users whose mail is in `domain`, or every user when `domain` is null. */
export async function* users(ctx: MicrosoftContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GraphUser>> {
  yield* pages<GraphUser>(ctx, 'users.list', (g) => {
    let req = g.api('/users').select(USER_FIELDS).top(999).options(signal ? { signal } : {});
    // endsWith on mail is an advanced query: it needs ConsistencyLevel: eventual and $count=true.
    if (domain !== null) req = req.filter(`endswith(mail,${odataString(`@${domain}`)})`).count(true).header('ConsistencyLevel', 'eventual');
    return req.get();
  }, signal);
}

function toMailbox(u: GraphUser): MailboxInfo {
  const address = (u.mail ?? u.userPrincipalName ?? '').toLowerCase();
  return { address, domain: domainOf(address), displayName: u.displayName ?? null, active: u.accountEnabled !== false, quotaBytes: null, usedBytes: null, messageCount: null };
}

/** Iterates the users that have an Exchange mailbox. */
export async function* listMailboxes(ctx: MicrosoftContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
  for await (const u of users(ctx, domain, signal)) {
    if (!u.ok) {
      yield u;
      return;
    }
    // A user without `mail` has no Exchange mailbox (no licence, or still provisioning).
    if (u.value.mail) yield ok(toMailbox(u.value));
  }
}

/** Adds a user and assigns the Exchange licence; pending until Exchange has provisioned the mailbox. */
export async function createMailbox(ctx: MicrosoftContext, input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>> {
  if (input.quotaBytes) return sidecar('a mailbox quota', exo.setMailboxQuota(input.address, input.quotaBytes));
  const created = await call<GraphUser>(ctx, 'users.create', (g) =>
    g.api('/users').post({
      accountEnabled: true,
      displayName: input.displayName ?? input.address.split('@')[0],
      mailNickname: input.address.split('@')[0],
      userPrincipalName: input.address,
      usageLocation: ctx.settings.usageLocation ?? 'US',
      passwordProfile: { password: input.password, forceChangePasswordNextSignIn: input.forceChangeAtFirstLogin ?? false },
    }),
  );
  if (!created.ok) return created;
  const value = toMailbox({ ...created.value, mail: input.address });
  if (ctx.licenceSku === null) return ok({ state: 'pending', reason: 'licence', value });
  const sku = ctx.licenceSku;
  const licensed = await call(ctx, 'assignLicense', (g) => g.api(`/users/${created.value.id}/assignLicense`).post({ addLicenses: [{ skuId: sku, disabledPlans: [] }], removeLicenses: [] }));
  // No free seat: the user exists without a mailbox until someone frees or buys a licence.
  if (!licensed.ok) return /available licen[cs]es/i.test(licensed.error.message) ? ok({ state: 'pending', reason: 'licence', value }) : licensed;
  return provisioning(ctx, created.value.id, value);
}

/** Exchange provisions the mailbox asynchronously after the licence lands; report pending until provisionedPlans say so. */
async function provisioning(ctx: MicrosoftContext, id: string, value: MailboxInfo): Promise<Result<Outcome<MailboxInfo>>> {
  const user = await call<GraphUser>(ctx, 'users.get', (g) => g.api(`/users/${id}`).select(`${USER_FIELDS},provisionedPlans`).get());
  if (!user.ok) return user;
  const exchange = (user.value.provisionedPlans ?? []).some((p) => p.service === 'exchange' && p.provisioningStatus === 'Success' && p.capabilityStatus === 'Enabled');
  return ok(exchange && user.value.mail ? { state: 'done', value: toMailbox(user.value) } : { state: 'pending', reason: 'licence', value });
}

/** Renames or disables a user (revoking its sessions) and reads it back; a quota needs Exchange Online PowerShell. */
export async function updateMailbox(ctx: MicrosoftContext, address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
  if (patch.quotaBytes !== undefined) return sidecar('a mailbox quota', exo.setMailboxQuota(address, patch.quotaBytes));
  const body: Record<string, unknown> = {};
  if (patch.displayName !== undefined) body['displayName'] = patch.displayName;
  if (patch.active !== undefined) body['accountEnabled'] = patch.active;
  const path = `/users/${encodeURIComponent(address)}`;
  const res = await call(ctx, 'users.update', (g) => g.api(path).patch(body));
  if (!res.ok) return res;
  if (patch.active === false) {
    const revoked = await call(ctx, 'revokeSignInSessions', (g) => g.api(`${path}/revokeSignInSessions`).post({}));
    if (!revoked.ok) return revoked;
  }
  const user = await call<GraphUser>(ctx, 'users.get', (g) => g.api(path).select(USER_FIELDS).get());
  return user.ok ? ok(toMailbox(user.value)) : user;
}

/** Deletes a user. */
export async function deleteMailbox(ctx: MicrosoftContext, address: string): Promise<Result<void>> {
  const res = await call(ctx, 'users.delete', (g) => g.api(`/users/${encodeURIComponent(address)}`).delete());
  return res.ok ? ok(undefined) : res;
}

/** Sets a user's password and whether it must be changed at next sign-in. */
export async function setPassword(ctx: MicrosoftContext, address: string, password: string, forceChange: boolean | undefined): Promise<Result<void>> {
  const res = await call(ctx, 'users.update', (g) =>
    g.api(`/users/${encodeURIComponent(address)}`).patch({ passwordProfile: { password, forceChangePasswordNextSignIn: forceChange ?? false } }),
  );
  return res.ok ? ok(undefined) : res;
}
