import type { ForwardingInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import * as exo from './exchange-cmdlets.ts';
import { call, sidecar, type MicrosoftContext } from './microsoft-context.ts';

const RULE_NAME = 'Mailroom forwarding';

interface Rule { id: string; isEnabled?: boolean; actions?: { redirectTo?: { emailAddress: { address: string } }[] } }

async function findRule(ctx: MicrosoftContext, address: string): Promise<Result<Rule | null>> {
  const res = await call<{ value: { id: string; displayName?: string }[] }>(ctx, 'messageRules.list', (g) => g.api(`/users/${encodeURIComponent(address)}/mailFolders/inbox/messageRules`).get());
  return res.ok ? ok(res.value.value.find((r) => r.displayName === RULE_NAME) ?? null) : res;
}

/** Reads forwarding from the Mailroom inbox rule (which always keeps a copy). */
export async function getForwarding(ctx: MicrosoftContext, address: string): Promise<Result<ForwardingInfo>> {
  const rule = await findRule(ctx, address);
  if (!rule.ok) return rule;
  const targets = (rule.value?.actions?.redirectTo ?? []).map((r) => r.emailAddress.address);
  return ok({ address, targets, keepCopy: true, state: rule.value?.isEnabled && targets.length ? 'active' : 'off' });
}

/** Writes (or with no targets removes) the Mailroom inbox redirect rule; dropping the copy answers needs-sidecar. */
export async function setForwarding(ctx: MicrosoftContext, address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
  // An inbox rule always leaves the original in the mailbox; dropping the copy needs mailbox-level forwarding.
  if (!keepCopy && targets.length) return sidecar('forwarding without keeping a copy', exo.setMailboxForwarding(address, targets[0] ?? null, false));
  const rule = await findRule(ctx, address);
  if (!rule.ok) return rule;
  const rules = `/users/${encodeURIComponent(address)}/mailFolders/inbox/messageRules`;
  const existing = rule.value;
  if (targets.length === 0) {
    if (existing) {
      const removed = await call(ctx, 'messageRules.delete', (g) => g.api(`${rules}/${existing.id}`).delete());
      if (!removed.ok) return removed;
    }
    return ok({ state: 'done', value: { address, targets: [], keepCopy: false, state: 'off' } });
  }
  const body = { displayName: RULE_NAME, sequence: 1, isEnabled: true, actions: { redirectTo: targets.map((t) => ({ emailAddress: { address: t } })), stopProcessingRules: false } };
  const saved = existing
    ? await call(ctx, 'messageRules.update', (g) => g.api(`${rules}/${existing.id}`).patch(body))
    : await call(ctx, 'messageRules.create', (g) => g.api(rules).post(body));
  if (!saved.ok) return saved;
  return ok({ state: 'done', value: { address, targets: [...targets], keepCopy: true, state: 'active' } });
}
