import type { ForwardingInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { SCOPES } from './google-auth.ts';
import { MANUAL_DWD, tokenFor } from './google-capabilities.ts';
import { call, gmailAs, type GoogleContext } from './google-context.ts';

/** Whether the Gmail settings scopes are delegated; an adapter opened without a probe (a CLI process) asks once. */
export async function mayForward(ctx: GoogleContext): Promise<boolean> {
  if (!ctx.canForward && ctx.auth) ctx.canForward = await tokenFor(ctx, ctx.settings.adminEmail, SCOPES.gmail);
  return ctx.canForward;
}

/** Reads Gmail auto-forwarding, or the targets still waiting for confirmation when it is off. */
export async function getForwarding(ctx: GoogleContext, address: string): Promise<Result<ForwardingInfo>> {
  if (!(await mayForward(ctx))) return err('backend.unsupported', `Google: forwarding needs domain-wide delegation. ${MANUAL_DWD}`, { detail: { manual: MANUAL_DWD } });
  const api = gmailAs(ctx, address);
  const auto = await call('getAutoForwarding', () => api.users.settings.getAutoForwarding({ userId: 'me' }));
  if (!auto.ok) return auto;
  if (auto.value.enabled && auto.value.emailAddress) {
    return ok({ address, targets: [auto.value.emailAddress], keepCopy: auto.value.disposition !== 'trash', state: 'active' });
  }
  const list = await call('forwardingAddresses.list', () => api.users.settings.forwardingAddresses.list({ userId: 'me' }));
  if (!list.ok) return list;
  const pending = (list.value.forwardingAddresses ?? []).filter((f) => f.verificationStatus === 'pending').map((f) => f.forwardingEmail ?? '');
  return ok({ address, targets: pending, keepCopy: true, state: pending.length ? 'pending-confirmation' : 'off' });
}

/** Turns Gmail auto-forwarding to one target on (pending until the target confirms) or off. */
export async function setForwarding(ctx: GoogleContext, address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
  if (!(await mayForward(ctx))) return err('backend.unsupported', `Google: forwarding needs domain-wide delegation. ${MANUAL_DWD}`, { detail: { manual: MANUAL_DWD } });
  const api = gmailAs(ctx, address);
  const [target] = targets;
  if (targets.length > 1) return err('backend.validation', 'Google: Gmail auto-forwards to one address; use a group or a filter for several.');
  if (target === undefined) {
    const off = await call('updateAutoForwarding', () => api.users.settings.updateAutoForwarding({ userId: 'me', requestBody: { enabled: false } }));
    return off.ok ? ok({ state: 'done', value: { address, targets: [], keepCopy: false, state: 'off' } }) : off;
  }
  let status: string | null | undefined;
  const created = await call('forwardingAddresses.create', () => api.users.settings.forwardingAddresses.create({ userId: 'me', requestBody: { forwardingEmail: target } }));
  if (created.ok) status = created.value.verificationStatus;
  else if (created.error.code === 'backend.conflict') {
    const found = await call('forwardingAddresses.get', () => api.users.settings.forwardingAddresses.get({ userId: 'me', forwardingEmail: target }));
    if (!found.ok) return found;
    status = found.value.verificationStatus;
  } else return created;
  if (status !== 'accepted') {
    // Gmail mails the target a confirmation link; auto-forwarding can be enabled only after it is accepted.
    return ok({ state: 'pending', reason: 'confirmation', value: { address, targets: [target], keepCopy, state: 'pending-confirmation' } });
  }
  const on = await call('updateAutoForwarding', () =>
    api.users.settings.updateAutoForwarding({ userId: 'me', requestBody: { enabled: true, emailAddress: target, disposition: keepCopy ? 'leaveInInbox' : 'trash' } }),
  );
  return on.ok ? ok({ state: 'done', value: { address, targets: [target], keepCopy, state: 'active' } }) : on;
}
