import type { ForwardingInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { pages, type MicrosoftContext } from './microsoft-context.ts';
import { users } from './microsoft-mailboxes.ts';

type Recipients = readonly { emailAddress?: { address?: string } }[] | null | undefined;

/** An inbox rule as Graph returns it (messageRule), with only the actions that matter for routing. */
export interface GraphMessageRule {
  readonly id: string;
  readonly isEnabled?: boolean;
  readonly hasError?: boolean;
  readonly actions?: {
    readonly forwardTo?: Recipients;
    readonly redirectTo?: Recipients;
    readonly forwardAsAttachmentTo?: Recipients;
    readonly delete?: boolean;
    readonly permanentDelete?: boolean;
  } | null;
}

/** The forwards of one mailbox's inbox rules: every enabled rule's forwardTo, redirectTo and forwardAsAttachmentTo. */
export function forwardsOfRules(address: string, rules: readonly GraphMessageRule[]): ForwardingInfo {
  const targets = new Set<string>();
  let keepCopy = true;
  for (const rule of rules) {
    // A rule in error does not run; Exchange marks it hasError and skips it.
    if (rule.isEnabled === false || rule.hasError === true || !rule.actions) continue;
    const a = rule.actions;
    const before = targets.size;
    for (const r of [...(a.forwardTo ?? []), ...(a.redirectTo ?? []), ...(a.forwardAsAttachmentTo ?? [])]) {
      const to = r.emailAddress?.address?.trim().toLowerCase();
      if (to) targets.add(to);
    }
    if (targets.size > before && (a.delete === true || a.permanentDelete === true)) keepCopy = false;
  }
  return { address, targets: [...targets], keepCopy, state: targets.size ? 'active' : 'off' };
}

/**
 * Every mailbox's inbox-rule forwards (Graph mailFolders/inbox/messageRules, following @odata.nextLink).
 * Mailbox-level forwarding (ForwardingSmtpAddress) is not in Graph: forward.read is needs-sidecar with the cmdlet.
 */
export async function* listForwarding(ctx: MicrosoftContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<ForwardingInfo>> {
  for await (const u of users(ctx, domain, signal)) {
    if (!u.ok) {
      yield u;
      return;
    }
    // A user without `mail` has no Exchange mailbox, so no rules to read.
    if (!u.value.mail) continue;
    const address = u.value.mail.toLowerCase();
    const rules: GraphMessageRule[] = [];
    for await (const rule of pages<GraphMessageRule>(ctx, 'messageRules.list', (g) => g.api(`/users/${encodeURIComponent(u.value.id)}/mailFolders/inbox/messageRules`).options(signal ? { signal } : {}).get(), signal)) {
      if (!rule.ok) {
        yield rule;
        return;
      }
      rules.push(rule.value);
    }
    const forwards = forwardsOfRules(address, rules);
    if (forwards.state !== 'off') yield ok(forwards);
  }
}
