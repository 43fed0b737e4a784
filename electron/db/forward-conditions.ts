import type { ForwardingInfo } from '../../shared/domain/provisioning.ts';

/** The conditions of a forwarding's live targets as stored in mailboxes.forward_conditions_json; null when every target takes all mail. */
export function conditionsJson(f: ForwardingInfo | undefined): string | null {
  if (!f || f.state === 'off' || !f.conditions) return null;
  const live = Object.entries(f.conditions).filter(([target]) => f.targets.includes(target));
  return live.length ? JSON.stringify(Object.fromEntries(live)) : null;
}
