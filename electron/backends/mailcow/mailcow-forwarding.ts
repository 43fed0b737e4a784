import type { ForwardingInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { findAlias } from './mailcow-aliases.ts';
import { splitTargets, type MailcowContext } from './mailcow-context.ts';

/** Where a mailcow mailbox's forwarding is set instead. */
export const MANUAL_FORWARD =
  "mailcow's API cannot forward a mailbox: every mailbox owns a hidden alias row (address = goto) that the alias API neither shows nor edits, and add/alias refuses the mailbox address. Set it in SOGo (Preferences › Mail › Forward) or as a Sieve filter (Mailbox › Edit › Filters).";

/** Reads forwarding from a visible alias on the mailbox's own address (mailcow's API never shows one; the answer is "off"). */
export async function getForwarding(ctx: MailcowContext, address: string): Promise<Result<ForwardingInfo>> {
  const existing = await findAlias(ctx, address);
  if (!existing.ok) return existing;
  const targets = existing.value ? splitTargets(existing.value['goto']) : [];
  const others = targets.filter((t) => t !== address);
  return ok({ address, targets: others, keepCopy: targets.includes(address), state: others.length ? 'active' : 'off' });
}

/** Refused with the manual path: mailcow's add/alias skips an address among its own targets and refuses mailbox addresses. */
export async function setForwarding(_ctx: MailcowContext, _address: string, _targets: readonly string[], _keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
  return err('backend.unsupported', MANUAL_FORWARD, { detail: { level: 'unsupported', manual: MANUAL_FORWARD } });
}
