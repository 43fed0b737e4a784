import type { ForwardingInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { findAlias, upsertAlias } from './mailcow-aliases.ts';
import { splitTargets, write, type MailcowContext } from './mailcow-context.ts';

/** Reads a mailbox's forwarding from the alias on its own address; the mailbox among the targets means keep a copy. */
export async function getForwarding(ctx: MailcowContext, address: string): Promise<Result<ForwardingInfo>> {
  const existing = await findAlias(ctx, address);
  if (!existing.ok) return existing;
  const targets = existing.value ? splitTargets(existing.value['goto']) : [];
  const others = targets.filter((t) => t !== address);
  return ok({ address, targets: others, keepCopy: targets.includes(address), state: others.length ? 'active' : 'off' });
}

/** Forwards a mailbox through an alias on its own address; no targets removes that alias. */
export async function setForwarding(ctx: MailcowContext, address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
  if (targets.length === 0) {
    const existing = await findAlias(ctx, address);
    if (!existing.ok) return existing;
    if (existing.value) {
      const removed = await write(ctx, 'delete/alias', [existing.value['id']]);
      if (!removed.ok) return removed;
    }
    return ok({ state: 'done', value: { address, targets: [], keepCopy: false, state: 'off' } });
  }
  // Forwarding is an alias on the mailbox's own address; listing the mailbox among the targets keeps a copy.
  const res = await upsertAlias(ctx, { address, targets: keepCopy ? [address, ...targets] : targets });
  if (!res.ok) return res;
  return ok({ state: 'done', value: { address, targets: [...targets], keepCopy, state: 'active' } });
}
